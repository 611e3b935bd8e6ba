/// A workload played one operation at a time on one session per policy, in
/// lockstep: forward applies the next operation as a `Command` (as `replay`
/// does), back is the history's UNDO, so every step is a true state of each heap.
///
/// The player's sessions are its own: playing a workload never touches the heap
/// a user typed commands on.
public struct TracePlayer: Sendable {
  /// One policy's session and what it needs to go back.
  public struct Lane: Sendable {
    public let policy: Policy
    public private(set) var session: Session
    /// Trace id → the tag its allocation has now (0: none, its ALLOC failed or it is freed).
    var tags: [Int]
    /// One entry per operation played, newest last: what going back must restore.
    var log: [Played] = []
    /// ALLOCs and REALLOCs refused in the operations played.
    public private(set) var failed = 0
    /// Frees skipped in the operations played: their id's ALLOC had failed.
    public private(set) var skippedFrees = 0
    /// What the operation played last did; nil at step 0 and after going back (it is not played again).
    public private(set) var last: Outcome?
    /// External fragmentation and page utilisation after each operation, from step 0
    /// (before any), for every step reached so far.
    public private(set) var fragmentation: [Double] = []
    public private(set) var utilisation: [Double] = []

    /// The tag trace id `id` has now (0: none).
    public func tag(of id: Int) -> Int { tags[id] }

    /// The lane's heap (a player always has one).
    public var heap: Heap { session.heap! }

    /// The heap's metrics with the refusals counted by the player (exact at every step, also going back).
    public var metrics: Metrics { heap.metrics.with(failed: failed) }
  }

  /// What an operation did on a lane.
  public enum Outcome: Sendable, Equatable {
    case reply(Reply)
    case failure(CommandError)
    /// A free of an id whose ALLOC had failed: nothing to do.
    case skipped
  }

  /// What one operation did to a lane.
  struct Played: Sendable {
    let id: Int
    /// The id's tag before the operation.
    let tagBefore: Int
    /// Whether it made a change (a history step): going back undoes it.
    let changed: Bool
    let failed: Bool
    /// A free of an id whose ALLOC had failed: nothing to do.
    let skipped: Bool
  }

  public let trace: Trace
  /// What the workload is called (a file name, or the generator's options).
  public let name: String
  public let pageSize: Int
  public let pageCount: Int
  public private(set) var lanes: [Lane]
  /// Operations played: the lanes are at step `position` of `count`.
  public private(set) var position = 0

  /// Operations in the workload.
  public var count: Int { trace.operations.count }
  public var isAtEnd: Bool { position == count }
  /// The next operation, if any.
  public var nextOperation: Trace.Operation? { isAtEnd ? nil : trace.operations[position] }
  /// The operation played last, if any.
  public var lastOperation: Trace.Operation? { position == 0 ? nil : trace.operations[position - 1] }

  /// A player at step 0 with a fresh heap (`NEW pageSize pageCount policy`) per policy.
  /// - Parameter pageCount: nil sizes the heap for the workload (`Trace.defaultPageCount`).
  /// - Throws: what NEW throws for a heap that cannot be made.
  public init(trace: Trace, name: String, pageSize: Int, pageCount: Int? = nil, policies: [Policy])
    throws(CommandError)
  {
    precondition(!policies.isEmpty)
    self.trace = trace
    self.name = name
    self.pageSize = pageSize
    self.pageCount = pageCount ?? trace.defaultPageCount(pageSize: pageSize)
    lanes = []
    for policy in policies {
      var session = Session(seed: 0)
      _ = try session.apply(.new(pageSize: pageSize, pageCount: self.pageCount, policy: policy))
      var lane = Lane(policy: policy, session: session, tags: Array(repeating: 0, count: trace.idCount))
      lane.sample()
      lanes.append(lane)
    }
  }

  /// Plays the next operation on every lane; false at the end.
  @discardableResult
  public mutating func forward() -> Bool {
    guard let operation = nextOperation else { return false }
    for index in lanes.indices { lanes[index].play(operation, at: position + 1) }
    position += 1
    return true
  }

