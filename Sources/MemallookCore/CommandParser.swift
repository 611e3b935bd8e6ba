/// Parses the command language: `KEYWORD param...`, keywords case-insensitive,
/// parameters positional (`ALLOC 16`) or named as in the exercise (`ALLOC M=16`),
/// `#` to the end of the line a comment. The language is ASCII and is read as
/// bytes: a line with any other byte is refused with an error that says so.
/// Keywords, parameters and how each row builds its command are `CommandTable`'s.
public enum CommandParser {
  /// The keywords of the language, in the order HELP lists them (the screen's own left out).
  public static let keywords = CommandTable.keywords(for: [.script, .oneShot, .route])

  /// Parses one line; nil when it is blank or only a comment.
  /// - Throws: a `ParseError`; a screen command (REPLAY ...) is one here, named as such.
  public static func parse(_ line: String) throws(ParseError) -> Command? {
    var line = line
    return try line.withUTF8 { bytes in Result { () throws(ParseError) in try parse(utf8: bytes) } }.get()
  }

  /// Parses one line given as its bytes (without its line end); nil when it is blank or only a comment.
  /// - Complexity: O(bytes); allocates only for a tag's text and for errors.
  public static func parse(utf8 line: UnsafeBufferPointer<UInt8>) throws(ParseError) -> Command? {
    try command(from: parseLine(utf8: line, screen: false))
  }

  /// Parses one line of the TUI's prompt, which also takes the screen's own commands.
  public static func parseLine(_ line: String) throws(ParseError) -> ParsedLine? {
    var line = line
    return try line.withUTF8 { bytes in
      Result { () throws(ParseError) in try parseLine(utf8: bytes, screen: true) }
    }.get()
  }

  static func parseLine(utf8 line: UnsafeBufferPointer<UInt8>, screen: Bool) throws(ParseError) -> ParsedLine?
  {
    var lexer = try CommandLexer(line)
    guard let keyword = lexer.next() else { return nil }
    return try parse(line, keyword: keyword, rest: &lexer, endColumn: lexer.endColumn, screen: screen)
  }

  /// Parses words given one by one (a shell's argv): the first is the keyword.
  public static func parse(words: [String]) throws(ParseError) -> Command {
    guard !words.isEmpty else { throw ParseError("expected a command (try HELP)", column: nil) }
    var bytes: [UInt8] = []
    var tokens: [Token] = []
    var column = 1
    for text in words {
      let start = bytes.count
      bytes.append(contentsOf: text.utf8)
      if let index = bytes[start...].firstIndex(where: { $0 >= 0x80 }) {
        throw bytes.withUnsafeBufferPointer { buffer in
          CommandLexer.notASCII(buffer, at: index, column: column + index - start)
        }
      }
      tokens.append(Token(start: start, end: bytes.count, column: column))
      column += bytes.count - start + 1
    }
    let endColumn = column
    return try bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(ParseError) in
        var rest = tokens.dropFirst().makeIterator()
        return try command(
          from: parse(buffer, keyword: tokens[0], rest: &rest, endColumn: endColumn, screen: false))!
      }
    }.get()
  }

  private static func command(from line: ParsedLine?) throws(ParseError) -> Command? {
    switch line {
    case .command(let command): command
    case .screen: preconditionFailure("a screen command outside the screen")
    case nil: nil
    }
  }

  /// Each keyword and alias in upper case, with its row.
  private static let names: [(name: [UInt8], row: CommandSpec)] = CommandTable.rows.flatMap { row in
    row.names.map { (Array($0.utf8), row) }
  }

  private static func parse(
    _ line: UnsafeBufferPointer<UInt8>, keyword token: Token, rest: inout some IteratorProtocol<Token>,
    endColumn: Int, screen: Bool
  ) throws(ParseError) -> ParsedLine {
    let text = LineText(line: line)
    let offered: Fronts = screen ? [.script, .screen] : [.script, .oneShot, .route]
    guard let spec = names.first(where: { text.matchesUppercase(token.start, token.end, $0.name) })?.row
    else {
      throw ParseError(
        "unknown command \"\(text[token])\": expected one of "
          + CommandTable.keywords(for: offered).joined(separator: ", "),
        column: token.column)
    }
    guard !spec.fronts.isDisjoint(with: offered) else {
      throw ParseError(
        "\(spec.keyword) is a command of the TUI's player (memallook tui)", column: token.column)
    }
    var arguments = try Arguments(spec, text, &rest, endColumn: endColumn)
    return try spec.build(&arguments)
  }
}
