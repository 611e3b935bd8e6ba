import ArgumentParser
import MemallookCore
import MemallookStore

/// Options every command that touches the persisted heap shares.
struct StateOptions: ParsableArguments {
  @Option(help: "The state file (default: $MEMALLOOK_STATE, else $XDG_STATE_HOME/memallook/heap.json).")
  var state: String?

  var store: StateStore { StateStore(path: state ?? StateStore.defaultPath()) }
}

/// A subcommand that is one keyword of the command language on the persisted heap.
protocol OneShotCommand: ParsableCommand {
  static var keyword: String { get }
  var words: [String] { get }
  var options: StateOptions { get }
}

extension OneShotCommand {
  func run() throws {
    try OneShot.perform([Self.keyword] + words, store: options.store)
  }
}

enum OneShot {
  /// Parses `words` with the command language, applies them to the stored heap, prints the reply.
  static func perform(_ words: [String], store: StateStore, discardUnreadable: Bool = false) throws {
    let command: Command
    do {
      command = try CommandParser.parse(words: words)
    } catch {
      Output.error("memallook: \(error.message)")
      throw ExitCode(Status.usage)
    }
    let outcome: Result<Reply, CommandError>
    do {
      outcome = try store.withSession(save: command.changesState, discardUnreadable: discardUnreadable) {
        session in Result { () throws(CommandError) in try session.apply(command) }
      }
    } catch {
      Output.error("memallook: \(error)")
      throw ExitCode(Status.stateFile)
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
    abstract: "Create the heap: N pages of p bytes (`memallook 16 64` for short).",
    discussion: "A second NEW while a heap exists changes nothing and names the existing heap.")
  @Argument(parsing: .allUnrecognized, help: "p N [policy], positional or as p=16 N=64 policy=best.")
  var words: [String] = []
  @OptionGroup var options: StateOptions
}

struct Alloc: OneShotCommand {
  static let keyword = "ALLOC"
  static let configuration = CommandConfiguration(abstract: "Reserve contiguous pages for M bytes.")
  @Argument(parsing: .allUnrecognized, help: "M, the number of bytes (or M=16).")
  var words: [String] = []
  @OptionGroup var options: StateOptions
}

struct Dealloc: OneShotCommand {
  static let keyword = "DEALLOC"
  static let configuration = CommandConfiguration(abstract: "Free the allocation with a tag.")
  @Argument(parsing: .allUnrecognized, help: "The tag (or tag=1).")
  var words: [String] = []
  @OptionGroup var options: StateOptions
}

struct Show: OneShotCommand {
  static let keyword = "SHOW"
  static let configuration = CommandConfiguration(abstract: "Draw the pages and list the allocations.")
  @Argument(parsing: .allUnrecognized, help: "Optional row width (default 16).")
  var words: [String] = []
  @OptionGroup var options: StateOptions
}

struct Defrag: OneShotCommand {
  static let keyword = "DEFRAG"
  static let configuration = CommandConfiguration(abstract: "Slide every allocation toward page 0.")
  @Argument(parsing: .allUnrecognized) var words: [String] = []
  @OptionGroup var options: StateOptions
}

struct Stats: OneShotCommand {
  static let keyword = "STATS"
  static let configuration = CommandConfiguration(abstract: "Print pages, bytes and fragmentation.")
  @Argument(parsing: .allUnrecognized) var words: [String] = []
  @OptionGroup var options: StateOptions
}

struct SetPolicy: OneShotCommand {
  static let keyword = "POLICY"
  static let configuration = CommandConfiguration(
    commandName: "policy", abstract: "Change the placement policy: first, next, best or worst.")
  @Argument(parsing: .allUnrecognized) var words: [String] = []
  @OptionGroup var options: StateOptions
}

struct Clear: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Forget the heap; the next invocation must give p N again.", aliases: ["reset"])
  @Flag(help: "Also replace a state file that is corrupt or not memallook's.") var force = false
  @OptionGroup var options: StateOptions

  func run() throws {
    try OneShot.perform(["RESET"], store: options.store, discardUnreadable: force)
  }
}
