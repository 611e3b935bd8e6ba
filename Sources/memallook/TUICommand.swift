import ArgumentParser
import Foundation
import Logging
import MemallookCore
import MemallookRuntime
import MemallookServer
import MemallookStore
import MemallookTUI
import MemallookTerminal

/// Options of the interactive screen, shared by `tui` and `demo`.
struct ScreenOptions: ParsableArguments {
  @Flag(help: "No colours (also when NO_COLOR is set): roles become bold, underline, reverse.")
  var noColor = false
  @Flag(help: "ASCII characters only (also when the locale is not UTF-8).") var ascii = false
  @Flag(help: "Do not capture the mouse (leaves text selection to the terminal).") var noMouse = false

  func prepare(listening: String? = nil) throws -> (Terminal.Options, Model.Options) {
    guard isatty(0) != 0, isatty(1) != 0 else {
      Output.error("memallook: the TUI needs a terminal; for scripts use `memallook run` (see --help)")
      throw ExitCode(Status.usage)
    }
    let utf8 = Terminal.prepareLocale()
    let noColorEnvironment = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    return (
      Terminal.Options(color: !noColor && !noColorEnvironment, mouse: !noMouse),
      Model.Options(glyphs: ascii || !utf8 ? .ascii : .unicode, listening: listening)
    )
  }
}

struct TUI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tui",
    abstract: "The interactive screen (the default when memallook is run without a subcommand).",
    discussion: """
      Type commands at the prompt (NEW 16 64, ALLOC 100, DEALLOC 1, DEFRAG, ...); F1 lists every key. \
      Without --state or --persist the heap lives in memory only.
      """)

  @Option(help: "Work on this persisted heap (shared with the one-shot commands).") var state: String?
  @Flag(help: "Work on the default persisted heap ($MEMALLOOK_STATE or $XDG_STATE_HOME/memallook/heap.json).")
  var persist = false
  @OptionGroup var screen: ScreenOptions
  @Option(help: "Also serve HTTP on this port (0 picks one), on the same heap as the screen.") var http: Int?
  @Option(help: "Open the player on this workload (a .rep or OSTEP trace), as REPLAY does.") var trace:
    String?
  @Option(help: "Open the race of every policy on this workload, as REPLAY then RACE do.") var race: String?
  @OptionGroup var listener: ListenerOptions

  func run() throws {
    let path = state ?? (persist ? StateStore.defaultPath() : nil)
    _ = try screen.prepare()  // fail early without a terminal
    // A workload named on the command line is read before the screen opens: one that
    // cannot be read is an error here, as for every other command.
    var startup: [Message] = []
    if let file = race ?? trace {
      let read = Runner.readTrace(file, WorkloadCommand.Heap())
      if case .traceRead(_, .failure(let error), _) = read {
        let reason = error.message.hasPrefix("REPLAY: ") ? String(error.message.dropFirst(8)) : error.message
        Output.error("memallook: " + reason)
        throw ExitCode(Status.usage)
      }
      startup = [read]
      if race != nil { startup.append(.workload(.race(Policy.allCases, nil))) }
    }
    let shared: SharedSession
    var listening: String?
    if let http {
      // The server must never write on the screen: its logger discards everything.
      let quiet = Logger(label: "memallook") { _ in SwiftLogNoOpLogHandler() }
      let (started, bound) = try listener.start(port: http, statePath: path, logger: quiet)
      shared = started
      listening = "http://\(listener.host):\(bound)"
    } else {
      shared = try Listener.shared(statePath: path)
    }
    let (terminalOptions, modelOptions) = try screen.prepare(listening: listening)
    var loop = TUILoop(
      runner: Runner(shared: shared, saveHistory: HistoryFile.standard.append),
      terminalOptions: terminalOptions,
      modelOptions: modelOptions, history: HistoryFile.standard.load())
    loop.startup = startup
    let status = loop.run()
    if status != 0 { throw ExitCode(status) }
  }
}

struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Play a scripted demonstration: allocate, fragment, fail an ALLOC, DEFRAG animated, succeed.",
    discussion: "Any key stops the script and hands the keyboard over; F10 quits.")

  @OptionGroup var screen: ScreenOptions

  func run() throws {
    let (terminalOptions, modelOptions) = try screen.prepare()
    var loop = TUILoop(
      runner: Runner(shared: SharedSession()), terminalOptions: terminalOptions, modelOptions: modelOptions,
      history: [])
    loop.demo = Demo()
    let status = loop.run()
    if status != 0 { throw ExitCode(status) }
  }
}
