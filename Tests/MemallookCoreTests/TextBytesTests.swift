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

  /// The digit count is right on both sides of every power of ten and of two.
  @Test func digitsAreCountedAsStringWritesThem() {
    var values: [UInt64] = [0, UInt64.max]
    var power: UInt64 = 1
    for _ in 0..<19 {
      power *= 10
      values += [power - 1, power, power + 1]
    }
    for shift in 0..<64 { values += [(1 << shift) - 1, 1 << shift, (1 << shift) + 1] }
    for value in values { #expect(ShortLine.decimalDigits(value) == String(value).count, "\(value)") }
  }

  /// A short line writes its digits in place, not through a buffer: the same digits.
  @Test(arguments: [0, 1, 9, 10, 99, 100, -1, -10, 1_234_567, Int.max, Int.min])
  func shortLineDecimalsAreWhatStringWrites(value: Int) {
    var line = ShortLine()
    appendStatic("x", to: &line)
    appendDecimal(value, to: &line)
    appendCounted(value, "page", to: &line)
    var bytes: [UInt8] = Array("<".utf8)
    line.write(to: &bytes)
    #expect(String(decoding: bytes, as: UTF8.self) == "<x\(value)" + counted(value, "page"))
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
