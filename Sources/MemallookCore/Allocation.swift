/// A live allocation: a contiguous run of pages owned by one tag.
public struct Allocation: Sendable, Equatable, Hashable, Codable {
  /// The tag number; users see it as the string `"\(tag)"`.
  public let tag: Int
  /// The bytes asked for by ALLOC (at most `pageCount * pageSize`).
  public let bytes: Int
  /// The first page of the run.
  public internal(set) var firstPage: Int
  /// The number of pages in the run, `ceil(bytes / pageSize)`.
  public let pageCount: Int
  /// Position of the glyph in `GlyphTable.alphabet`.
  let glyphIndex: UInt8

  /// The one character that draws this allocation's pages in SHOW and the TUI.
  public var glyph: Character { GlyphTable.alphabet[Int(glyphIndex)] }

  init(tag: Int, bytes: Int, firstPage: Int, pageCount: Int, glyphIndex: UInt8) {
    self.tag = tag
    self.bytes = bytes
    self.firstPage = firstPage
    self.pageCount = pageCount
    self.glyphIndex = glyphIndex
  }

  /// An allocation drawn with `glyph`, which must be in the glyph alphabet.
  public init(tag: Int, bytes: Int, firstPage: Int, pageCount: Int, glyph: Character) {
    guard let index = GlyphTable.index(of: glyph) else { preconditionFailure("\(glyph) is not a glyph") }
    self.init(tag: tag, bytes: bytes, firstPage: firstPage, pageCount: pageCount, glyphIndex: index)
  }

  /// One past the last page of the run.
  public var endPage: Int { firstPage + pageCount }

  /// The tag as users type and read it.
  public var tagText: String { String(tag) }

  /// The tag that `text` names: a positive `Int` written as `tagText` writes it, so "+1",
  /// "01" and "1.0" name none. - Complexity: O(bytes), without allocating.
  static func tag(named text: String) -> Int? {
    var text = text
    return text.withUTF8 { bytes in
      guard let first = bytes.first, first != UInt8(ascii: "0") else { return nil }
      var tag = 0
      for byte in bytes {
        let digit = byte &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        let (times10, overflowed) = tag.multipliedReportingOverflow(by: 10)
        let (sum, carried) = times10.addingReportingOverflow(Int(digit))
        guard !overflowed, !carried else { return nil }
        tag = sum
      }
      return tag
    }
  }
}

/// One step of a defragmentation plan: move the run of `tag` from `from` to `to`.
public struct Move: Sendable, Equatable, Codable {
  public let tag: Int
  public let from: Int
  public let to: Int
  public let pageCount: Int
}

extension Allocation: IntMapValue {
  /// Tag 0, which no allocation has: what vacant slots of the tag table hold.
  static let placeholder = Allocation(tag: 0, bytes: 0, firstPage: 0, pageCount: 0, glyphIndex: 0)
}
