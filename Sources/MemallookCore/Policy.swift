/// Where ALLOC places a block among the free runs long enough to hold it.
///
/// Every fit policy places the block at the start of the run it picks, and
/// breaks ties by the lowest address; the buddy system places blocks instead.
/// `row` is the policy table: what users call each policy, its rule, and the type
/// that keeps its free structure and chooses (`PolicyIndex`); every parser, help
/// text and list of policies is made from it. New policies go last: a policy's
/// position is its code in the state file's history.
public enum Policy: String, CaseIterable, Sendable, Codable {
  /// The lowest-addressed run that fits.
  case first
  /// Like first fit, but searching from where the previous ALLOC ended, wrapping around.
  case next
  /// The shortest run that fits.
  case best
  /// The longest run.
  case worst
  /// A binary buddy allocator: power-of-two blocks split in halves and merged
  /// with their buddies (see `BuddyIndex`).
  case buddy
  /// Two-level segregated fit: size classes found by two bitmaps, LIFO lists (see `TLSFIndex`).
  case tlsf
  /// Segregated fits: one class per power of two, by address (see `SegregatedIndex`).
  case segregated

  /// One row of the policy table.
  public struct Row: Sendable {
    /// The name users read: "first fit", "buddy system".
    public let title: String
    /// Other words that name it (besides the raw value and `-fit`, `_fit`, `fit` after it).
    public let aliases: [String]
    /// The rule, in one sentence (the quiz reminds it).
    public let rule: String
    /// Its structure of the free pages and how it chooses (`PolicyIndex`).
    let index: any PolicyIndex.Type
  }

  /// The policy table: one row per policy.
  public var row: Row {
    switch self {
    case .first:
      Row(
        title: "first fit", aliases: [], rule: "first fit: the lowest-addressed free run that is long enough",
        index: FirstFitIndex.self)
    case .next:
      Row(
        title: "next fit", aliases: [],
        rule: "next fit: like first fit, searching from where the last ALLOC ended, wrapping around",
        index: NextFitIndex.self)
    case .best:
      Row(
        title: "best fit", aliases: [],
        rule: "best fit: the shortest free run that is long enough (lowest address on a tie)",
        index: BestFitIndex.self)
    case .worst:
      Row(
        title: "worst fit", aliases: [], rule: "worst fit: the longest free run (lowest address on a tie)",
        index: WorstFitIndex.self)
    case .buddy:
      Row(
        title: "buddy system", aliases: ["buddy-system", "buddy_system", "buddysystem"],
        rule:
          "buddy: the smallest free block that holds it (lowest address on a tie), halved down to its size",
        index: BuddyIndex.self)
    case .tlsf:
      Row(
        title: "TLSF", aliases: ["two-level", "two-level-segregated-fit"],
        rule: "TLSF: the request rounded up to its size class, then the head of the first non-empty list "
          + "at or above it (lists are LIFO)",
        index: TLSFIndex.self)
    case .segregated:
      Row(
        title: "segregated fits", aliases: ["segregated-fits", "segregated_fits", "seg"],
        rule: "segregated fits: the lowest run that fits in the request's power-of-two class, else the "
          + "lowest run of the next class up",
        index: SegregatedIndex.self)
    }
  }

  /// The name users read: "first fit", "buddy system".
  public var title: String { row.title }

  /// The rule, as the quiz reminds it.
  public var rule: String { row.rule }
}
