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
      if !allocation.glyphIsTag {
        appendStatic(", drawn as \"", to: &bytes)
        bytes.append(allocation.glyphByte)
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
