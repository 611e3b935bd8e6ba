/// Parses the command language: `KEYWORD param...`, keywords case-insensitive,
/// parameters positional (`ALLOC 16`) or named as in the exercise (`ALLOC M=16`),
/// `#` to the end of the line a comment. The language is ASCII and is read as
/// bytes: a line with any other byte is refused with an error that says so.
public enum CommandParser {
  /// The keywords, in the order HELP lists them, with their aliases.
  public static let keywords: [String] = [
    "NEW", "ALLOC", "DEALLOC", "REALLOC", "SHOW", "DEFRAG", "POLICY", "UNDO", "REDO", "GOTO", "HISTORY",
    "BRANCH",
    "STATS",
    "RESET", "CLEAR", "HELP", "QUIT",
  ]

  /// Parses one line; nil when it is blank or only a comment.
  public static func parse(_ line: String) throws(ParseError) -> Command? {
    var line = line
    return try line.withUTF8 { bytes in Result { () throws(ParseError) in try parse(utf8: bytes) } }.get()
  }

  /// Parses one line given as its bytes (without its line end); nil when it is blank or only a comment.
  /// - Complexity: O(bytes); allocates only for a tag's text and for errors.
  public static func parse(utf8 line: UnsafeBufferPointer<UInt8>) throws(ParseError) -> Command? {
    var lexer = try CommandLexer(line)
    guard let keyword = lexer.next() else { return nil }
    return try parse(line, keyword: keyword, rest: &lexer, endColumn: lexer.endColumn)
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
        return try parse(buffer, keyword: tokens[0], rest: &rest, endColumn: endColumn)
      }
    }.get()
  }

  private static func parse(
    _ line: UnsafeBufferPointer<UInt8>, keyword token: Token, rest: inout some IteratorProtocol<Token>,
    endColumn: Int
  ) throws(ParseError) -> Command {
    let text = Text(line: line)
    guard let keyword = Keyword(text, token) else {
      throw ParseError(
        "unknown command \"\(text[token])\": expected one of \(keywords.joined(separator: ", "))",
        column: token.column)
    }
    func bind(_ signature: Signature) throws(ParseError) -> Arguments {
      try Arguments(signature, text, &rest, endColumn: endColumn)
    }
    switch keyword {
    case .new:
      let values = try bind(.new)
      return .new(
        pageSize: try text.positiveInteger(values[0]!, "p", Expectation.pageSize),
        pageCount: try text.positiveInteger(values[1]!, "N", Expectation.pageCount),
        policy: try values[2].map { token throws(ParseError) in try text.policy(token) })
    case .alloc:
      let values = try bind(.alloc)
      return .alloc(bytes: try text.positiveInteger(values[0]!, "M", Expectation.bytes))
    case .dealloc:
      let values = try bind(.dealloc)
      return .dealloc(tag: text[values[0]!])
    case .realloc:
      let values = try bind(.realloc)
      return .realloc(
        tag: text[values[0]!], bytes: try text.positiveInteger(values[1]!, "M", Expectation.bytes))
    case .show:
      let values = try bind(.show)
      return .show(
        width: try values[0].map { token throws(ParseError) in
          try text.positiveInteger(token, "width", Expectation.width)
        })
    case .policy:
      let values = try bind(.policy)
      return .policy(try text.policy(values[0]!))
    case .reset, .clear:
      _ = try bind(keyword == .reset ? .reset : .clear)
      return .reset
    case .defrag:
      let values = try bind(.defrag)
      return .defrag(
        moves: try values[0].map { token throws(ParseError) in
          try text.positiveInteger(token, "moves", Expectation.moves)
        })
    case .undo, .redo:
      let values = try bind(keyword == .undo ? .undo : .redo)
      let steps = try values[0].map { token throws(ParseError) in
        try text.positiveInteger(token, "steps", Expectation.steps)
      }
      return keyword == .undo ? .undo(steps: steps) : .redo(steps: steps)
    case .goto:
      let values = try bind(.goto)
      return .goto(step: try text.wholeNumber(values[0]!, "step", Expectation.step))
    case .history:
      let values = try bind(.history)
      return .history(
        count: try values[0].map { token throws(ParseError) in
          try text.positiveInteger(token, "count", Expectation.count)
        })
    case .branch:
      let values = try bind(.branch)
      return .branch(try text.policy(values[0]!))
    case .stats:
      _ = try bind(.stats)
      return .stats
    case .help:
      return .help
    case .quit:
      _ = try bind(.quit)
      return .quit
    }
  }
}

