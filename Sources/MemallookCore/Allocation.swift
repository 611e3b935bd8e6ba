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
  /// The one character that draws this allocation's pages in SHOW and the TUI.
  public let glyph: Character

  /// One past the last page of the run.
  public var endPage: Int { firstPage + pageCount }

  /// The tag as users type and read it.
  public var tagText: String { String(tag) }
}

/// One step of a defragmentation plan: move the run of `tag` from `from` to `to`.
public struct Move: Sendable, Equatable, Codable {
  public let tag: Int
  public let from: Int
  public let to: Int
  public let pageCount: Int
}
