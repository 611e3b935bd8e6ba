/// The words after a keyword, bound to its row's parameters by position or by `name=value`,
/// and read as what each parameter must be: every error names the word and its column.
public struct Arguments {
  let text: LineText
  let spec: CommandSpec
  /// One word per parameter, in the row's order (nil when absent): the value part of `name=value`.
  private var values: [Token?]
  /// The words a `.list` parameter took.
  private var listed: [Token] = []

  init(_ spec: CommandSpec, _ text: LineText, _ words: inout some IteratorProtocol<Token>, endColumn: Int)
    throws(ParseError)
  {
    self.text = text
    self.spec = spec
    let parameters = spec.parameters
    values = Array(repeating: nil, count: parameters.count)
    let keyword = spec.keyword
    var nextPositional = 0
    let positionalEnd = parameters.firstIndex { $0.kind == .list } ?? parameters.count
    while let word = words.next() {
      var equals = word.start
      while equals < word.end, text.line[equals] != UInt8(ascii: "=") { equals += 1 }
      if equals < word.end {
        guard let index = parameters.firstIndex(where: { text.matches(word.start, equals, $0.name) }) else {
          let name = text[Token(start: word.start, end: equals, column: word.column)]
          let takes = parameters.isEmpty ? "takes no parameters" : "takes \(spec.joinedNames)"
          throw ParseError("unknown parameter \"\(name)\": \(keyword) \(takes)", column: word.column)
        }
        guard values[index] == nil else {
          throw ParseError("\(parameters[index].name) given twice", column: word.column)
        }
        values[index] = Token(start: equals + 1, end: word.end, column: word.column + equals - word.start + 1)
      } else if let index = parameters.firstIndex(where: {
        $0.kind == .flag && text.matches(word.start, word.end, $0.name)
      }) {
        guard values[index] == nil else {
          throw ParseError("\(parameters[index].name) given twice", column: word.column)
        }
        values[index] = Token(start: word.end, end: word.end, column: word.column)  // empty: yes
      } else {
        // Words by position fill the value parameters in order, up to a list, which takes the rest.
        while nextPositional < positionalEnd,
          values[nextPositional] != nil || parameters[nextPositional].kind != .value
        {
          nextPositional += 1
        }
        if nextPositional < positionalEnd {
          values[nextPositional] = word
        } else if parameters.contains(where: { $0.kind == .list }) {
          listed.append(word)
        } else {
          let takes = parameters.isEmpty ? "takes no parameters" : "takes only \(spec.joinedNames)"
          throw ParseError("unexpected \"\(text[word])\": \(keyword) \(takes)", column: word.column)
        }
      }
    }
    for (index, parameter) in parameters.enumerated() where parameter.required && values[index] == nil {
      throw ParseError("\(keyword) needs \(parameter.name) (usage: \(spec.usage))", column: endColumn)
    }
  }

  private func token(_ name: StaticString) -> Token? {
    guard let index = spec.parameters.firstIndex(where: { $0.name.isSame(as: name) }) else {
      preconditionFailure("\(spec.keyword) has no parameter \(name)")
    }
    return values[index]
  }

  /// The 1-based column of the word given to the parameter called `name`, if any.
  public func column(named name: String) -> Int? {
    spec.parameters.firstIndex { $0.nameText == name }.flatMap { values[$0]?.column }
  }

  /// The parameter's word as text (a tag, a file name).
  public func word(_ name: StaticString) -> String? { token(name).map { text[$0] } }

  /// Plain decimal digits (0 allowed) that fit in an `Int`.
  public func wholeNumber(_ name: StaticString, _ expected: String) throws(ParseError) -> Int? {
    guard let token = token(name) else { return nil }
    return try text.wholeNumber(token, "\(name)", expected)
  }

  /// A whole number above 0.
  public func positiveInteger(_ name: StaticString, _ expected: String) throws(ParseError) -> Int? {
    guard let token = token(name) else { return nil }
    let value = try text.wholeNumber(token, "\(name)", expected)
    guard value > 0 else { throw invalid(token, name, expected) }
    return value
  }

