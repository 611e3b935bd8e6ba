/// Words of an ASCII trace's line, read as bytes: the tokenizer every trace format shares.
enum TraceReader {
  typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

  /// The next word of `line` after `index` (words are separated by spaces, tabs or `separator`).
  static func nextWord(in line: Bytes, from index: inout Int, separator: UInt8 = UInt8(ascii: " ")) -> Bytes?
  {
    func isSpace(_ byte: UInt8) -> Bool {
      byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == separator || byte == 0x0B
        || byte == 0x0C || byte == UInt8(ascii: "\r")
    }
    while index < line.endIndex, isSpace(line[index]) { index += 1 }
    guard index < line.endIndex else { return nil }
    let start = index
    while index < line.endIndex, !isSpace(line[index]) { index += 1 }
    return line[start..<index]
  }

  /// `word` as a whole number from 0 to `limit`.
  /// - Throws: `.badNumber` (not digits), `.numberTooLarge` (past `limit`), at `line`.
  static func number(_ word: Bytes?, _ what: String, limit: Int, line: Int) throws(TraceError) -> Int {
    guard let word, !word.isEmpty else {
      throw TraceError(line: line, problem: .badNumber(what: what, found: ""))
    }
    func notANumber() -> TraceError {
      TraceError(line: line, problem: .badNumber(what: what, found: text(word)))
    }
    var value = 0
    var tooLarge = false
    if word.count <= 18 {  // cannot overflow: the common case, without saturating arithmetic
      for byte in word {
        let digit = byte &- UInt8(ascii: "0")
        guard digit < 10 else { throw notANumber() }
        value = value &* 10 &+ Int(digit)
      }
      tooLarge = value > limit
    } else {
      for byte in word {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw notANumber() }
        if !tooLarge {
          value = value.saturatingMultiplied(by: 10).saturatingAdding(Int(byte &- UInt8(ascii: "0")))
          tooLarge = value > limit
        }
      }
    }
    guard !tooLarge else {
      throw TraceError(
        line: line,
        problem: .numberTooLarge(what: noun(what), found: String(text(word).prefix(40)), limit: limit))
    }
    return value
  }

  /// `an id` → `id`, for "id 99999 is larger than ...".
  private static func noun(_ what: String) -> String {
    what.hasPrefix("an ")
      ? String(what.dropFirst(3)) : what.hasPrefix("a ") ? String(what.dropFirst(2)) : what
  }

  static func text(_ word: Bytes) -> String { String(decoding: word.prefix(60), as: UTF8.self) }
}
