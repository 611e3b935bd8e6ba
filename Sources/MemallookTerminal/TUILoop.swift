import Foundation
import MemallookCore
import MemallookRuntime
import MemallookTUI

/// Runs the TUI until the user quits: one queue of messages (keys, resizes,
/// ticks, changes from elsewhere) through `Model.update`, effects carried out by
/// the `Runner` on the shared session, and the frame redrawn after each batch.
public struct TUILoop {
  public let runner: Runner
  public let terminalOptions: Terminal.Options
  public let modelOptions: Model.Options
  /// Earlier command lines, for Up/Down.
  public let history: [String]
  public var demo: Demo?
  /// Messages handled before the first key (`--trace FILE` loads a workload).
  public var startup: [Message] = []

  /// Signals that end the TUI cleanly (terminal restored, exit status 128 + signal).
  static let quitSignals = [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGXCPU]

  public init(
    runner: Runner, terminalOptions: Terminal.Options, modelOptions: Model.Options, history: [String]
  ) {
    self.runner = runner
    self.terminalOptions = terminalOptions
    self.modelOptions = modelOptions
    self.history = history
  }

  /// Returns the exit status: 0 when the user quit, 128 + signal when signalled.
  public func run() -> Int32 {
    TerminalRescue.saveModes()
    // A closed pipe (a vanished HTTP client, a reader that left) is an error to handle, never a death.
    signal(SIGPIPE, SIG_IGN)
    let quitSignal = SignalPipe.install(Self.quitSignals)
    let terminal = Terminal(options: terminalOptions)
    defer { terminal.close() }
    var model = Model(
      session: (try? runner.shared.current()) ?? Session(seed: 0), width: terminal.size.width,
      height: terminal.size.height, options: modelOptions, history: history)
    model.demo = demo
    let clock = ContinuousClock()
    var nextTick: ContinuousClock.Instant?
    var pending: [Message] = startup
    while true {
      for message in pending where !runner.send(message, to: &model) { return 0 }
      pending.removeAll()
      terminal.draw(model.view())

      if let interval = model.tickInterval {
        if nextTick == nil { nextTick = clock.now.advanced(by: .milliseconds(interval)) }
      } else {
        nextTick = nil
      }
      // Input ncurses already holds (a long paste) is not seen by poll: read it first.
      pending = terminal.readMessages()
      if pending.isEmpty {
        let untilTick = nextTick.map { max(0, milliseconds(clock.now.duration(to: $0))) } ?? 250
        var descriptors = [
          pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
          pollfd(fd: quitSignal.readDescriptor, events: Int16(POLLIN), revents: 0),
          pollfd(fd: runner.shared.wakeDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        _ = poll(&descriptors, nfds_t(descriptors.count), Int32(min(untilTick, 250)))
        pending = terminal.readMessages()
      }
      if let signal = quitSignal.caught() { return 128 + signal }
      if let due = nextTick, clock.now >= due {
        pending.append(.tick)
        nextTick = model.tickInterval.map { due.advanced(by: .milliseconds($0)) }
        if let next = nextTick, next < clock.now { nextTick = clock.now }
      }
      // HTTP changes wake the poll; the state file (a stat) is looked at least every 250 ms.
      if let message = runner.changesFromElsewhere() { pending.append(message) }
    }
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
    _ = pipe(&descriptors)
    for descriptor in descriptors {
      _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
      _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
    }
    writeDescriptor = descriptors[1]
    // A process started by a test runner may inherit these signals blocked.
    var unblock = sigset_t()
    sigemptyset(&unblock)
    for number in signals + [SIGWINCH] { sigaddset(&unblock, number) }
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    // Without SA_RESTART (which `signal` sets): a read that ncurses blocks in (the rest of a
    // mouse report) returns EINTR, so the loop sees the signal at once, not at the next key.
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { caught in
      SignalPipe.lastSignal = caught
      var byte: UInt8 = 1
      _ = write(SignalPipe.writeDescriptor, &byte, 1)
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    for number in signals { sigaction(number, &action, nil) }
    return SignalPipe(readDescriptor: descriptors[0])
  }

  /// The signal that arrived, if one did.
  func caught() -> Int32? {
    var byte: UInt8 = 0
    guard read(readDescriptor, &byte, 1) == 1 else { return nil }
    return Self.lastSignal
  }
}
