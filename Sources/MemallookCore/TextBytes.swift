/// Text built as UTF-8 bytes, without a `String` per piece: what the replies a
/// script makes most (`Reply+Bytes`), SHOW's listing of up to every allocation and
/// the state file are made of. Each writes exactly what the `String` code beside
/// it writes, into any `ByteSink`: a growing `[UInt8]`, or a `ShortLine` on the
/// stack that goes into the buffer in one append.

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
private func writeDecimal(
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
    let length = decimalDigits(magnitude) + (negative ? 1 : 0)
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
}

/// How many decimal digits `value` has (1 for 0): from its binary length, without dividing.
func decimalDigits(_ value: UInt64) -> Int {
  // log10(2) ≈ 1233 / 4096: the digits of the largest number of this binary length, or one fewer.
  let estimate = ((64 - value.leadingZeroBitCount) * 1233) >> 12
  return estimate + (estimate < powersOfTen.count && value >= powersOfTen[estimate] ? 1 : 0)
    + (value == 0 ? 1 : 0)
}

/// 10^0 through 10^19, the powers of ten a `UInt64` holds.
private let powersOfTen: [UInt64] = (0..<20).map { (1..<$0 + 1).reduce(1) { value, _ in value * 10 } }

/// Appends `text`'s UTF-8.
@inline(__always)
func appendStatic(_ text: StaticString, to bytes: inout some ByteSink) {
  bytes.append(raw: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
}

/// The decimal digits of `value`, as `String(value)` writes them.
func appendDecimal(_ value: Int, to bytes: inout some ByteSink) {
  appendDecimal(magnitude: UInt64(value.magnitude), negative: value < 0, to: &bytes)
}

/// The decimal digits of `magnitude`, after a minus when `negative`.
func appendDecimal(magnitude: UInt64, negative: Bool = false, to bytes: inout some ByteSink) {
  bytes.appendDecimal(magnitude: magnitude, negative: negative)
}

/// `n <noun>` or `n <noun>s`, as `counted(_:_:)` writes it.
func appendCounted(_ count: Int, _ noun: StaticString, to bytes: inout some ByteSink) {
  appendDecimal(count, to: &bytes)
  bytes.append(UInt8(ascii: " "))
  appendStatic(noun, to: &bytes)
  if count != 1 { bytes.append(UInt8(ascii: "s")) }
}

/// `n page` or `n pages`, as `pages(_:)` writes it.
func appendPages(_ count: Int, to bytes: inout some ByteSink) {
  appendCounted(count, "page", to: &bytes)
}

/// The glyph alphabet as bytes (all ASCII).
private let glyphBytes: [UInt8] = GlyphTable.alphabet.map { $0.asciiValue! }

extension Allocation {
  /// The glyph's one byte of UTF-8.
  var glyphByte: UInt8 { glyphBytes[Int(glyphIndex)] }

  /// Whether the glyph reads as the tag: tags 1–9 draw as their digit unless that glyph was taken.
  public var glyphIsTag: Bool { (1...9).contains(tag) && Int(glyphIndex) == tag - 1 }
}
