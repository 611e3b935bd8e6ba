/// Where ALLOC places a block among the free runs long enough to hold it.
///
/// Every policy places the block at the start of the run it picks, and breaks
/// ties by the lowest address.
public enum Policy: String, CaseIterable, Sendable, Codable {
  /// The lowest-addressed run that fits.
  case first
  /// Like first fit, but searching from where the previous ALLOC ended, wrapping around.
  case next
  /// The shortest run that fits.
  case best
  /// The longest run.
  case worst

  /// The name users read: "first fit".
  public var title: String { "\(rawValue) fit" }
}
