/// A word of a line of the command language: its bytes' range and its 1-based column.
struct Token {
  let start: Int
  let end: Int
  let column: Int
}

/// Splits one line of the command language into words, from its bytes.
///
/// The language is ASCII: `check` refuses a line with any other byte (comments
/// included) before anything is parsed, naming the character. Words are separated
/// by ASCII whitespace (tab, line feed, vertical tab, form feed, carriage return,
/// space); `#` starts a comment. Columns count characters as the user sees them,
/// so a CR LF pair inside a line (a `String` may hold one) counts as one column.
struct CommandLexer: IteratorProtocol {
  let line: UnsafeBufferPointer<UInt8>
  /// Where the comment starts, or the end of the line.
  let end: Int
  /// The column just past the line's last character, where "needs a parameter" errors point.
  let endColumn: Int
  private var offset = 0
  /// CR LF pairs seen so far: each makes one column of two bytes.
  private var pairs = 0

  /// Reads `line` and checks that it is ASCII.
  /// - Throws: a `ParseError` at the first byte that is not ASCII.
  /// - Complexity: O(bytes) without allocating.
  init(_ line: UnsafeBufferPointer<UInt8>) throws(ParseError) {
    self.line = line
    var comment = line.count
    var pairs = 0
    for index in line.indices {
      let byte = line[index]
      if byte >= 0x80 { throw Self.notASCII(line, at: index, column: index - pairs + 1) }
      if byte == UInt8(ascii: "#"), comment == line.count { comment = index }
      if byte == UInt8(ascii: "\r"), index + 1 < line.count, line[index + 1] == UInt8(ascii: "\n") {
        pairs += 1
      }
    }
    end = comment
    endColumn = line.count - pairs + 1
  }

  mutating func next() -> Token? {
    while offset < end, Self.isSpace(line[offset]) {
      if line[offset] == UInt8(ascii: "\r"), offset + 1 < end, line[offset + 1] == UInt8(ascii: "\n") {
        pairs += 1
      }
      offset += 1
    }
    guard offset < end else { return nil }
    let start = offset
    while offset < end, !Self.isSpace(line[offset]) { offset += 1 }
    return Token(start: start, end: offset, column: start - pairs + 1)
  }

  /// ASCII whitespace: what `Character.isWhitespace` says of the ASCII range.
  @inline(__always)
  static func isSpace(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || (byte >= 0x09 && byte <= 0x0D)
  }

  /// The error for the non-ASCII byte at `index`: names its character as `U+XXXX`
  /// (never printed as itself: it could be a terminal control), or the byte when
  /// it does not start valid UTF-8.
  static func notASCII(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, column: Int) -> ParseError {
    var iterator = bytes[index...].makeIterator()
    var decoder = UTF8()
    let what: String
    if case .scalarValue(let scalar) = decoder.decode(&iterator) {
      let hex = String(scalar.value, radix: 16, uppercase: true)
      what = "character U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    } else {
      let hex = String(bytes[index], radix: 16, uppercase: true)
      what = "byte 0x" + (hex.count < 2 ? "0" : "") + hex + " (not UTF-8)"
    }
    return ParseError("non-ASCII \(what): the command language is ASCII", column: column)
  }
}
