import Foundation
import Testing

/// A private tmux server running one program in a real terminal, for tests that
/// type at the TUI and read the screen back.
final class Tmux {
  let folder: URL
  var socket: String { folder.appendingPathComponent("sock").path }
  /// Written by the pane's shell when the program ends: `EXIT=<status>`.
  var exitFile: String { folder.appendingPathComponent("exit").path }
  var pidFile: String { folder.appendingPathComponent("pid").path }

  /// Starts `arguments` (the memallook binary's) in a `width`×`height` pane. After the
  /// program ends, the pane prints `stty -a` so tests can see the terminal's modes.
  init(_ arguments: [String], width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws
  {
    folder = try Memallook.temporaryFolder()
    var variables = ["LANG": "C.UTF-8", "TERM": "tmux-256color", "XDG_STATE_HOME": folder.path]
    variables.merge(environment) { $1 }
    let exports = variables.map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
    let program = ([Memallook.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
    let script = """
      echo $$ > '\(pidFile)'; env -u NO_COLOR \(exports) timeout --foreground -k 5 120 \(program); \
      echo EXIT=$? > '\(exitFile)'; stty -a; sleep 60
      """
    try tmux([
      "-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "sh", "-c", script,
    ])
  }

  deinit {
    _ = try? tmux(["kill-server"])
    try? FileManager.default.removeItem(at: folder)
  }

  /// The pane's text; with `escapes`, including colour and attribute sequences.
  func capture(escapes: Bool = false) throws -> String {
    try tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : []))
  }

  /// Types text literally.
  func type(_ text: String) throws { try tmux(["send-keys", "-l", text]) }

  /// Pastes `text` in one piece, as a terminal does (through a tmux buffer; newlines arrive as CR).
  func paste(_ text: String) throws {
    let file = folder.appendingPathComponent("paste-\(UUID())")
    try text.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    try tmux(["load-buffer", file.path])
    try tmux(["paste-buffer", "-d"])
  }

  /// Sends raw bytes, given in hexadecimal, in one write to the terminal.
  func send(bytes: [UInt8]) throws {
    try tmux(["send-keys", "-H"] + bytes.map { String($0, radix: 16) })
  }

  /// Presses keys by tmux name (`Enter`, `F2`, `C-n`, ...).
  func press(_ keys: String...) throws { try tmux(["send-keys"] + keys) }

  func press(keys: [String]) throws { try tmux(["send-keys"] + keys) }

  /// Types a command line and presses Enter.
  func enter(_ line: String) throws {
    try type(line)
    try press("Enter")
  }

  func resize(width: Int, height: Int) throws {
    try tmux(["resize-window", "-x", "\(width)", "-y", "\(height)"])
  }

  /// Polls the screen until `condition` holds; returns the last capture. Bounded: never a fixed sleep.
  @discardableResult
  func waitFor(
    _ what: String, escapes: Bool = false, timeout: Double = 10, _ condition: (String) -> Bool
  ) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    var screen = ""
    while Date() < deadline {
      screen = try capture(escapes: escapes)
      if condition(screen) { return screen }
      usleep(30_000)
    }
    Issue.record("timed out waiting for \(what); screen:\n\(screen)")
    return screen
  }

  @discardableResult
  func waitFor(text: String, timeout: Double = 10) throws -> String {
    try waitFor("\"\(text)\"", timeout: timeout) { $0.contains(text) }
  }

  /// The program's exit status, once it has ended.
  func waitForExit(timeout: Double = 10) -> Int32? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if let text = try? String(contentsOfFile: exitFile, encoding: .utf8),
        let status = Int32(
          text.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst(5))
      {
        return status
      }
      usleep(30_000)
    }
    return nil
  }

  /// The pid of the memallook process (the child of the pane's shell).
  func programPID() throws -> Int32? {
    let shell = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(
      in: .whitespacesAndNewlines)
    let children = try run("/usr/bin/pgrep", ["-P", shell]).split(separator: "\n")
    for child in children {
      let grandchildren = try run("/usr/bin/pgrep", ["-P", String(child)]).split(separator: "\n")
      if let first = grandchildren.first { return Int32(first) }
    }
    return nil
  }

  @discardableResult
  private func tmux(_ arguments: [String]) throws -> String {
    try run("/usr/bin/env", ["tmux", "-S", socket] + arguments)
  }

  /// Runs a helper and waits for it (not for what it forks: a tmux server outlives
  /// its client, and Foundation's `Process` would wait for the server too). The child
  /// starts with no signal blocked: the test runner's threads block SIGINT, SIGTERM and
  /// SIGWINCH, and a tmux server inheriting that could not be resized or killed.
  private func run(_ path: String, _ arguments: [String]) throws -> String {
    let outputPath = folder.appendingPathComponent("output-\(UUID())").path
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigfillset(&defaults)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
  }
}
