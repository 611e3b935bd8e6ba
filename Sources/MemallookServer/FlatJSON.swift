/// A JSON object of scalars, read byte by byte, each value kept as the text it was
/// written in: `{"M":1e3}` gives `M` = `1e3`, which the command parser refuses exactly
/// as it refuses `M=1e3` in a query (a JSON decoder would have made it 1000).
///
/// Nested objects and arrays, a repeated name (names are compared ignoring ASCII case,
/// like the parameters they carry), anything after the object and anything that is not
/// RFC 8259 JSON are `Malformed`. `null` leaves the name out. The body limit
/// (`BodyCollector.commandBodyLimit`) bounds the input; there is no nesting, so no depth limit.
enum FlatJSON {
  /// Why the body is not a flat JSON object, and the byte where that showed.
  struct Malformed: Error, Equatable, CustomStringConvertible {
    let offset: Int
    let reason: String

    var description: String { "malformed JSON body at byte \(offset): \(reason)" }
  }

  /// The object's fields as name → value text (strings unescaped).
  /// - Complexity: O(n) in the number of bytes.
  static func parse(_ bytes: [UInt8]) throws(Malformed) -> [String: String] {
    var reader = Reader(bytes: bytes)
    return try reader.object()
  }
}

/// The cursor of `FlatJSON.parse`.
private struct Reader {
  let bytes: [UInt8]
  var index = 0

  var current: UInt8? { index < bytes.count ? bytes[index] : nil }

  func failure(_ reason: String, at offset: Int? = nil) -> FlatJSON.Malformed {
    FlatJSON.Malformed(offset: offset ?? index, reason: reason)
  }

  mutating func skipWhitespace() {
    while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
  }

  mutating func expect(_ byte: UInt8, _ reason: String) throws(FlatJSON.Malformed) {
    guard current == byte else { throw failure(reason) }
    index += 1
  }

  mutating func object() throws(FlatJSON.Malformed) -> [String: String] {
    skipWhitespace()
    try expect(UInt8(ascii: "{"), "expected a JSON object")
    var fields: [String: String] = [:]
    var names: Set<String> = []
    skipWhitespace()
    if current == UInt8(ascii: "}") {
      index += 1
    } else {
      while true {
        skipWhitespace()
        let nameStart = index
        guard current == UInt8(ascii: "\"") else { throw failure("expected a name in quotes") }
        let name = try string()
        guard names.insert(name.lowercased()).inserted else {
          throw failure("duplicate name \"\(name)\"", at: nameStart)
        }
        skipWhitespace()
        try expect(UInt8(ascii: ":"), "expected a colon after the name")
        skipWhitespace()
        if let value = try scalar() { fields[name] = value }
        skipWhitespace()
        if current == UInt8(ascii: ",") {
          index += 1
        } else {
          try expect(UInt8(ascii: "}"), "expected a comma or the end of the object")
          break
        }
      }
    }
    skipWhitespace()
    guard index == bytes.count else { throw failure("nothing may follow the object") }
    return fields
  }

  /// A string's text, a number's or `true`/`false` as written; nil for `null`.
  mutating func scalar() throws(FlatJSON.Malformed) -> String? {
    let start = index
    switch current ?? 0 {
    case UInt8(ascii: "\""): return try string()
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default:
      for word in ["true", "false", "null"] where bytes[index...].starts(with: word.utf8) {
        index += word.utf8.count
        return word == "null" ? nil : word
      }
      throw failure("a value must be a string, number, true, false or null", at: start)
    }
  }

  /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, returned as written.
  mutating func number() throws(FlatJSON.Malformed) -> String {
    let start = index
    let malformed = failure("malformed number", at: start)
    if current == UInt8(ascii: "-") { index += 1 }
    guard let first = current, isDigit(first) else { throw malformed }
    index += 1
    if first != UInt8(ascii: "0") { skipDigits() }
    if current == UInt8(ascii: ".") {
      index += 1
      guard let digit = current, isDigit(digit) else { throw malformed }
      skipDigits()
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      index += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
      guard let digit = current, isDigit(digit) else { throw malformed }
      skipDigits()
    }
    if let next = current, isDigit(next) { throw malformed }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

  mutating func skipDigits() {
    while let byte = current, isDigit(byte) { index += 1 }
  }

  /// The string starting at the current `"`, unescaped; it must be valid UTF-8.
  mutating func string() throws(FlatJSON.Malformed) -> String {
    let start = index
    index += 1
    var text: [UInt8] = []
    while true {
      guard let byte = current else { throw failure("unterminated string", at: start) }
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        guard let string = String(validating: text, as: UTF8.self) else {
          throw failure("a string is not valid UTF-8", at: start)
        }
        return string
      case UInt8(ascii: "\\"):
        try escape(into: &text)
      case 0..<0x20:
        throw failure("a control character in a string must be escaped")
      default:
        text.append(byte)
        index += 1
      }
    }
  }

  /// One escape sequence at the current `\`, appended to `text` as UTF-8.
  mutating func escape(into text: inout [UInt8]) throws(FlatJSON.Malformed) {
    let start = index
    index += 1
    guard let letter = current else { throw failure("unterminated string", at: start) }
    index += 1
    let simple: [UInt8: UInt8] = [
      UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
      UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
    ]
    if let byte = simple[letter] {
      text.append(byte)
      return
    }
    guard letter == UInt8(ascii: "u") else { throw failure("unknown escape", at: start) }
    var scalar = try hexQuad(escapeStart: start)
    if (0xD800...0xDBFF).contains(scalar) {
      guard bytes[index...].starts(with: "\\u".utf8) else { throw failure("lone surrogate", at: start) }
      index += 2
      let low = try hexQuad(escapeStart: start)
      guard (0xDC00...0xDFFF).contains(low) else { throw failure("lone surrogate", at: start) }
      scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
    }
    guard let unicode = Unicode.Scalar(scalar) else { throw failure("lone surrogate", at: start) }
    text.append(contentsOf: String(unicode).utf8)
  }

  /// Four hex digits of a `\u` escape.
  mutating func hexQuad(escapeStart: Int) throws(FlatJSON.Malformed) -> UInt32 {
    guard index + 4 <= bytes.count,
      let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
      bytes[index..<index + 4].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
    else { throw failure("\\u needs four hex digits", at: escapeStart) }
    index += 4
    return value
  }
}
