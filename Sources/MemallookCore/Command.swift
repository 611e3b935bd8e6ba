/// One operation on a session: what every front (prompt, script, CLI, HTTP) parses into.
public enum Command: Equatable, Sendable {
  /// Create the heap: `pageCount` pages of `pageSize` bytes. A no-op when a heap exists.
  case new(pageSize: Int, pageCount: Int, policy: Policy? = nil)
  /// Reserve contiguous pages for `bytes` bytes.
  case alloc(bytes: Int)
  /// Free the allocation with this tag.
  case dealloc(tag: String)
  /// Resize the allocation with this tag to `bytes` bytes: in place when it can, else moved.
  case realloc(tag: String, bytes: Int)
  /// The grid and the listing; `width` characters a row (16 when nil).
  case show(width: Int? = nil)
  /// Forget the heap (RESET, alias CLEAR).
  case reset
  /// Slide allocations toward page 0: all of them, or the next `moves` moves of
  /// the plan (one step of an animated DEFRAG is `.defrag(moves: 1)`).
  case defrag(moves: Int? = nil)
  /// Change the placement policy.
  case policy(Policy)
  /// Step back `steps` changes (1 when nil).
  case undo(steps: Int? = nil)
  /// Step forward `steps` undone changes (1 when nil).
  case redo(steps: Int? = nil)
  /// Go to step `step` of the history (0: the empty heap after NEW).
  case goto(step: Int)
  /// The last `count` steps of the history (10 when nil).
  case history(count: Int? = nil)
  /// From the current step, replay the rest of the recorded history under `policy`.
  case branch(Policy)
  /// The metrics as text.
  case stats
  /// The list of commands.
  case help
  /// End an interactive session or a script.
  case quit

  /// Whether applying the command reads or changes the history: every command that
  /// changes the session (it records a change, or travels) and HISTORY. SHOW, STATS
  /// and HELP read the heap only, so a one-shot one loads no history.
  public var usesHistory: Bool {
    if case .history = self { return true }
    return changesState
  }

  /// Whether applying the command can change the session.
  public var changesState: Bool {
    switch self {
    case .new, .alloc, .dealloc, .realloc, .reset, .defrag, .policy, .undo, .redo, .goto, .branch: true
    case .show, .stats, .help, .quit, .history: false
    }
  }

  /// The command as one canonical line of the command language.
  public var line: String {
    switch self {
    case .new(let pageSize, let pageCount, let policy):
      "NEW \(pageSize) \(pageCount)" + (policy.map { " policy=\($0.rawValue)" } ?? "")
    case .alloc(let bytes): "ALLOC \(bytes)"
    case .dealloc(let tag): "DEALLOC \(tag)"
    case .realloc(let tag, let bytes): "REALLOC \(tag) \(bytes)"
    case .show(let width): "SHOW" + (width.map { " \($0)" } ?? "")
    case .reset: "RESET"
    case .defrag(let moves): "DEFRAG" + (moves.map { " \($0)" } ?? "")
    case .policy(let policy): "POLICY \(policy.rawValue)"
    case .undo(let steps): "UNDO" + (steps.map { " \($0)" } ?? "")
    case .redo(let steps): "REDO" + (steps.map { " \($0)" } ?? "")
    case .goto(let step): "GOTO \(step)"
    case .history(let count): "HISTORY" + (count.map { " \($0)" } ?? "")
    case .branch(let policy): "BRANCH \(policy.rawValue)"
    case .stats: "STATS"
    case .help: "HELP"
    case .quit: "QUIT"
    }
  }
}
