/// A reply's text and detail as bytes appended to a buffer: what a front that
/// prints many replies (`run`) writes, without building `String`s for the
/// replies a script makes most (ALLOC, DEALLOC). The bytes are always those of
/// `text` and `detail`; the other replies append those strings.
extension Reply {
  /// Appends the UTF-8 of `text`.
  public func appendText(to bytes: inout [UInt8]) {
    switch self {
    case .allocated(let allocation):
      var line = ShortLine()
      appendStatic("ok, tag = \"", to: &line)
      appendDecimal(allocation.tag, to: &line)
      line.append(UInt8(ascii: "\""))
      line.write(to: &bytes)
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
      var line = Self.detailLine(prefix: prefix, to: &bytes)
      appendPages(allocation.pageCount, to: &line)
      appendStatic(" from page ", to: &line)
      appendDecimal(allocation.firstPage, to: &line)
      if !allocation.glyphIsTag {
        appendStatic(", drawn as \"", to: &line)
        line.append(allocation.glyphByte)
        line.append(UInt8(ascii: "\""))
      }
      line.write(to: &bytes)
      return true
    case .deallocated(let allocation):
      var line = Self.detailLine(prefix: prefix, to: &bytes)
      appendStatic("tag ", to: &line)
      appendDecimal(allocation.tag, to: &line)
      appendStatic(": ", to: &line)
      appendPages(allocation.pageCount, to: &line)
      appendStatic(" freed from page ", to: &line)
      appendDecimal(allocation.firstPage, to: &line)
      line.write(to: &bytes)
      return true
    default:
      guard let detail else { return false }
      appendStatic(prefix, to: &bytes)
      bytes.append(contentsOf: detail.utf8)
      return true
    }
  }

  /// The longest detail written in a `ShortLine`: a DEALLOC's, "tag T: P pages freed from
  /// page F", each number as long as an `Int` is written (20 bytes, `Int.min`): 4 + 20 + 2
  /// + 20 + 6 + 17 + 20.
  static let longestShortDetail = 89

  /// A line for a detail, `prefix` in it: in the line when it fits beside the longest detail,
  /// else appended to `bytes` first.
  private static func detailLine(prefix: StaticString, to bytes: inout [UInt8]) -> ShortLine {
    var line = ShortLine()
    if prefix.utf8CodeUnitCount <= ShortLine.capacity - longestShortDetail {
      appendStatic(prefix, to: &line)
    } else {
      appendStatic(prefix, to: &bytes)
    }
    return line
  }
}
