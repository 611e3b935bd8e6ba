/// Where the byte writers write.
protocol ByteSink {
  mutating func append(_ byte: UInt8)
  mutating func append(raw bytes: UnsafeRawBufferPointer)
  /// The decimal digits of `magnitude`, after a minus when `negative`.
  mutating func appendDecimal(magnitude: UInt64, negative: Bool)
}

extension ByteSink {
  /// Made in a buffer on the stack, appended at once (no slice of the sink turned around,
  /// which copies it).
  mutating func appendDecimal(magnitude: UInt64, negative: Bool) {
    var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: 20 digits and a sign
    withUnsafeMutableBytes(of: &buffer) { digits in
      let start = writeDecimal(magnitude: magnitude, negative: negative, endingAt: digits.count, in: digits)
      append(raw: UnsafeRawBufferPointer(rebasing: digits[start...]))
    }
  }
}

/// Writes the digits of `magnitude` (after a minus when `negative`) so that they end just
/// before `end` in `bytes`, from the last; returns where they start.
@inline(__always)
func writeDecimal(
  magnitude: UInt64, negative: Bool, endingAt end: Int, in bytes: UnsafeMutableRawBufferPointer
) -> Int {
  var start = end
  var rest = magnitude
  repeat {
    start -= 1
    bytes[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
    rest /= 10
  } while rest > 0
  if negative {
    start -= 1
    bytes[start] = UInt8(ascii: "-")
  }
  return start
}

extension Array: ByteSink where Element == UInt8 {
  @inline(__always)
  mutating func append(raw bytes: UnsafeRawBufferPointer) { append(contentsOf: bytes) }
}
