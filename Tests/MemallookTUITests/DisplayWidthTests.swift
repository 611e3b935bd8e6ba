import Testing

@testable import MemallookTUI

@Suite struct DisplayWidthTests {
  @Test(arguments: [
    ("a", 1), ("é", 1), ("e\u{301}", 1), ("\u{301}", 0), ("\u{200B}", 0), ("漢", 2), ("한", 2), ("あ", 2),
    ("Ａ", 2), ("ｱ", 1), ("😀", 2), ("·", 1), ("─", 1), ("–", 1),
  ])
  func terminalColumnsOfACharacter(character: String, columns: Int) {
    #expect(Character(character).displayWidth == columns)
  }
}
