/// Where a command is offered: every front reads the same table and offers its rows.
public struct Fronts: OptionSet, Sendable, Hashable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  /// `memallook run` scripts (and the TUI's prompt, which takes every line a script takes).
  public static let script = Fronts(rawValue: 1)
  /// A one-shot subcommand of the CLI (`memallook alloc 16`), named as the keyword in lower case.
  public static let oneShot = Fronts(rawValue: 2)
  /// An HTTP route of its own (`POST /alloc`); every command also goes through `POST /command`.
  public static let route = Fronts(rawValue: 4)
  /// The TUI's prompt only: the player's commands, which watch a workload and change no heap.
  public static let screen = Fronts(rawValue: 8)

  /// Everywhere a line of the language goes.
  public static let everywhere: Fronts = [.script, .oneShot, .route]
}

/// A parameter of a command: its name (as `name=value` and in messages) and how words bind to it.
public struct ParameterSpec: Sendable {
  public enum Kind: Sendable {
    /// One word, by position or as `name=value`.
    case value
    /// The bare word `name` (any case), or `name=true|false`: a yes or no.
    case flag
    /// Every word given by position (none required).
    case list
  }

  public let name: StaticString
  public let required: Bool
  public let kind: Kind

  public static func required(_ name: StaticString) -> Self { Self(name: name, required: true, kind: .value) }
  public static func optional(_ name: StaticString) -> Self {
    Self(name: name, required: false, kind: .value)
  }
  public static func flag(_ name: StaticString) -> Self { Self(name: name, required: false, kind: .flag) }
  public static func list(_ name: StaticString) -> Self { Self(name: name, required: false, kind: .list) }

  public var nameText: String { "\(name)" }
}

/// What a line parses to: a command of the language, or one of the screen's own.
public enum ParsedLine: Equatable, Sendable {
  case command(Command)
  case screen(WorkloadCommand)
}

/// One row of the command table: a keyword and its aliases, what it takes, what HELP says
/// of it, where it is offered, and how its bound words become a command.
public struct CommandSpec: Sendable {
  public let keyword: String
  public let aliases: [String]
  public let parameters: [ParameterSpec]
  /// The usage HELP shows, `NEW p N [policy]`; derived from the parameters unless given.
  public let usage: String
  /// What HELP says it does, in one line.
  public let help: String
  public let fronts: Fronts
  let build: @Sendable (inout Arguments) throws(ParseError) -> ParsedLine

  init(
    _ keyword: String, aliases: [String] = [], _ parameters: [ParameterSpec], usage: String? = nil,
    _ help: String, fronts: Fronts = .everywhere,
    build: @escaping @Sendable (inout Arguments) throws(ParseError) -> ParsedLine
  ) {
    self.keyword = keyword
    self.aliases = aliases
    self.parameters = parameters
    self.help = help
    self.fronts = fronts
    self.build = build
    self.usage =
      usage
      ?? ([keyword]
      + parameters.map { parameter in
        switch parameter.kind {
        case .value: parameter.required ? parameter.nameText : "[\(parameter.nameText)]"
        case .flag: "[\(parameter.nameText)]"
        case .list: "[\(parameter.nameText) ...]"
        }
      }).joined(separator: " ")
  }

  /// A row for a command without parameters.
  init(
    _ keyword: String, aliases: [String] = [], _ help: String, fronts: Fronts = .everywhere,
    build: @escaping @Sendable (inout Arguments) throws(ParseError) -> ParsedLine
  ) {
    self.init(keyword, aliases: aliases, [], help, fronts: fronts, build: build)
  }

  /// The keyword and its aliases: every word that names the command.
  public var names: [String] { [keyword] + aliases }

  /// `p N policy`: the parameters' names, for messages.
  var joinedNames: String { parameters.map(\.nameText).joined(separator: " ") }
}

