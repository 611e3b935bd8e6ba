import ArgumentParser
import Foundation
import MemallookCore
import MemallookStore

/// Options every command that touches the persisted heap shares.
struct StateOptions: ParsableArguments {
  @Option(help: "The state file (default: $MEMALLOOK_STATE, else $XDG_STATE_HOME/memallook/heap.json).")
  var state: String?

  var store: StateStore { StateStore.cli(path: state ?? StateStore.defaultPath()) }
}

extension StateStore {
  /// The CLI's store at `path`: it says when a change waits for another process's lock,
  /// and waits `$MEMALLOOK_LOCK_TIMEOUT` seconds (else `defaultLockTimeout`) before exit 75.
  static func cli(path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> StateStore
  {
    StateStore(
      path: path, lockTimeout: lockTimeout(environment) ?? defaultLockTimeout, waiting: announceWaiting)
  }

  /// `$MEMALLOOK_LOCK_TIMEOUT`, whole seconds; nil (the default, said once) when unset or not a number.
  static func lockTimeout(_ environment: [String: String]) -> Duration? {
    guard let text = environment["MEMALLOOK_LOCK_TIMEOUT"] else { return nil }
    guard let seconds = Int(text), seconds >= 0 else {
      Output.error(
        "memallook: MEMALLOOK_LOCK_TIMEOUT must be a whole number of seconds, not \"\(text)\": "
          + "waiting \(defaultLockTimeout.components.seconds) s")
      return nil
    }
    return .seconds(seconds)
  }

  /// What the CLI says while a change waits for another process's lock on the state file.
  static let announceWaiting: @Sendable (String, Int32?) -> Void = { file, pid in
    Output.error("memallook: waiting for the lock on \(file)\(pid.map { " (held by pid \($0))" } ?? "")")
  }
}

/// A subcommand that is one command of the command language on the persisted heap:
/// its arguments become the words of one line, read by the same parser as every front.
protocol OneShotCommand: ParsableCommand {
  static var keyword: String { get }
  /// The parameters as the user typed them (positional or `name=value`).
  var parameters: [String] { get }
  var options: StateOptions { get }
}

extension OneShotCommand {
  func run() throws {
    try OneShot.perform([Self.keyword] + parameters, store: options.store)
  }
}

extension Policy: ExpressibleByArgument {
  /// `--policy best-fit` reads as the language reads it.
  public init?(argument: String) { self.init(name: argument) }
}

enum OneShot {
  /// Parses `words` with the command language, applies them to the stored heap, prints the reply.
  static func perform(_ words: [String], store: StateStore) throws {
    let command: Command
    do {
      command = try CommandParser.parse(words: words)
    } catch {
      Output.error("memallook: \(error.message)")
      throw ExitCode(Status.usage)
    }
    let outcome: Result<Reply, CommandError>
    do {
      outcome = try store.withSession(save: command.changesState, history: command.usesHistory) { session in
        Result { () throws(CommandError) in try session.apply(command) }
      }
    } catch {
      Output.error("memallook: \(error)")
      throw ExitCode(Status.of(error))
    }
    switch outcome {
    case .success(let reply):
      Output.reply(reply.text)
      Output.detail(reply.detail)
    case .failure(let error):
      Output.error(error.message)
      Output.detail(error.detail)
      throw ExitCode(error.isUsageError ? Status.usage : Status.refused)
    }
  }
}

struct New: OneShotCommand {
  static let keyword = "NEW"
  static let configuration = CommandConfiguration(
    commandName: keyword.lowercased(),
    abstract: "Create the heap: N pages of p bytes (`memallook 16 64` for short).",
    discussion: "A second NEW while a heap exists changes nothing and names the existing heap.")
  @Argument(help: ArgumentHelp("Bytes per page (or p=16).", valueName: "p")) var pageSize: String
  @Argument(help: ArgumentHelp("Number of pages (or N=64).", valueName: "N")) var pageCount: String
  @Argument(help: ArgumentHelp("The placement policy, as a word (or policy=best).", valueName: "policy"))
  var policyWord: String?
  @Option(help: "The placement policy.") var policy: Policy?
  @OptionGroup var options: StateOptions

