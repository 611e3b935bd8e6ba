import Foundation
import MemallookCore
import MemallookTUI

/// Runs the TUI until the user quits: one queue of messages (keys, resizes,
/// ticks, changes from elsewhere) through `Model.update`, effects carried out
/// on the host, and the frame redrawn after each batch.
struct TUILoop {
  let host: SessionHost
  let terminalOptions: Terminal.Options
  let modelOptions: Model.Options
  let history: HistoryFile
  var demo: Demo?
  /// Another source of changes (the HTTP listener), woken through this descriptor.
  var wakeDescriptor: Int32?

  /// Returns the exit status: 0 when the user quit, 128 + signal when killed.
  func run() -> Int32 {
    TerminalRescue.saveModes()
    let quitSignal = SignalPipe.install([SIGTERM, SIGHUP, SIGINT])
    let terminal = Terminal(options: terminalOptions)
    defer { terminal.close() }
    var model = Model(
      session: host.session, width: terminal.size.width, height: terminal.size.height, options: modelOptions,
      history: history.load())
    model.demo = demo
    let clock = ContinuousClock()
    var nextTick: ContinuousClock.Instant?
    var nextFileCheck = clock.now
    var pending: [Message] = []
    while true {
      var index = 0
      while index < pending.count, index < 10_000 {
        let message = pending[index]
        index += 1
        for effect in model.update(message) {
          switch effect {
          case .quit: return 0
          case .saveHistory(let line): history.append(line)
          case .execute(let command, let line):
            let (outcome, session) = host.execute(command)
            pending.append(.executed(line: line, outcome: outcome, session: session))
          case .applyMove(let move):
            let (outcome, session) = host.apply(move)
            pending.append(.executed(line: "DEFRAG", outcome: outcome, session: session))
          }
        }
      }
      pending.removeAll()
      terminal.draw(model.view())

      if let interval = model.tickInterval {
        if nextTick == nil { nextTick = clock.now.advanced(by: .milliseconds(interval)) }
      } else {
        nextTick = nil
      }
      let untilTick = nextTick.map { max(0, milliseconds(clock.now.duration(to: $0))) } ?? 250
      var descriptors = [
        pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
        pollfd(fd: quitSignal.readDescriptor, events: Int16(POLLIN), revents: 0),
      ]
      if let wakeDescriptor {
        descriptors.append(pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0))
      }
      _ = poll(&descriptors, nfds_t(descriptors.count), Int32(min(untilTick, 250)))
      if let signal = quitSignal.caught() { return 128 + signal }
      if descriptors.count > 2, descriptors[2].revents != 0 { drain(descriptors[2].fd) }
      pending = terminal.readMessages()
      if let due = nextTick, clock.now >= due {
        pending.append(.tick)
        nextTick = model.tickInterval.map { due.advanced(by: .milliseconds($0)) }
        if let next = nextTick, next < clock.now { nextTick = clock.now }
      }
      if clock.now >= nextFileCheck || wakeDescriptor != nil {
        nextFileCheck = clock.now.advanced(by: .milliseconds(250))
        if let (session, note) = host.changesFromElsewhere() {
          pending.append(.sessionChanged(session, note: note))
        }
      }
    }
  }

  private func drain(_ descriptor: Int32) {
    var buffer = [UInt8](repeating: 0, count: 64)
    _ = read(descriptor, &buffer, buffer.count)
  }
}

func milliseconds(_ duration: Duration) -> Int {
  Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
}

/// Turns termination signals into a readable descriptor, so the loop can end
/// cleanly (restoring the terminal) instead of dying inside curses mode.
final class SignalPipe {
  nonisolated(unsafe) static var writeDescriptor: Int32 = -1
  nonisolated(unsafe) static var lastSignal: Int32 = 0
  let readDescriptor: Int32

  private init(readDescriptor: Int32) { self.readDescriptor = readDescriptor }

  static func install(_ signals: [Int32]) -> SignalPipe {
    var descriptors: [Int32] = [0, 0]
    pipe(&descriptors)
    fcntl(descriptors[0], F_SETFL, O_NONBLOCK)
    fcntl(descriptors[1], F_SETFL, O_NONBLOCK)
    writeDescriptor = descriptors[1]
    // A process started by a test runner may inherit these signals blocked.
    var unblock = sigset_t()
    sigemptyset(&unblock)
    for number in signals + [SIGWINCH] { sigaddset(&unblock, number) }
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    for number in signals {
      signal(number) { caught in
        SignalPipe.lastSignal = caught
        var byte: UInt8 = 1
        _ = write(SignalPipe.writeDescriptor, &byte, 1)
      }
    }
    return SignalPipe(readDescriptor: descriptors[0])
  }

  /// The signal that arrived, if one did.
  func caught() -> Int32? {
    var byte: UInt8 = 0
    guard read(readDescriptor, &byte, 1) == 1 else { return nil }
    return Self.lastSignal
  }
}

/// The command-line history of the TUI, one line per command, kept across runs.
struct HistoryFile {
  let path: String
  static let limit = 500

  func load() -> [String] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
    return Array(text.split(separator: "\n").map(String.init).suffix(Self.limit))
  }

  func append(_ line: String) {
    let folder = (path as NSString).deletingLastPathComponent
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
  }
}
