/// Where ALLOC places a block among the free runs long enough to hold it.
///
/// Every fit policy places the block at the start of the run it picks, and
/// breaks ties by the lowest address; the buddy system places blocks instead.
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

  /// The name users read: "first fit", "buddy system".
  public var title: String { self == .buddy ? "buddy system" : "\(rawValue) fit" }
}