  var parameters: [String] {
    [pageSize, pageCount] + (policyWord.map { [$0] } ?? []) + (policy.map { ["policy=\($0.rawValue)"] } ?? [])
  }
}

struct Alloc: OneShotCommand {
  static let keyword = "ALLOC"
  static let configuration = CommandConfiguration(
    commandName: keyword.lowercased(), abstract: "Reserve contiguous pages for M bytes.")
  @Argument(help: ArgumentHelp("The number of bytes (or M=16).", valueName: "bytes")) var bytes: String
  @OptionGroup var options: StateOptions
  var parameters: [String] { [bytes] }
}

struct Dealloc: OneShotCommand {
  static let keyword = "DEALLOC"
  static let configuration = CommandConfiguration(
    commandName: keyword.lowercased(), abstract: "Free the allocation with a tag.", aliases: ["free"])
  @Argument(help: ArgumentHelp("The tag ALLOC replied (or tag=1).", valueName: "tag")) var tag: String
  @OptionGroup var options: StateOptions
  var parameters: [String] { [tag] }
}

struct Realloc: OneShotCommand {
  static let keyword = "REALLOC"
  static let configuration = CommandConfiguration(
    commandName: keyword.lowercased(),
    abstract: "Resize an allocation to M bytes: in place when it can, else moved where the policy says.")
  @Argument(help: ArgumentHelp("The tag ALLOC replied (or tag=1).", valueName: "tag")) var tag: String
  @Argument(help: ArgumentHelp("The new number of bytes (or M=64).", valueName: "bytes")) var bytes: String
  @OptionGroup var options: StateOptions
  var parameters: [String] { [tag, bytes] }
}

struct Show: OneShotCommand {
  static let keyword = "SHOW"
  static let configuration = CommandConfiguration(
    commandName: keyword.lowercased(), abstract: "Draw the pages and list the allocations.")
  @Argument(help: ArgumentHelp("Pages per row, 1 to 1024 (default 16).", valueName: "width")) var width:
    String?
  @OptionGroup var options: StateOptions
  var parameters: [String] { width.map { [$0] } ?? [] }
}

struct Defrag: OneShotCommand {
  static let keyword = "DEFRAG"
  static let configuration = CommandConfiguration(
    commandName: keyword.lowercased(),
    abstract: "Slide every allocation toward page 0 (or make only the next moves).")
  @Argument(help: ArgumentHelp("Make only this many moves of the plan.", valueName: "moves")) var moves:
    String?
  @OptionGroup var options: StateOptions
  var parameters: [String] { moves.map { [$0] } ?? [] }
}

struct Stats: OneShotCommand {
  static let keyword = "STATS"
  static let configuration = CommandConfiguration(
    commandName: keyword.lowercased(), abstract: "Print pages, bytes and fragmentation.")
  @OptionGroup var options: StateOptions
  var parameters: [String] { [] }
}

struct SetPolicy: OneShotCommand {
  static let keyword = "POLICY"
  static let configuration = CommandConfiguration(
    commandName: keyword.lowercased(), abstract: "Change the placement policy: \(Policy.namesWithOr).")
  @Argument(
    help: ArgumentHelp("\(Policy.namesWithOr) (best-fit also reads).", valueName: "policy"),
    completion: .list(Policy.allCases.map(\.rawValue)))
  var name: String
  @OptionGroup var options: StateOptions
  var parameters: [String] { [name] }
}

struct Clear: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "clear", abstract: "Forget the heap; the next invocation must give p N again.",
    aliases: ["reset"])
  @Flag(help: "Also replace a state file that is corrupt or not memallook's.") var force = false
  @OptionGroup var options: StateOptions

  func run() throws {
    guard force else { return try OneShot.perform(["RESET"], store: options.store) }
    let replaced: Bool
    do {
      replaced = try options.store.discardUnreadable()
    } catch {
      Output.error("memallook: \(error)")
      throw ExitCode(Status.of(error))
    }
    if replaced {
      Output.reply(Reply.cleared(hadHeap: true).text)
      Output.detail("the unreadable state file was replaced by an empty one")
    } else {
      try OneShot.perform(["RESET"], store: options.store)
    }
  }
}