/// The one command table: the parser, HELP, the TUI's tab completion and help, and the
/// docs' check all read it; the CLI's subcommands and the HTTP routes are checked against it.
///
/// Adding a command: a case of `Command` (or `WorkloadCommand`), a row here, its
/// effect (`Session.apply`, or the TUI's player), its tests.
public enum CommandTable {
  public static let rows: [CommandSpec] =
    [
      CommandSpec(
        "NEW", [.required("p"), .required("N"), .optional("policy")],
        "create a heap of N pages of p bytes (NEW p=16 N=64 policy=best)"
      ) { arguments throws(ParseError) in
        .command(
          .new(
            pageSize: try arguments.positiveInteger("p", Expectation.pageSize)!,
            pageCount: try arguments.positiveInteger("N", Expectation.pageCount)!,
            policy: try arguments.policy("policy")))
      },
      CommandSpec("ALLOC", [.required("M")], "reserve contiguous pages for M bytes; replies with a tag") {
        arguments throws(ParseError) in
        .command(.alloc(bytes: try arguments.positiveInteger("M", Expectation.bytes)!))
      },
      CommandSpec(
        "DEALLOC", aliases: ["FREE"], [.required("tag")], "free an allocation (DEALLOC tag=1; also FREE)"
      ) {
        arguments throws(ParseError) in
        .command(.dealloc(tag: arguments.word("tag")!))
      },
      CommandSpec(
        "REALLOC", [.required("tag"), .required("M")],
        "resize an allocation to M bytes: in place if it can, else moved"
      ) { arguments throws(ParseError) in
        .command(
          .realloc(tag: arguments.word("tag")!, bytes: try arguments.positiveInteger("M", Expectation.bytes)!)
        )
      },
      CommandSpec(
        "SHOW", [.optional("width")], "draw the pages (. free, a tag's glyph owned) and list allocations"
      ) { arguments throws(ParseError) in
        .command(.show(width: try arguments.positiveInteger("width", Expectation.width)))
      },
      CommandSpec(
        "DEFRAG", [.optional("moves")], "slide every allocation toward page 0 (or make the next moves)"
      ) { arguments throws(ParseError) in
        .command(.defrag(moves: try arguments.positiveInteger("moves", Expectation.moves)))
      },
      CommandSpec("POLICY", [.required("policy")], "placement: \(Policy.namesWithOr)") {
        arguments throws(ParseError) in
        .command(.policy(try arguments.policy("policy")!))
      },
      CommandSpec("UNDO", [.optional("steps")], "step back that many changes (default 1)") {
        arguments throws(ParseError) in
        .command(.undo(steps: try arguments.positiveInteger("steps", Expectation.steps)))
      },
      CommandSpec("REDO", [.optional("steps")], "step forward that many undone changes (default 1)") {
        arguments throws(ParseError) in
        .command(.redo(steps: try arguments.positiveInteger("steps", Expectation.steps)))
      },
      CommandSpec("GOTO", [.required("step")], "jump to a step of the history (0: the empty heap after NEW)")
      {
        arguments throws(ParseError) in
        .command(.goto(step: try arguments.wholeNumber("step", Expectation.step)!))
      },
      CommandSpec(
        "HISTORY", [.optional("count")], "the last count steps (default 10), the current one marked >"
      ) {
        arguments throws(ParseError) in
        .command(.history(count: try arguments.positiveInteger("count", Expectation.count)))
      },
      CommandSpec(
        "BRANCH", [.required("policy")], "replay the undone steps from here under another policy",
        fronts: [.script, .oneShot]
      ) { arguments throws(ParseError) in
        .command(.branch(try arguments.policy("policy")!))
      },
      CommandSpec("STATS", "pages, bytes and fragmentation", fronts: [.script, .oneShot]) {
        _ throws(ParseError) in
        .command(.stats)
      },
      CommandSpec(
        "RESET", aliases: ["CLEAR"], "forget the heap; NEW starts again", fronts: [.script, .oneShot, .route]
      ) {
        _ throws(ParseError) in .command(.reset)
      },
      CommandSpec("HELP", aliases: ["?"], "this list", fronts: .script) { _ throws(ParseError) in
        .command(.help)
      },
      CommandSpec("QUIT", aliases: ["EXIT"], "leave (interactive) or stop a script", fronts: .script) {
        _ throws(ParseError) in .command(.quit)
      },
    ] + WorkloadCommand.rows

  /// The rows a front offers, in table order.
  public static func rows(for front: Fronts) -> [CommandSpec] {
    rows.filter { !$0.fronts.isDisjoint(with: front) }
  }

  /// The keywords a front offers, in table order (aliases left out).
  public static func keywords(for front: Fronts) -> [String] { rows(for: front).map(\.keyword) }

  /// HELP's lines for the rows a front offers, then `extra` lines (usage, what it does), aligned.
  public static func helpText(for front: Fronts, extra: [(usage: String, help: String)] = []) -> String {
    // A command without parameters shows its aliases: `RESET | CLEAR`.
    let lines =
      rows(for: front).map { row in
        (usage: row.parameters.isEmpty ? row.names.joined(separator: " | ") : row.usage, help: row.help)
      } + extra
    let width = (lines.map(\.usage.count).max() ?? 0) + 3
    return lines.map { line in
      line.usage + String(repeating: " ", count: width - line.usage.count) + line.help
    }.joined(separator: "\n")
  }
}
