/// Text built as UTF-8 bytes in a buffer, without a `String` per piece: what the
/// replies a script makes most (`Reply+Bytes`) and SHOW's listing of up to every
/// allocation are made of. Each writes exactly what the `String` code beside it writes.

/// Appends `text`'s UTF-8.
func appendStatic(_ text: StaticString, to bytes: inout [UInt8]) {
  bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
}

/// The decimal digits of `value`, as `String(value)` writes them.
func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
  appendDecimal(magnitude: UInt64(value.magnitude), negative: value < 0, to: &bytes)
}

/// The decimal digits of `magnitude`, after a minus when `negative`: made in a buffer on
/// the stack, appended at once (no slice of `bytes` turned around, which copies it).
func appendDecimal(magnitude: UInt64, negative: Bool = false, to bytes: inout [UInt8]) {
  var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: 20 digits and a sign
  withUnsafeMutableBytes(of: &buffer) { digits in
    var start = digits.count
    var rest = magnitude
    repeat {
      start -= 1
      digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
      rest /= 10
    } while rest > 0
    if negative {
      start -= 1
      digits[start] = UInt8(ascii: "-")
    }
    bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[start...]))
  }
}

/// `n <noun>` or `n <noun>s`, as `counted(_:_:)` writes it.
func appendCounted(_ count: Int, _ noun: StaticString, to bytes: inout [UInt8]) {
  appendDecimal(count, to: &bytes)
  bytes.append(UInt8(ascii: " "))
  appendStatic(noun, to: &bytes)
  if count != 1 { bytes.append(UInt8(ascii: "s")) }
}

/// `n page` or `n pages`, as `pages(_:)` writes it.
func appendPages(_ count: Int, to bytes: inout [UInt8]) {
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
