/// Text built as UTF-8 bytes, without a `String` per piece: what the replies a
/// script makes most (`Reply+Bytes`), SHOW's listing of up to every allocation and
/// the state file are made of. Each writes exactly what the `String` code beside
/// it writes, into any `ByteSink`: a growing `[UInt8]`, or a `ShortLine` on the
/// stack that goes into the buffer in one append.

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
