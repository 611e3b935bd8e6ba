/// Parses the command language: `KEYWORD param...`, keywords case-insensitive,
/// parameters positional (`ALLOC 16`) or named as in the exercise (`ALLOC M=16`),
/// `#` to the end of the line a comment.
public enum CommandParser {
  /// A word of the line and its 1-based column.
  struct Word {
    let text: String
    let column: Int
  }

  /// The keywords, in the order HELP lists them, with their aliases.
  public static let keywords: [String] = [
    "NEW", "ALLOC", "DEALLOC", "REALLOC", "SHOW", "DEFRAG", "POLICY", "UNDO", "REDO", "GOTO", "HISTORY",
    "BRANCH",
    "STATS",
    "RESET", "CLEAR", "HELP", "QUIT",
  ]

  /// Parses one line; nil when it is blank or only a comment.
  public static func parse(_ line: String) throws(ParseError) -> Command? {
    let words = split(line)
    guard !words.isEmpty else { return nil }
    return try parse(words, endColumn: line.count + 1)
  }

  /// Parses words given one by one (a shell's argv): the first is the keyword.
  public static func parse(words: [String]) throws(ParseError) -> Command {
    guard !words.isEmpty else { throw ParseError("expected a command (try HELP)", column: nil) }
    var column = 1
    var located: [Word] = []
    for text in words {
      located.append(Word(text: text, column: column))
      column += text.count + 1
    }
    return try parse(located, endColumn: column)
  }

  static func split(_ line: String) -> [Word] {
    var words: [Word] = []
    var current = ""
    var start = 0
    for (offset, character) in line.enumerated() {
      if character == "#" { break }
      if character.isWhitespace {
        if !current.isEmpty { words.append(Word(text: current, column: start + 1)) }
        current = ""
      } else {
        if current.isEmpty { start = offset }
        current.append(character)
      }
    }
    if !current.isEmpty { words.append(Word(text: current, column: start + 1)) }
    return words
  }

  private static func parse(_ words: [Word], endColumn: Int) throws(ParseError) -> Command {
    let keyword = words[0]
    let arguments = Arguments(words: Array(words.dropFirst()), endColumn: endColumn)
    switch keyword.text.uppercased() {
    case "NEW":
      let values = try arguments.bind("NEW", [.required("p"), .required("N"), .optional("policy")])
      return .new(
        pageSize: try positiveInteger(values[0]!, "p", Expectation.pageSize),
        pageCount: try positiveInteger(values[1]!, "N", Expectation.pageCount),
        policy: try values[2].map { word throws(ParseError) in try policy(word) })
    case "ALLOC":
      let values = try arguments.bind("ALLOC", [.required("M")])
      return .alloc(bytes: try positiveInteger(values[0]!, "M", Expectation.bytes))
    case "DEALLOC", "FREE":
      let values = try arguments.bind("DEALLOC", [.required("tag")])
      return .dealloc(tag: values[0]!.text)
    case "REALLOC":
      let values = try arguments.bind("REALLOC", [.required("tag"), .required("M")])
      return .realloc(tag: values[0]!.text, bytes: try positiveInteger(values[1]!, "M", Expectation.bytes))
    case "SHOW":
      let values = try arguments.bind("SHOW", [.optional("width")])
      return .show(
        width: try values[0].map { word throws(ParseError) in
          try positiveInteger(word, "width", Expectation.width)
        })
    case "POLICY":
      let values = try arguments.bind("POLICY", [.required("policy")])
      return .policy(try policy(values[0]!))
    case "RESET", "CLEAR":
      _ = try arguments.bind(keyword.text.uppercased(), [])
      return .reset
    case "DEFRAG":
      let values = try arguments.bind("DEFRAG", [.optional("moves")])
      return .defrag(
        moves: try values[0].map { word throws(ParseError) in
          try positiveInteger(word, "moves", Expectation.moves)
        })
    case "UNDO", "REDO":
      let name = keyword.text.uppercased()
      let values = try arguments.bind(name, [.optional("steps")])
      let steps = try values[0].map { word throws(ParseError) in
        try positiveInteger(word, "steps", Expectation.steps)
      }
      return name == "UNDO" ? .undo(steps: steps) : .redo(steps: steps)
    case "GOTO":
      let values = try arguments.bind("GOTO", [.required("step")])
      return .goto(step: try wholeNumber(values[0]!, "step", Expectation.step))
    case "HISTORY":
      let values = try arguments.bind("HISTORY", [.optional("count")])
      return .history(
        count: try values[0].map { word throws(ParseError) in
          try positiveInteger(word, "count", Expectation.count)
        })
    case "BRANCH":
      let values = try arguments.bind("BRANCH", [.required("policy")])
      return .branch(try policy(values[0]!))
    case "STATS":
      _ = try arguments.bind("STATS", [])
      return .stats
    case "HELP", "?":
      return .help
    case "QUIT", "EXIT":
      _ = try arguments.bind("QUIT", [])
      return .quit
    default:
      throw ParseError(
        "unknown command \"\(keyword.text)\": expected one of \(keywords.joined(separator: ", "))",
        column: keyword.column)
    }
  }

