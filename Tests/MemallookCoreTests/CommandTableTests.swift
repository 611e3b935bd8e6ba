import Foundation
import Testing

@testable import MemallookCore

/// The command table is the one list of commands: the parser, HELP and the docs follow it.
@Suite struct CommandTableTests {
  /// Every way a user spells a policy, for each policy there is.
  static let spellings: [(word: String, policy: Policy)] = Policy.allCases.flatMap { policy in
    let name: String = policy.rawValue
    let words: [String] = [
      name, name.uppercased(), name + "-fit", name + "_fit", name + "fit", name.capitalized + "-Fit",
    ]
    return (words + policy.row.aliases).map { (word: $0, policy: policy) }
  }

  @Test(arguments: spellings)
  func everySpellingOfAPolicyIsReadByEveryCommandThatTakesOne(word: String, policy: Policy) throws {
    #expect(Policy(name: word) == policy)
    #expect(try CommandParser.parse("POLICY \(word)") == .policy(policy))
    #expect(
      try CommandParser.parse("NEW 16 64 policy=\(word)") == .new(pageSize: 16, pageCount: 64, policy: policy)
    )
    #expect(try CommandParser.parse("BRANCH \(word)") == .branch(policy))
    #expect(
      try CommandParser.parseLine("REPLAY w.rep policy=\(word)")
        == .screen(.replay(path: "w.rep", .init(policy: policy))))
    #expect(try CommandParser.parseLine("RACE \(word)") == .screen(.race([policy], nil)))
    #expect(try Policy.list("first,\(word)").get() == (policy == .first ? [.first] : [.first, policy]))
  }

  @Test func everyHelpTextNamesEveryPolicy() {
    #expect(Reply.helpText.contains(Policy.namesWithOr))
    #expect(Expectation.policy == "one of " + Policy.names)
    for policy in Policy.allCases { #expect(Policy.names.contains(policy.rawValue)) }
  }

  @Test func helpListsEveryCommandOfTheLanguageOnceAndNoScreenCommand() {
    let lines = Reply.helpText.split(separator: "\n")
    for row in CommandTable.rows {
      let listed = lines.filter { $0.hasPrefix(row.keyword + " ") }.count
      #expect(listed == (row.fronts == .screen ? 0 : 1), "\(row.keyword)")
    }
  }

  /// Each row parses from its usage with a sample word per parameter, by position and by name.
  @Test(arguments: CommandTable.rows.map(\.keyword))
  func everyRowParsesByPositionAndByName(keyword: String) throws {
    let row = try #require(CommandTable.rows.first { $0.keyword == keyword })
    let required = row.parameters.filter(\.required)
    let positional = ([keyword] + required.map { Self.sample($0.nameText) }).joined(separator: " ")
    let named = ([keyword] + required.map { "\($0.nameText)=\(Self.sample($0.nameText))" }).joined(
      separator: " ")
    let first = try #require(try CommandParser.parseLine(positional))
    #expect(try CommandParser.parseLine(named) == first)
    for alias in row.aliases {
      #expect(
        try CommandParser.parseLine(positional.replacingOccurrences(of: keyword, with: alias.lowercased()))
          == first)
    }
  }

  static func sample(_ parameter: String) -> String {
    ["policy": "best", "tag": "1", "file": "w.rep", "step": "0", "to": "peak"][parameter] ?? "16"
  }

  @Test func aScreenCommandIsRefusedOutsideTheScreenByName() {
    #expect(throws: ParseError("REPLAY is a command of the TUI's player (memallook tui)", column: 1)) {
      try CommandParser.parse("REPLAY w.rep")
    }
  }

  @Test func aListTakesTheWordsByPositionAndOptionsComeByName() throws {
    #expect(
      try CommandParser.parseLine("RACE first buddy by=runs") == .screen(.race([.first, .buddy], .runs)))
    #expect(throws: ParseError("first given twice", column: 12)) {
      try CommandParser.parseLine("RACE first first")
    }
    #expect(
      throws: ParseError("by must be one of failed, utilisation, external, runs, not \"speed\"", column: 9)
    ) {
      try CommandParser.parseLine("RACE by=speed")
    }
  }

  /// docs/commands.md has a row of its table for every command of the language, and names every screen command.
  @Test func theDocsListEveryCommand() throws {
    let docs = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/commands.md"), encoding: .utf8)
    for row in CommandTable.rows {
      let marker = row.fronts == .screen ? "`\(row.keyword)" : "| `\(row.keyword)"
      #expect(docs.contains(marker), "docs/commands.md does not list \(row.keyword)")
    }
  }
}
