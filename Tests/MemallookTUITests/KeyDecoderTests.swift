import Testing

@testable import MemallookTUI

@Suite struct KeyDecoderTests {
  static func keys(_ bytes: [UInt8]) -> [Key] {
    var decoder = KeyDecoder()
    return bytes.compactMap { decoder.feed($0) }
  }

  @Test(arguments: [
    ("a漢b", [Key.character("a"), .character("漢"), .character("b")]),
    ("é😀\r\t\u{7f}\u{1b}", [.character("é"), .character("😀"), .enter, .tab, .backspace, .escape]),
    ("\u{1}\u{17}", [.control("a"), .control("w")]),
  ])
  func bytesBecomeKeys(text: String, keys: [Key]) {
    #expect(Self.keys(Array(text.utf8)) == keys)
  }

  /// Fed one byte at a time (any split of a read), the keys are the same.
  @Test func aSequenceSplitAcrossReadsWaitsForItsLastByte() {
    var decoder = KeyDecoder()
    let bytes = Array("漢".utf8)
    #expect(decoder.feed(bytes[0]) == nil)
    #expect(decoder.feed(bytes[1]) == nil)
    #expect(decoder.feed(bytes[2]) == .character("漢"))
  }

  @Test func aBrokenSequenceIsDroppedAndTheNextByteKept() {
    #expect(Self.keys([0xE6, 0xBC, UInt8(ascii: "b")]) == [.character("b")])
    #expect(Self.keys([0xA2, UInt8(ascii: "b"), 0xFF, 0x00]) == [.character("b")])
  }
}