struct Undo: OneShotCommand {
  static let keyword = "UNDO"
  static let configuration = CommandConfiguration(
    commandName: keyword.lowercased(), abstract: "Step back through the heap's history.")
  @Argument(help: ArgumentHelp("How many changes (default 1).", valueName: "steps")) var steps: String?
  @OptionGroup var options: StateOptions
  var parameters: [String] { steps.map { [$0] } ?? [] }
}

struct Redo: OneShotCommand {
  static let keyword = "REDO"
  static let configuration = CommandConfiguration(
    commandName: keyword.lowercased(), abstract: "Step forward again through undone changes.")
  @Argument(help: ArgumentHelp("How many changes (default 1).", valueName: "steps")) var steps: String?
  @OptionGroup var options: StateOptions
  var parameters: [String] { steps.map { [$0] } ?? [] }
}

struct Goto: OneShotCommand {
  static let keyword = "GOTO"
  static let configuration = CommandConfiguration(
    commandName: keyword.lowercased(), abstract: "Go to a step of the history (0: the empty heap after NEW).")
  @Argument(help: ArgumentHelp("The step number (see `memallook history`).", valueName: "step")) var step:
    String
  @OptionGroup var options: StateOptions
  var parameters: [String] { [step] }
}

struct HistoryCommand: OneShotCommand {
  static let keyword = "HISTORY"
  static let configuration = CommandConfiguration(
    commandName: keyword.lowercased(),
    abstract: "List the last steps of the history, the current one marked >.")
  @Argument(help: ArgumentHelp("How many steps (default 10).", valueName: "count")) var count: String?
  @Flag(help: "Write the applied history as a .rep trace (ids are tags) instead, for replay and compare.")
  var rep = false
  @OptionGroup var options: StateOptions
  var parameters: [String] { count.map { [$0] } ?? [] }

  func run() throws {
    guard rep else { return try OneShot.perform([Self.keyword] + parameters, store: options.store) }
    let exported: Result<HistoryTrace, TraceError>?
    do {
      exported = try options.store.withSession(save: false) { session in
        session.heap == nil ? nil : Result { () throws(TraceError) in try session.history.trace() }
      }
    } catch {
      Output.error("memallook: \(error)")
      throw ExitCode(Status.of(error))
    }
    guard let exported else {
      Output.error(CommandError.noHeap.message)
      throw ExitCode(Status.refused)
    }
    switch exported {
    case .failure(let error):
      Output.error("memallook: \(error.message)")
      throw ExitCode(Status.refused)
    case .success(let history):
      Output.write(history.trace.repText)
      if history.skippedChanges > 0 {
        Output.error(
          "memallook: \(counted(history.skippedChanges, "DEFRAG or POLICY change")) left out (no .rep form)")
      }
      if history.allocatedAtStart > 0 {
        Output.error(
          "memallook: \(counted(history.allocatedAtStart, "allocation")) made before the kept history "
            + "allocated at the start")
      }
    }
  }
}

struct BranchCommand: OneShotCommand {
  static let keyword = "BRANCH"
  static let configuration = CommandConfiguration(
    commandName: keyword.lowercased(),
    abstract: "Replay the undone steps from here under another policy, and compare the ends.")
  @Argument(
    help: ArgumentHelp("\(Policy.namesWithOr).", valueName: "policy"),
    completion: .list(Policy.allCases.map(\.rawValue)))
  var name: String
  @OptionGroup var options: StateOptions
  var parameters: [String] { [name] }
}
