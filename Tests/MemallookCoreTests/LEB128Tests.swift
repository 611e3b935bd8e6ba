import Testing

@testable import MemallookCore

struct LEB128Tests {
  /// Every kind of number comes back as written, in order, from 0 to the extremes.
  @Test func numbersComeBackAsWritten() {
    let unsigned = [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 32, 1 << 62, Int.max]
    let signed = [0, -1, 1, -64, 64, -65, 1 << 40, -(1 << 40), Int.max, Int.min]
    #expect(unsigned.count == signed.count)
    var writer = LEB128Writer()
    for (value, other) in zip(unsigned, signed) {
      writer.append(value)
      writer.append(signed: other)
    }
    var reader = LEB128Reader(writer.bytes)
    for (value, other) in zip(unsigned, signed) {
      #expect(reader.nextInt() == value)
      #expect(reader.nextSigned() == other)
    }
    #expect(reader.isAtEnd)
  }

  /// A number takes a byte for each seven bits it needs; a small one either way, one byte.
  @Test func smallNumbersTakeOneByte() {
    for (value, bytes) in [(0, 1), (127, 1), (128, 2), (16_383, 2), (16_384, 3), (Int.max, 9)] {
      var writer = LEB128Writer()
      writer.append(value)
      #expect(writer.bytes.count == bytes, "\(value)")
    }
    for value in [-64, -1, 0, 63] {
      var writer = LEB128Writer()
      writer.append(signed: value)
      #expect(writer.bytes.count == 1, "\(value)")
    }
    var writer = LEB128Writer()
    writer.append(signed: Int.min)
    #expect(writer.bytes.count == 10)
  }
}
