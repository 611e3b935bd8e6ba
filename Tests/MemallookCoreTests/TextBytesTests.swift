import Testing

@testable import MemallookCore

/// The byte writers write what `String` writes, at the edges of their ranges too.
@Suite struct TextBytesTests {
  @Test(arguments: [0, 1, 9, 10, -1, -10, 1_234_567, Int.max, Int.min])
  func decimalsAreWhatStringWrites(value: Int) {
    var bytes: [UInt8] = Array("x".utf8)
    appendDecimal(value, to: &bytes)
    #expect(String(decoding: bytes, as: UTF8.self) == "x\(value)")
  }

  @Test(arguments: [0, 7, UInt64(Int.max) + 1, UInt64.max])
  func unsignedDecimalsAreWhatStringWrites(value: UInt64) {
    var bytes: [UInt8] = []
    appendDecimal(magnitude: value, to: &bytes)
    #expect(String(decoding: bytes, as: UTF8.self) == String(value))
  }

  @Test func countedNounsTakeAnSExceptForOne() {
    for (count, text) in [(0, "0 bytes"), (1, "1 byte"), (2, "2 bytes")] {
      var bytes: [UInt8] = []
      appendCounted(count, "byte", to: &bytes)
      #expect(String(decoding: bytes, as: UTF8.self) == text)
      #expect(text == counted(count, "byte"))
    }
  }
}
