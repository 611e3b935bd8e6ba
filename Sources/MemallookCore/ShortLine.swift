/// A line of at most `capacity` bytes made on the stack, then appended to a buffer at
/// once: one append of the whole line instead of one per piece (`run` writes a
/// million lines).
struct ShortLine: ByteSink {
  static let capacity = 128
  private var storage: (SIMD64<UInt8>, SIMD64<UInt8>) = (.zero, .zero)
  private var count = 0

  init() {}

  @inline(__always)
  mutating func append(_ byte: UInt8) {
    precondition(count < Self.capacity, "a short line is at most \(Self.capacity) bytes")
    withUnsafeMutableBytes(of: &storage) { $0[count] = byte }
    count += 1
  }

  @inline(__always)
  mutating func append(raw bytes: UnsafeRawBufferPointer) {
    precondition(count + bytes.count <= Self.capacity, "a short line is at most \(Self.capacity) bytes")
    withUnsafeMutableBytes(of: &storage) { line in
      UnsafeMutableRawBufferPointer(rebasing: line[count..<(count + bytes.count)]).copyMemory(from: bytes)
    }
    count += bytes.count
  }

  /// Written in place: the digits counted first, then put from the last.
  mutating func appendDecimal(magnitude: UInt64, negative: Bool) {
    let length = Self.decimalDigits(magnitude) + (negative ? 1 : 0)
    precondition(count + length <= Self.capacity, "a short line is at most \(Self.capacity) bytes")
    withUnsafeMutableBytes(of: &storage) { line in
      _ = writeDecimal(magnitude: magnitude, negative: negative, endingAt: count + length, in: line)
    }
    count += length
  }

  /// Appends the line to `bytes`.
  func write(to bytes: inout [UInt8]) {
    withUnsafeBytes(of: storage) { line in
      bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[..<count]))
    }
  }

  /// How many decimal digits `value` has (1 for 0): from its binary length, without dividing.
  static func decimalDigits(_ value: UInt64) -> Int {
    // log10(2) ≈ 1233 / 4096: the digits of the largest number of this binary length, or one fewer.
    let estimate = ((64 - value.leadingZeroBitCount) * 1233) >> 12
    return estimate + (estimate < powersOfTen.count && value >= powersOfTen[estimate] ? 1 : 0)
      + (value == 0 ? 1 : 0)
  }

  /// 10^0 through 10^19, the powers of ten a `UInt64` holds.
  private static let powersOfTen: [UInt64] = (0..<20).map {
    (1..<$0 + 1).reduce(1) { value, _ in value * 10 }
  }
}
