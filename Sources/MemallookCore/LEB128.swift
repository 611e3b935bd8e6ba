/// Numbers written in LEB128, seven bits a byte, low bits first, the high bit set on every
/// byte but a number's last: a number below 128 takes one byte, one below 2^14 two, and
/// any `Int` at most ten. A signed number is written zigzagged (0, -1, 1, -2, ... as 0, 1,
/// 2, 3, ...), so that a small difference either way stays small. What a checkpoint keeps
/// (`Heap.Compact`, `TraceReplayer.Checkpoint`): mostly small numbers, differences between
/// neighbours. - Complexity: O(1) a number, for writing and reading.
struct LEB128Writer {
  private var written: [UInt8] = []

  init(reservingCapacity capacity: Int = 0) { written.reserveCapacity(capacity) }

  /// What was written, in an array of its own size: a kept checkpoint holds no room to spare
  /// (its budget counts its bytes).
  var bytes: [UInt8] {
    written.capacity > written.count + written.count / 8
      ? written.withUnsafeBufferPointer { Array($0) } : written
  }

  /// Appends `value`, seven bits a byte.
  mutating func append(_ value: UInt) {
    var value = value
    while value >= 0x80 {
      written.append(UInt8(truncatingIfNeeded: value) | 0x80)
      value >>= 7
    }
    written.append(UInt8(value))
  }

  /// Appends `value`, which must not be negative.
  mutating func append(_ value: Int) {
    assert(value >= 0, "LEB128: \(value) is negative; append(signed:) writes it")
    append(UInt(bitPattern: value))
  }

  /// Appends `value` zigzagged: 0, -1, 1, -2, ... as 0, 1, 2, 3, ...
  mutating func append(signed value: Int) {
    append(UInt(bitPattern: (value << 1) ^ (value >> (Int.bitWidth - 1))))
  }
}

/// Reads back what a `LEB128Writer` wrote, in the same order and kinds.
struct LEB128Reader {
  private let bytes: [UInt8]
  private var offset = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var isAtEnd: Bool { offset == bytes.count }

  /// The next number, written by `append(_: UInt)`.
  mutating func next() -> UInt {
    var (value, shift) = (UInt(0), 0)
    while true {
      let byte = bytes[offset]
      offset &+= 1
      value |= UInt(byte & 0x7F) << shift
      guard byte & 0x80 != 0 else { return value }
      shift &+= 7
    }
  }

  /// The next number, written by `append(_: Int)`.
  mutating func nextInt() -> Int { Int(bitPattern: next()) }

  /// The next number, written by `append(signed:)`.
  mutating func nextSigned() -> Int {
    let zigzag = next()
    return Int(bitPattern: zigzag >> 1) ^ -Int(bitPattern: zigzag & 1)
  }
}
