/// Turns the bytes a terminal sends into keys: ASCII controls are keys of their
/// own, UTF-8 sequences become characters. A sequence cut by the end of a read
/// (a long paste can split one) waits for its last bytes instead of being lost,
/// as ncurses' `get_wch` loses it in no-delay mode.
public struct KeyDecoder: Sendable {
  /// The bytes of a character so far, and how many it has.
  private var pending: [UInt8] = []
  private var expected = 0

  public init() {}

  /// The key `byte` completes, if any. A broken sequence is dropped; the byte that broke it is decoded afresh.
  public mutating func feed(_ byte: UInt8) -> Key? {
    if !pending.isEmpty {
      if byte & 0xC0 == 0x80 {
        pending.append(byte)
        guard pending.count == expected else { return nil }
        defer { pending.removeAll() }
        let scalars = String(decoding: pending, as: UTF8.self).unicodeScalars
        return scalars.count == 1 && scalars.first != "\u{FFFD}" ? .character(Character(scalars.first!)) : nil
      }
      pending.removeAll()
    }
    switch byte {
    case 0..<0x80: return Self.key(ascii: byte)
    case 0xC2...0xDF: expected = 2
    case 0xE0...0xEF: expected = 3
    case 0xF0...0xF4: expected = 4
    default: return nil  // a continuation byte without its start, or never valid in UTF-8
    }
    pending = [byte]
    return nil
  }

  private static func key(ascii byte: UInt8) -> Key? {
    switch byte {
    case 10, 13: .enter
    case 9: .tab
    case 8, 127: .backspace
    case 27: .escape
    case 1...26: .control(Character(Unicode.Scalar(byte + 96)))
    case 32..<127: .character(Character(Unicode.Scalar(byte)))
    default: nil  // NUL and the other controls type nothing
    }
  }
}
