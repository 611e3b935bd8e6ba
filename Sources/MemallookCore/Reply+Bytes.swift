/// A reply's text and detail as bytes appended to a buffer: what a front that
/// prints many replies (`run`) writes, without building `String`s for the
/// replies a script makes most (ALLOC, DEALLOC). The bytes are always those of
/// `text` and `detail`; the other replies append those strings.
extension Reply {
  /// Appends the UTF-8 of `text`.
  public func appendText(to bytes: inout [UInt8]) {
    switch self {
    case .allocated(let allocation):
      appendStatic("ok, tag = \"", to: &bytes)
      appendDecimal(allocation.tag, to: &bytes)
      bytes.append(UInt8(ascii: "\""))
    case .deallocated:
      appendStatic("deallocation succeeded", to: &bytes)
    default:
      bytes.append(contentsOf: text.utf8)
    }
  }

  /// Appends `prefix` and the UTF-8 of `detail`; returns false (and appends nothing) when there is none.
  public func appendDetail(to bytes: inout [UInt8], prefix: StaticString = "") -> Bool {
    switch self {
    case .allocated(let allocation):
      appendStatic(prefix, to: &bytes)
      appendPages(allocation.pageCount, to: &bytes)
      appendStatic(" from page ", to: &bytes)
      appendDecimal(allocation.firstPage, to: &bytes)
      // Tags 1-9 draw as their own digit unless that glyph was taken.
      if !(1...9).contains(allocation.tag) || Int(allocation.glyphIndex) != allocation.tag - 1 {
        appendStatic(", drawn as \"", to: &bytes)
        bytes.append(glyphBytes[Int(allocation.glyphIndex)])
        bytes.append(UInt8(ascii: "\""))
      }
      return true
    case .deallocated(let allocation):
      appendStatic(prefix, to: &bytes)
      appendStatic("tag ", to: &bytes)
      appendDecimal(allocation.tag, to: &bytes)
      appendStatic(": ", to: &bytes)
      appendPages(allocation.pageCount, to: &bytes)
      appendStatic(" freed from page ", to: &bytes)
      appendDecimal(allocation.firstPage, to: &bytes)
      return true
    default:
      guard let detail else { return false }
      appendStatic(prefix, to: &bytes)
      bytes.append(contentsOf: detail.utf8)
      return true
    }
  }
}

/// The glyph alphabet as bytes (all ASCII).
private let glyphBytes: [UInt8] = GlyphTable.alphabet.map { $0.asciiValue! }

/// `n page` or `n pages`, as `pages(_:)` writes it.
private func appendPages(_ count: Int, to bytes: inout [UInt8]) {
  appendDecimal(count, to: &bytes)
  appendStatic(count == 1 ? " page" : " pages", to: &bytes)
}

private func appendStatic(_ text: StaticString, to bytes: inout [UInt8]) {
  bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
}

/// The decimal digits of `value`, as `String(value)` writes them: made in a buffer on the
/// stack, appended at once.
func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
  var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: 20 digits and a sign
  withUnsafeMutableBytes(of: &buffer) { digits in
    var start = digits.count
    var rest = value.magnitude
    repeat {
      start -= 1
      digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
      rest /= 10
    } while rest > 0
    if value < 0 {
      start -= 1
      digits[start] = UInt8(ascii: "-")
    }
    bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[start...]))
  }
}
