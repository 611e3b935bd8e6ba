import MemallookCore

/// A key press, decoded by the terminal adapter.
public enum Key: Equatable, Sendable {
  case character(Character)
  /// Ctrl plus a letter, lowercase: `.control("c")`.
  case control(Character)
  case enter, tab, backspace, delete, escape
  case left, right, up, down, home, end, pageUp, pageDown
  /// Shift with Up or Down (moves through the free structure panel's entries).
  case shiftUp, shiftDown
  case function(Int)
}

/// Everything that can happen to the TUI: one queue carries them all.
public enum Message: Sendable {
  case key(Key)
  /// A mouse click on a screen cell.
  case click(x: Int, y: Int)
  /// The mouse wheel: negative up, positive down.
  case scroll(Int)
  case resize(width: Int, height: Int)
  /// Time passed: animation and demo steps.
  case tick
  /// A command the TUI asked for has run: its outcome and the session after it
  /// (nil when the session cannot be read: the outcome says why).
  case executed(line: String, outcome: Outcome, session: Session?)
  /// The session changed elsewhere (another process, HTTP); `note` says what happened.
  case sessionChanged(Session, note: String?)
  /// The session cannot be read (the state file became unusable); the reason.
  case unavailable(String)
  /// A screen command to run (`memallook tui --trace FILE` starts with one).
  case workload(WorkloadCommand)
  /// A trace file was read for REPLAY (named `name`), or why it could not be.
  case traceRead(name: String, Result<Trace, WorkloadError>, WorkloadCommand.Heap)
}

/// The result of one command, as the TUI shows it.
public enum Outcome: Sendable, Equatable {
  case reply(Reply)
  case failure(CommandError)
  /// The command could not reach the heap (e.g. the state file is unusable).
  case unavailable(String)
}

/// Work for the loop: values that `update` returns and the loop carries out.
public enum Effect: Equatable, Sendable {
  /// Run a command on the session; answer with `.executed`.
  case execute(Command, line: String)
  /// Read and parse a trace file (strictly, or as it is); answer with `.traceRead`.
  case readTrace(path: String, WorkloadCommand.Heap, strict: Bool = false)
  /// Remember a typed line in the history file.
  case saveHistory(String)
  case quit
  /// Show a line on the message line (nil: clear it). A mode says what happened through
  /// this; the top model applies it and passes the others on to the loop.
  case status(Model.Status?)

  /// The message line says `text` (in the error colour when `isError`).
  static func say(_ text: String, isError: Bool = false) -> Effect {
    .status(Model.Status(text: text, isError: isError))
  }
}

/// Why a workload could not be read (a file that is missing, not a trace, not a regular file).
public struct WorkloadError: Error, Equatable, Sendable {
  public let message: String
  init(_ message: String) { self.message = message }
}
