import ArgumentParser
import Foundation
import Logging
import MemallookCore
import MemallookServer
import MemallookTUI

/// Options of the interactive screen, shared by `tui` and `demo`.
struct ScreenOptions: ParsableArguments {
  @Flag(help: "No colours (also when NO_COLOR is set): roles become bold, underline, reverse.")
  var noColor = false
  @Flag(help: "ASCII characters only (also when the locale is not UTF-8).") var ascii = false
  @Flag(help: "Do not capture the mouse (leaves text selection to the terminal).") var noMouse = false

  func prepare(statePath: String?, listening: String? = nil) throws -> (Terminal.Options, Model.Options) {
    guard isatty(0) != 0, isatty(1) != 0 else {
      Output.error("memallook: the TUI needs a terminal; for scripts use `memallook run` (see --help)")
      throw ExitCode(Status.usage)
    }
    let utf8 = Terminal.prepareLocale()
    let noColorEnvironment = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    return (
      Terminal.Options(color: !noColor && !noColorEnvironment, mouse: !noMouse),
      Model.Options(glyphs: ascii || !utf8 ? .ascii : .unicode, listening: listening, statePath: statePath)
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
  @OptionGroup var listener: ListenerOptions

  func run() throws {
    let path = state ?? (persist ? StateStore.defaultPath() : nil)
    if let http { return try runWithListener(port: http, statePath: path) }
    let (terminalOptions, modelOptions) = try screen.prepare(statePath: path)
    let host: SessionHost
    if let path {
      do {
        host = try StateFileHost(store: StateStore(path: path))
      } catch {
        Output.error("memallook: \(error)")
        throw ExitCode(Status.stateFile)
      }
    } else {
      host = InMemoryHost()
    }
    let loop = TUILoop(
      host: host, terminalOptions: terminalOptions, modelOptions: modelOptions, history: .standard)
    let status = loop.run()
    if status != 0 { throw ExitCode(status) }
  }
}

extension TUI {
  /// The TUI and the HTTP listener in one process, on one `SharedSession`.
  func runWithListener(port: Int, statePath: String?) throws {
    _ = try screen.prepare(statePath: statePath)  // fail early without a terminal
    // The server must never write on the screen: its logger discards everything.
    let quiet = Logger(label: "memallook") { _ in SwiftLogNoOpLogHandler() }
    let (shared, bound) = try listener.start(port: port, statePath: statePath, logger: quiet)
    let (terminalOptions, modelOptions) = try screen.prepare(
      statePath: statePath, listening: "http://\(listener.host):\(bound)")
    var loop = TUILoop(
      host: SharedHost(shared: shared, statePath: statePath), terminalOptions: terminalOptions,
      modelOptions: modelOptions,
      history: .standard)
    loop.wakeDescriptor = shared.wakeDescriptor
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
    let (terminalOptions, modelOptions) = try screen.prepare(statePath: nil)
    var loop = TUILoop(
      host: InMemoryHost(), terminalOptions: terminalOptions, modelOptions: modelOptions, history: .standard)
    loop.demo = Demo()
    let status = loop.run()
    if status != 0 { throw ExitCode(status) }
  }
}

extension HistoryFile {
  /// `$XDG_STATE_HOME/memallook/history` (beside the default state file).
  static var standard: HistoryFile {
    let environment = ProcessInfo.processInfo.environment
    let base =
      environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
    return HistoryFile(path: base + "/memallook/history")
  }
}