/// The bytes of a line, read word by word.
private struct Text {
  let line: UnsafeBufferPointer<UInt8>

  /// A word as text, for tags and messages.
  subscript(token: Token) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: line[token.start..<token.end]), as: UTF8.self)
  }

  func positiveInteger(_ token: Token, _ name: String, _ expected: String) throws(ParseError) -> Int {
    let value = try wholeNumber(token, name, expected)
    guard value > 0 else {
      throw ParseError("\(name) must be \(expected), not \"\(self[token])\"", column: token.column)
    }
    return value
  }

  /// Plain decimal digits (0 allowed) that fit in an `Int`.
  func wholeNumber(_ token: Token, _ name: String, _ expected: String) throws(ParseError) -> Int {
    var value = 0
    var digitsOnly = token.end > token.start
    var overflow = false
    for index in token.start..<token.end {
      let digit = line[index] &- UInt8(ascii: "0")
      guard digit < 10 else {
        digitsOnly = false
        break
      }
      let (times10, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times10.addingReportingOverflow(Int(digit))
      value = sum
      overflow = overflow || o1 || o2
    }
    guard digitsOnly else {
      throw ParseError("\(name) must be \(expected), not \"\(self[token])\"", column: token.column)
    }
    guard !overflow else { throw ParseError("\(name) \"\(self[token])\" is too large", column: token.column) }
    return value
  }

  func policy(_ token: Token) throws(ParseError) -> Policy {
    let word = self[token]
    var name = word.lowercased()
    for suffix in ["-fit", "_fit", "fit"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
    guard let policy = Policy(rawValue: name) else {
      throw ParseError("policy must be \(Expectation.policy), not \"\(word)\"", column: token.column)
    }
    return policy
  }

  /// Whether the bytes from `start` to `end` spell `name`, ignoring ASCII case (a parameter name).
  func matches(_ start: Int, _ end: Int, _ name: StaticString) -> Bool {
    guard end - start == name.utf8CodeUnitCount else { return false }
    for index in 0..<(end - start)
    where Self.lowercased(line[start + index]) != Self.lowercased(name.utf8Start[index]) {
      return false
    }
    return true
  }

  /// Whether the bytes from `start` to `end` are `name` (upper case) in any ASCII case (a keyword).
  func matchesUppercase(_ start: Int, _ end: Int, _ name: StaticString) -> Bool {
    guard end - start == name.utf8CodeUnitCount else { return false }
    for index in 0..<(end - start) where Self.uppercased(line[start + index]) != name.utf8Start[index] {
      return false
    }
    return true
  }

  @inline(__always) static func lowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 0x20 : byte
  }

  @inline(__always) static func uppercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte
  }
}

/// The keywords and their aliases.
private enum Keyword {
  case new, alloc, dealloc, realloc, show, defrag, policy, undo, redo, goto, history, branch, stats
  case reset, clear, help, quit

  static let table: [(StaticString, Keyword)] = [
    ("ALLOC", .alloc), ("DEALLOC", .dealloc), ("FREE", .dealloc), ("NEW", .new), ("REALLOC", .realloc),
    ("SHOW", .show), ("DEFRAG", .defrag), ("POLICY", .policy), ("UNDO", .undo), ("REDO", .redo),
    ("GOTO", .goto), ("HISTORY", .history), ("BRANCH", .branch), ("STATS", .stats), ("RESET", .reset),
    ("CLEAR", .clear), ("HELP", .help), ("?", .help), ("QUIT", .quit), ("EXIT", .quit),
  ]