  /// A whole number in `range`.
  public func integer(_ name: StaticString, in range: ClosedRange<Int>, _ expected: String) throws(ParseError)
    -> Int?
  {
    guard let token = token(name) else { return nil }
    let value = try text.wholeNumber(token, "\(name)", expected)
    guard range.contains(value) else { throw invalid(token, name, expected) }
    return value
  }

  /// A policy's name (`Policy(name:)`).
  public func policy(_ name: StaticString) throws(ParseError) -> Policy? {
    guard let token = token(name) else { return nil }
    return try text.policy(token, "\(name)")
  }

  /// One of `T`'s raw values, in any case.
  public func choice<T: RawRepresentable & CaseIterable>(_ name: StaticString, _ type: T.Type)
    throws(ParseError)
    -> T? where T.RawValue == String
  {
    guard let token = token(name) else { return nil }
    guard let value = T(rawValue: text[token].lowercased()) else {
      throw invalid(token, name, "one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return value
  }

  /// A flag: given bare (yes), as `name=true|yes|1` or `name=false|no|0`; false when absent.
  public func flag(_ name: StaticString) throws(ParseError) -> Bool {
    guard let token = token(name) else { return false }
    switch text[token].lowercased() {
    case "", "true", "yes", "1": return true
    case "false", "no", "0": return false
    default: throw invalid(token, name, "true or false")
    }
  }

  /// The words given by position to the `.list` parameter, as policies, each once.
  public func policies() throws(ParseError) -> [Policy] {
    var policies: [Policy] = []
    for token in listed {
      let policy = try text.policy(token, "policy")
      guard !policies.contains(policy) else {
        throw ParseError("\(text[token]) given twice", column: token.column)
      }
      policies.append(policy)
    }
    return policies
  }

  /// An error at the parameter's word: `name must be expected, not "word"`.
  public func invalid(_ name: StaticString, _ expected: String) -> ParseError {
    guard let token = token(name) else { return ParseError("\(name) must be \(expected)", column: nil) }
    return invalid(token, name, expected)
  }

  private func invalid(_ token: Token, _ name: StaticString, _ expected: String) -> ParseError {
    ParseError("\(name) must be \(expected), not \"\(text[token])\"", column: token.column)
  }
}

/// The bytes of a line, read word by word.
struct LineText {
  let line: UnsafeBufferPointer<UInt8>

  /// A word as text, for tags and messages.
  subscript(token: Token) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: line[token.start..<token.end]), as: UTF8.self)
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

  func policy(_ token: Token, _ name: String) throws(ParseError) -> Policy {
    let word = self[token]
    guard let policy = Policy(name: word) else {
      throw ParseError("\(name) must be \(Expectation.policy), not \"\(word)\"", column: token.column)
    }
    return policy
  }

  /// Whether the bytes from `start` to `end` spell `name`, ignoring ASCII case.
  func matches(_ start: Int, _ end: Int, _ name: StaticString) -> Bool {
    guard end - start == name.utf8CodeUnitCount else { return false }
    for index in 0..<(end - start)
    where Self.lowercased(line[start + index]) != Self.lowercased(name.utf8Start[index]) {
      return false
    }
    return true
  }

  /// Whether the bytes from `start` to `end` are `name` (upper case) in any ASCII case (a keyword).
  func matchesUppercase(_ start: Int, _ end: Int, _ name: [UInt8]) -> Bool {
    guard end - start == name.count else { return false }
    for index in 0..<(end - start) where Self.uppercased(line[start + index]) != name[index] {
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

extension StaticString {
  /// Whether both spell the same bytes.
  func isSame(as other: StaticString) -> Bool {
    utf8CodeUnitCount == other.utf8CodeUnitCount
      && (0..<utf8CodeUnitCount).allSatisfy { utf8Start[$0] == other.utf8Start[$0] }
  }
}
