import MemallookCore

/// Your heap: the session's snapshot, what the grid shows of it, the chart of what you
/// did, and a DEFRAG played move by move. Every change goes to the session as an effect;
/// the screen only adopts the session the loop answers with.
public struct HeapScreen: Sendable {
  /// A DEFRAG being played move by move: each step is a `DEFRAG moves` command
  /// on the live heap, so the animation never holds a plan that could go stale.
  public struct Animation: Sendable, Equatable {
    /// Moves the plan had when DEFRAG started.
    public var planned: Int
    /// Moves made so far.
    public var made = 0
    /// Moves per step: more than one when the plan is too long to show each in time.
    public var movesPerStep: Int
    /// The next move, highlighted at its old place before it is made; nil between moves.
    public var lifted: Move?
    public var movingTag: Int? { lifted?.tag }
  }

  public internal(set) var session: Session
  public var grid = GridView()
  /// External fragmentation and utilisation after each change of your heap, newest
  /// last (for the chart), at most `chartHistoryLimit`.
  public internal(set) var chartHistory: [(fragmentation: Double, utilisation: Double)] = []
  public internal(set) var animation: Animation?
  /// Moves an animation made before it was skipped, for the closing reply.
  public internal(set) var movesAnimated = 0
  /// Milliseconds per animation step.
  public internal(set) var stepMilliseconds = 150

  static let chartHistoryLimit = 4096
  /// The longest a DEFRAG animation takes at the default speed.
  static let defragSeconds = 8

  init(session: Session) {
    self.session = session
    recordFragmentation()
  }

  var heap: Heap? { session.heap }

  /// What a command typed on this screen does: most go to the session; DEFRAG is played.
  mutating func run(_ command: Command, line: String) -> [Effect] {
    guard case .defrag(nil) = command, animation == nil, let heap else {
      return [.execute(command, line: line)]
    }
    let planned = heap.defragPlan().count
    guard planned > 0 else { return [.execute(command, line: line)] }
    // Two ticks a step; a long plan makes several moves a step, so DEFRAG takes about 8 s at most.
    let steps = max(1, Self.defragSeconds * 1000 / (2 * stepMilliseconds))
    animation = Animation(planned: planned, movesPerStep: (planned + steps - 1) / steps)
    movesAnimated = 0
    return [.say("defragmenting: \(counted(planned, "move")) (Esc skips, F7/F8 speed; typing goes on)")]
  }

  /// A command has run: the session after it, and what to say.
  mutating func executed(_ line: String, _ outcome: Outcome, _ newSession: Session?) -> [Effect] {
    if let newSession { adopt(newSession) }
    switch outcome {
    case .reply(.defragmented(let moves, let complete)) where animation != nil:
      // A step of the animation (or a DEFRAG typed meanwhile): count its moves.
      animation!.made += moves.count
      animation!.lifted = nil
      guard complete || moves.isEmpty else { return [] }
      defer { animation = nil }
      return [.say("defragmentation complete (\(counted(animation!.made, "allocation")) moved)")]
    case .reply(.defragmented(let moves, _)) where movesAnimated > 0:
      let total = movesAnimated + moves.count
      movesAnimated = 0
      return [.say("defragmentation complete (\(counted(total, "allocation")) moved)")]
    case .reply(.shown): return [.say("SHOW: the grid is the picture; `memallook show` prints it as text")]
    case .reply(.stats(let heap, _)): return [.say("\(heap.text) (metrics on the right)")]
    case .reply(let reply): return [.say(reply.fullText)]
    case .failure(let error): return [.say(error.fullText, isError: true)]
    case .unavailable(let reason):
      animation = nil
      return [.say(reason, isError: true)]
    }
  }

  /// Takes a new session: keeps the selection only if that allocation still lives.
  mutating func adopt(_ newSession: Session) {
    let changed = newSession.heap?.metrics != session.heap?.metrics || newSession.heap?.id != session.heap?.id
    session = newSession
    grid.forgetGone(in: heap)
    if newSession.heap == nil {
      chartHistory = []
      grid = GridView()
    } else if changed {
      recordFragmentation()
    }
  }

  /// One tick of the animation: first lift the next allocation (highlight it), then move it.
  mutating func tick() -> [Effect] {
    guard var current = animation else { return [] }
    guard current.lifted == nil else {
      let step = Command.defrag(moves: current.movesPerStep)
      return [.execute(step, line: step.line)]
    }
    guard let next = heap?.nextDefragMove() else { return skipAnimation() }
    current.lifted = next
    animation = current
    return []
  }

  /// Ends the animation with one DEFRAG of whatever is left.
  mutating func skipAnimation() -> [Effect] {
    movesAnimated = animation?.made ?? 0
    animation = nil
    return [.execute(.defrag(), line: "DEFRAG")]
  }

  /// Does a key's action that belongs to this screen.
  mutating func perform(_ action: KeyAction) -> [Effect] {
    switch action {
    case .defrag: return run(.defrag(), line: "DEFRAG")
    case .skipAnimation: return skipAnimation()
    case .nextPolicy:
      let all = Policy.allCases
      let next = heap.map { all[(all.firstIndex(of: $0.policy)! + 1) % all.count] } ?? .first
      return [.execute(.policy(next), line: "POLICY \(next.rawValue)")]
    case .slower, .faster:
      stepMilliseconds =
        action == .slower ? min(2000, stepMilliseconds * 3 / 2) : max(10, stepMilliseconds * 2 / 3)
      return [.say("animation: \(stepMilliseconds) ms per step")]
    default: return []
    }
  }

  mutating func recordFragmentation() {
    guard let metrics = session.heap?.metrics else { return }
    let utilisation = Double(metrics.pagesUsed) / Double(max(1, metrics.pageCount))
    chartHistory.append((metrics.externalFragmentation, utilisation))
    if chartHistory.count > Self.chartHistoryLimit {
      chartHistory.removeFirst(chartHistory.count - Self.chartHistoryLimit)
    }
  }
}