  init?(_ text: Text, _ token: Token) {
    for (name, keyword) in Self.table where text.matchesUppercase(token.start, token.end, name) {
      self = keyword
      return
    }
    return nil
  }
}

/// What a keyword takes: its name in messages and its parameters, in order.
private struct Signature {
  let keyword: String
  let names: [StaticString]
  let required: Int

  static let new = Signature(keyword: "NEW", names: ["p", "N", "policy"], required: 2)
  static let alloc = Signature(keyword: "ALLOC", names: ["M"], required: 1)
  static let dealloc = Signature(keyword: "DEALLOC", names: ["tag"], required: 1)
  static let realloc = Signature(keyword: "REALLOC", names: ["tag", "M"], required: 2)
  static let show = Signature(keyword: "SHOW", names: ["width"], required: 0)
  static let policy = Signature(keyword: "POLICY", names: ["policy"], required: 1)
  static let reset = Signature(keyword: "RESET", names: [], required: 0)
  static let clear = Signature(keyword: "CLEAR", names: [], required: 0)
  static let defrag = Signature(keyword: "DEFRAG", names: ["moves"], required: 0)
  static let undo = Signature(keyword: "UNDO", names: ["steps"], required: 0)
  static let redo = Signature(keyword: "REDO", names: ["steps"], required: 0)
  static let goto = Signature(keyword: "GOTO", names: ["step"], required: 1)
  static let history = Signature(keyword: "HISTORY", names: ["count"], required: 0)
  static let branch = Signature(keyword: "BRANCH", names: ["policy"], required: 1)
  static let stats = Signature(keyword: "STATS", names: [], required: 0)
  static let quit = Signature(keyword: "QUIT", names: [], required: 0)

  /// `p N policy`: for messages only.
  var joinedNames: String { names.map { "\($0)" }.joined(separator: " ") }
}

/// The words after a keyword, bound to the keyword's parameters by position or by `name=value`:
/// one word per parameter (nil when an optional one is absent), the value part of `name=value`.
private struct Arguments {
  private var values: (Token?, Token?, Token?) = (nil, nil, nil)

  subscript(index: Int) -> Token? {
    get {
      switch index {
      case 0: values.0
      case 1: values.1
      default: values.2
      }
    }
    set {
      switch index {
      case 0: values.0 = newValue
      case 1: values.1 = newValue
      default: values.2 = newValue
      }
    }
  }

  init(
    _ signature: Signature, _ text: Text, _ words: inout some IteratorProtocol<Token>, endColumn: Int
  ) throws(ParseError) {
    let count = signature.names.count
    let keyword = signature.keyword
    var nextPositional = 0
    while let word = words.next() {
      var equals = word.start
      while equals < word.end, text.line[equals] != UInt8(ascii: "=") { equals += 1 }
      if equals < word.end {
        guard let index = signature.names.firstIndex(where: { text.matches(word.start, equals, $0) }) else {
          let name = text[Token(start: word.start, end: equals, column: word.column)]
          let takes = count == 0 ? "takes no parameters" : "takes \(signature.joinedNames)"
          throw ParseError("unknown parameter \"\(name)\": \(keyword) \(takes)", column: word.column)
        }
        guard self[index] == nil else {
          throw ParseError("\(signature.names[index]) given twice", column: word.column)
        }
        self[index] = Token(start: equals + 1, end: word.end, column: word.column + equals - word.start + 1)
      } else {
        while nextPositional < count, self[nextPositional] != nil { nextPositional += 1 }
        guard nextPositional < count else {
          let takes = count == 0 ? "takes no parameters" : "takes only \(signature.joinedNames)"
          throw ParseError("unexpected \"\(text[word])\": \(keyword) \(takes)", column: word.column)
        }
        self[nextPositional] = word
      }
    }
    for index in 0..<signature.required where self[index] == nil {
      throw ParseError(
        "\(keyword) needs \(signature.names[index]) (usage: \(keyword) \(signature.joinedNames))",
        column: endColumn)
    }
  }
}