  /// Goes back one operation on every lane; false at step 0.
  @discardableResult
  public mutating func back() -> Bool {
    seek(to: position - 1)
  }

  /// Moves every lane to step `target` (clamped to 0...count): back in one UNDO, forward an operation at a time.
  /// - Returns: whether the position changed.
  /// - Complexity: about what the operations in between cost.
  @discardableResult
  public mutating func seek(to target: Int) -> Bool {
    let target = max(0, min(count, target))
    guard target != position else { return false }
    if target > position {
      while position < target { forward() }
    } else {
      for index in lanes.indices { lanes[index].rewind(to: target) }
      position = target
    }
    return true
  }

  /// The results so far, as `memallook compare` reports them.
  public var summaries: [ReplaySummary] {
    lanes.map { lane in
      ReplaySummary(
        policy: lane.policy, pageSize: pageSize, pageCount: pageCount, operations: position,
        skippedFrees: lane.skippedFrees,
        meanExternalFragmentation: position == 0
          ? 0 : lane.fragmentation[1...position].reduce(0, +) / Double(position),
        final: ReplayPoint(op: position, lane.metrics), timeline: nil)
    }
  }
}

extension TracePlayer.Lane {
  /// Plays `operation` as the `step`-th operation: the command `replay` would apply.
  mutating func play(_ operation: Trace.Operation, at step: Int) {
    let id = operation.id
    let tag = tags[id]
    let before = session.history.step
    var outcome: TracePlayer.Outcome = .skipped
    switch operation {
    case .alloc(_, let bytes):
      outcome = run(.alloc(bytes: bytes))
    case .free:
      if tag != 0 { outcome = run(.dealloc(tag: String(tag))) }
    case .realloc(_, let bytes):
      outcome = run(tag == 0 ? .alloc(bytes: bytes) : .realloc(tag: String(tag), bytes: bytes))
    }
    switch outcome {
    case .reply(.allocated(let allocation)): tags[id] = allocation.tag
    case .reply(.deallocated): tags[id] = 0
    default: break
    }
    let failed: Bool
    if case .failure = outcome { failed = true } else { failed = false }
    let skipped = outcome == .skipped
    if failed { self.failed += 1 }
    if skipped { skippedFrees += 1 }
    log.append(
      TracePlayer.Played(
        id: id, tagBefore: tag, changed: session.history.step != before, failed: failed, skipped: skipped))
    last = outcome
    if fragmentation.count == step { sample() }
  }

  /// Goes back to step `target`: one UNDO of every change made since, tags restored.
  mutating func rewind(to target: Int) {
    let undone = log[target...]
    let changes = undone.count(where: \.changed)
    if changes > 0 { _ = try? session.apply(.undo(steps: changes)) }
    for played in undone.reversed() {
      tags[played.id] = played.tagBefore
      if played.failed { failed -= 1 }
      if played.skipped { skippedFrees -= 1 }
    }
    log.removeSubrange(target...)
    last = nil
  }

  private mutating func run(_ command: Command) -> TracePlayer.Outcome {
    do throws(CommandError) {
      return .reply(try session.apply(command))
    } catch {
      return .failure(error)
    }
  }

  mutating func sample() {
    let metrics = heap.metrics
    fragmentation.append(metrics.externalFragmentation)
    utilisation.append(Double(metrics.pagesUsed) / Double(max(1, metrics.pageCount)))
  }
}

extension Metrics {
  /// These metrics with another count of refused allocations.
  func with(failed: Int) -> Metrics {
    Metrics(
      pageSize: pageSize, pageCount: pageCount, pagesUsed: pagesUsed, pagesFree: pagesFree,
      peakPagesUsed: peakPagesUsed, bytesRequested: bytesRequested, bytesReserved: bytesReserved,
      freeRuns: freeRuns, longestFreeRun: longestFreeRun, liveAllocations: liveAllocations,
      failedAllocations: failed)
  }
}
