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

  /// How many live allocations use each glyph.
  private(set) var uses = [Int](repeating: 0, count: GlyphTable.alphabet.count)

  /// Takes the glyph for a new allocation with `tag`. - Complexity: O(61).
  mutating func take(for tag: Int) -> Character {
    let size = Self.alphabet.count
    let preferred = (tag - 1) % size
    var chosen = preferred
    for step in 0..<size where uses[(preferred + step) % size] == 0 {
      chosen = (preferred + step) % size
      break
    }
    uses[chosen] += 1
    return Self.alphabet[chosen]
  }

  /// Marks `glyph` as used by one more allocation (when restoring a heap).
  mutating func retain(_ glyph: Character) {
    if let index = Self.alphabet.firstIndex(of: glyph) { uses[index] += 1 }
  }

  /// Gives back the glyph of a freed allocation.
  mutating func release(_ glyph: Character) {
    if let index = Self.alphabet.firstIndex(of: glyph), uses[index] > 0 { uses[index] -= 1 }
  }
}
