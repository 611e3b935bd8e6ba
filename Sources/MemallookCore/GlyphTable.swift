/// Gives each live allocation a one-character glyph, unique while glyphs last.
///
/// The alphabet is `1`–`9`, `a`–`z`, `A`–`Z` (61 glyphs). Tag `t` prefers the
/// glyph at position `(t - 1) % 61`, so tags 1–9 draw as their digit and tag 10
/// as `a`; when that glyph is taken by a live allocation, the next free one in
/// alphabet order (wrapping) is used. With all 61 taken, the preferred glyph is
/// shared. The glyph is fixed for the allocation's life.
struct GlyphTable: Sendable {
  static let alphabet: [Character] = Array(
    "123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  /// The alphabet's length, a constant (every ALLOC and DEALLOC reads it).
  @inline(__always) static var count: Int { 61 }

  /// How many live allocations use each glyph: inline, so that an ALLOC's count is
  /// one add, with no array to check for sharing.
  private var useCounts = InlineArray<61, Int32>(repeating: 0)
  /// Bit `i` is set while glyph `i` is unused.
  private var unused: UInt64 = (1 << UInt64(GlyphTable.count)) - 1

  /// How many live allocations use each glyph, in alphabet order.
  var uses: [Int32] { (0..<Self.count).map { useCounts[$0] } }

  /// The index of `glyph` in the alphabet, if it is one.
  static func index(of glyph: Character) -> UInt8? {
    alphabet.firstIndex(of: glyph).map { UInt8($0) }
  }

  /// Takes the glyph for a new allocation with `tag`; returns its index. - Complexity: O(1).
  mutating func take(for tag: Int) -> UInt8 {
    let preferred = (tag - 1) % Self.count
    let atOrAfter = unused & (~0 << UInt64(preferred))
    let chosen =
      atOrAfter != 0
      ? atOrAfter.trailingZeroBitCount : unused != 0 ? unused.trailingZeroBitCount : preferred
    retain(UInt8(chosen))
    return UInt8(chosen)
  }

  /// Counts one more allocation using glyph `index`.
  mutating func retain(_ index: UInt8) {
    useCounts[Int(index)] += 1
    unused &= ~(1 << UInt64(index))
  }

  /// Whether the unused-glyph mask agrees with the use counts.
  var isConsistent: Bool {
    (0..<Self.count).allSatisfy { (useCounts[$0] == 0) == (unused & (1 << UInt64($0)) != 0) }
  }

  /// Gives back glyph `index` of a freed allocation. - Complexity: O(1).
  mutating func release(_ index: UInt8) {
    useCounts[Int(index)] -= 1
    if useCounts[Int(index)] == 0 { unused |= 1 << UInt64(index) }
  }
}