  private static func positiveInteger(_ word: Word, _ name: String, _ expected: String) throws(ParseError)
    -> Int
  {
    let value = try wholeNumber(word, name, expected)
    guard value > 0 else {
      throw ParseError("\(name) must be \(expected), not \"\(word.text)\"", column: word.column)
    }
    return value
  }

  /// Plain decimal digits (0 allowed) that fit in an `Int`.
  private static func wholeNumber(_ word: Word, _ name: String, _ expected: String) throws(ParseError) -> Int
  {
    let digits = word.text.utf8
    guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
    else {
      throw ParseError("\(name) must be \(expected), not \"\(word.text)\"", column: word.column)
    }
    guard let value = Int(word.text) else {
      throw ParseError("\(name) \"\(word.text)\" is too large", column: word.column)
    }
    return value
  }

  private static func policy(_ word: Word) throws(ParseError) -> Policy {
    var name = word.text.lowercased()
    for suffix in ["-fit", "_fit", "fit"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
    guard let policy = Policy(rawValue: name) else {
      throw ParseError("policy must be \(Expectation.policy), not \"\(word.text)\"", column: word.column)
    }
    return policy
  }
}

/// The words after a keyword, bound to the keyword's parameters by position or by `name=value`.
private struct Arguments {
  struct Parameter {
    let name: String
    let isRequired: Bool
    static func required(_ name: String) -> Parameter { Parameter(name: name, isRequired: true) }
    static func optional(_ name: String) -> Parameter { Parameter(name: name, isRequired: false) }
  }

  let words: [CommandParser.Word]
  let endColumn: Int

  /// One word per parameter (nil when an optional one is absent), the value part of `name=value`.
  func bind(_ keyword: String, _ parameters: [Parameter]) throws(ParseError) -> [CommandParser.Word?] {
    var values = [CommandParser.Word?](repeating: nil, count: parameters.count)
    var nextPositional = 0
    let names = parameters.map(\.name).joined(separator: " ")
    for word in words {
      if let equals = word.text.firstIndex(of: "=") {
        let name = String(word.text[..<equals])
        let value = String(word.text[word.text.index(after: equals)...])
        guard let index = parameters.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
          let takes = parameters.isEmpty ? "takes no parameters" : "takes \(names)"
          throw ParseError("unknown parameter \"\(name)\": \(keyword) \(takes)", column: word.column)
        }
        guard values[index] == nil else {
          throw ParseError("\(parameters[index].name) given twice", column: word.column)
        }
        values[index] = CommandParser.Word(text: value, column: word.column + name.count + 1)
      } else {
        while nextPositional < parameters.count, values[nextPositional] != nil { nextPositional += 1 }
        guard nextPositional < parameters.count else {
          let takes = parameters.isEmpty ? "takes no parameters" : "takes only \(names)"
          throw ParseError("unexpected \"\(word.text)\": \(keyword) \(takes)", column: word.column)
        }
        values[nextPositional] = word
      }
    }
    for (index, parameter) in parameters.enumerated() where parameter.isRequired && values[index] == nil {
      throw ParseError("\(keyword) needs \(parameter.name) (usage: \(keyword) \(names))", column: endColumn)
    }
    return values
  }
}
