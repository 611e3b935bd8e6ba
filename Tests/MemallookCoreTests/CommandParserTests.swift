import Testing

@testable import MemallookCore

@Suite struct CommandParserTests {
  @Test(arguments: [
    ("NEW 16 64", Command.new(pageSize: 16, pageCount: 64)),
    ("new p=16 N=64", .new(pageSize: 16, pageCount: 64)),
    ("NEW N=64 p=16", .new(pageSize: 16, pageCount: 64)),
    ("NEW 16 64 policy=best", .new(pageSize: 16, pageCount: 64, policy: .best)),
    ("NEW 16 64 worst-fit", .new(pageSize: 16, pageCount: 64, policy: .worst)),
    ("ALLOC 16", .alloc(bytes: 16)),
    ("alloc M=16", .alloc(bytes: 16)),
    ("  Alloc   16   # sixteen bytes", .alloc(bytes: 16)),
    ("DEALLOC 1", .dealloc(tag: "1")),
    ("DEALLOC tag=1", .dealloc(tag: "1")),
    ("free 7", .dealloc(tag: "7")),
    ("SHOW", .show()),
    ("SHOW 32", .show(width: 32)),
    ("show width=8", .show(width: 8)),
    ("RESET", .reset),
    ("CLEAR", .reset),
    ("DEFRAG", .defrag()),
    ("DEFRAG 1", .defrag(moves: 1)),
    ("defrag moves=3", .defrag(moves: 3)),
    ("UNDO", .undo()),
    ("undo 3", .undo(steps: 3)),
    ("REDO steps=2", .redo(steps: 2)),
    ("GOTO 0", .goto(step: 0)),
    ("HISTORY 5", .history(count: 5)),
    ("BRANCH best-fit", .branch(.best)),
    ("POLICY best", .policy(.best)),
    ("policy NEXT", .policy(.next)),
    ("STATS", .stats),
    ("HELP", .help),
    ("quit", .quit),
  ])
  func parsesEveryCommandForm(line: String, command: Command) throws {
    #expect(try CommandParser.parse(line) == command)
  }

  @Test(arguments: ["", "   ", "# a comment", "  # indented comment"])
  func blankAndCommentLinesAreNotCommands(line: String) throws {
    #expect(try CommandParser.parse(line) == nil)
  }

  @Test(arguments: [
    ("ALLOC 0", "M must be a positive whole number of bytes, not \"0\"", 7),
    ("ALLOC -5", "M must be a positive whole number of bytes, not \"-5\"", 7),
    ("ALLOC 1.5", "M must be a positive whole number of bytes, not \"1.5\"", 7),
    ("ALLOC abc", "M must be a positive whole number of bytes, not \"abc\"", 7),
    ("ALLOC M=", "M must be a positive whole number of bytes, not \"\"", 9),
    ("ALLOC 99999999999999999999", "M \"99999999999999999999\" is too large", 7),
    ("ALLOC", "ALLOC needs M (usage: ALLOC M)", 6),
    ("ALLOC 16 32", "unexpected \"32\": ALLOC takes only M", 10),
    ("ALLOC size=16", "unknown parameter \"size\": ALLOC takes M", 7),
    ("NEW 0 10", "p must be a positive whole number of bytes per page, not \"0\"", 5),
    ("NEW 16", "NEW needs N (usage: NEW p N [policy])", 7),
    (
      "NEW 16 64 policy=random",
      "policy must be one of first, next, best, worst, buddy, tlsf, segregated, not \"random\"", 18
    ),
    ("NEW p=16 p=32 64", "p given twice", 10),
    ("DEFRAG now", "moves must be a positive whole number of moves, not \"now\"", 8),
    ("STATS now", "unexpected \"now\": STATS takes no parameters", 7),
    (
      "FROB 1",
      "unknown command \"FROB\": expected one of NEW, ALLOC, DEALLOC, REALLOC, SHOW, DEFRAG, POLICY, UNDO, REDO, GOTO, HISTORY, BRANCH, STATS, RESET, HELP, QUIT",
      1
    ),
  ])
  func errorsSayWhatWasExpectedAndPointAtTheWord(line: String, message: String, column: Int) {
    #expect(throws: ParseError(message, column: column)) { try CommandParser.parse(line) }
  }

  @Test func shellWordsParseLikeALine() throws {
    #expect(try CommandParser.parse(words: ["alloc", "M=16"]) == .alloc(bytes: 16))
    #expect(throws: ParseError("M must be a positive whole number of bytes, not \"-5\"", column: 7)) {
      try CommandParser.parse(words: ["alloc", "-5"])
    }
  }

  @Test(arguments: [
    Command.new(pageSize: 16, pageCount: 64, policy: .best), .alloc(bytes: 5), .dealloc(tag: "3"),
    .show(width: 8), .show(), .reset, .defrag(), .defrag(moves: 2), .undo(), .redo(steps: 4), .goto(step: 0),
    .history(count: 3),
    .branch(.worst), .policy(.worst), .stats, .help, .quit,
  ])
  func aCommandsLineParsesBackToIt(command: Command) throws {
    #expect(try CommandParser.parse(command.line) == command)
  }

  /// The language is ASCII: any other byte, comments included, is refused at its column, named
  /// by its code point (never printed as itself) or, when it is not UTF-8, as a byte.
  @Test(arguments: [
    ("ALLOC\u{A0}16", "non-ASCII character U+00A0: the command language is ASCII", 6),
    ("ALLOC １６", "non-ASCII character U+FF11: the command language is ASCII", 7),
    ("ALLOC 16 # café", "non-ASCII character U+00E9: the command language is ASCII", 15),
    ("DEALLOC 漢", "non-ASCII character U+6F22: the command language is ASCII", 9),
    ("FROB \u{1F600}", "non-ASCII character U+1F600: the command language is ASCII", 6),
  ])
  func nonASCIILinesAreRefusedAtTheCharacter(line: String, message: String, column: Int) {
    #expect(throws: ParseError(message, column: column)) { try CommandParser.parse(line) }
  }

  @Test func bytesThatAreNotUTF8AreNamedAsBytes() {
    let line: [UInt8] = Array("ALLOC ".utf8) + [0xFF, 0x31]
    #expect(throws: ParseError("non-ASCII byte 0xFF (not UTF-8): the command language is ASCII", column: 7)) {
      try line.withUnsafeBufferPointer { bytes throws(ParseError) in try CommandParser.parse(utf8: bytes) }
    }
  }

  @Test func shellWordsMustBeASCIIToo() {
    #expect(throws: ParseError("non-ASCII character U+00E9: the command language is ASCII", column: 7)) {
      try CommandParser.parse(words: ["alloc", "é"])
    }
  }

  /// Columns count characters: a CR LF pair inside a line is one, as it was when lines were `Character`s.
  @Test func aCarriageReturnLineFeedPairIsOneColumn() {
    #expect(throws: ParseError("ALLOC needs M (usage: ALLOC M)", column: 8)) {
      try CommandParser.parse("ALLOC\r\n\r\n")
    }
    #expect(throws: ParseError("M must be a positive whole number of bytes, not \"x\"", column: 8)) {
      try CommandParser.parse("ALLOC\r\n x")
    }
  }

  /// Every ASCII whitespace byte separates words, as `Character.isWhitespace` did.
  @Test func asciiWhitespaceSeparatesWords() throws {
    #expect(try CommandParser.parse("\tALLOC\u{0B}16\u{0C}\r") == .alloc(bytes: 16))
    #expect(throws: ParseError.self) { try CommandParser.parse("ALLOC\u{1F}16") }
  }
}
