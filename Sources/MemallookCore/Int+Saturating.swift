/// Arithmetic on numbers users choose (page counts, widths, zoom levels) that
/// cannot trap: past `Int.max` (or below `Int.min`) the result stays there.
extension Int {
  /// `self * other`, or `Int.max` / `Int.min` where that overflows.
  public func saturatingMultiplied(by other: Int) -> Int {
    let (product, overflow) = multipliedReportingOverflow(by: other)
    guard overflow else { return product }
    return (self < 0) == (other < 0) ? .max : .min
  }

  /// `self + other`, or `Int.max` / `Int.min` where that overflows.
  public func saturatingAdding(_ other: Int) -> Int {
    let (sum, overflow) = addingReportingOverflow(other)
    guard overflow else { return sum }
    return other > 0 ? .max : .min
  }
}
