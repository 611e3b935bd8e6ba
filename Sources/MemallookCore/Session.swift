/// The one place where commands take effect: a heap, or none yet, and the
/// seeded generator that names new heaps.
public struct Session: Sendable {
  /// The heap, nil before NEW and after RESET.
  public internal(set) var heap: Heap?
  /// The changes since NEW, and the step the heap is at.
  public internal(set) var history = History()
  var random: SplitMix64

  /// A session without a heap; `seed` decides the heap ids it draws.
  public init(seed: UInt64) {
    random = SplitMix64(seed: seed)
  }

  /// Applies `command` and returns its reply.
  /// - Throws: the reason the command failed; a failed command changes nothing
  ///   (but for counting a refused ALLOC in the metrics).
  public mutating func apply(_ command: Command) throws(CommandError) -> Reply {
    switch command {
    case .new(let pageSize, let pageCount, let policy):
      if let heap { return .alreadyCreated(heap.summary) }
      var draw = random
      let id = "HEAP-\(100 + Int(draw.next(upperBound: 900 as UInt64)))"
      let heap = try Heap(id: id, pageSize: pageSize, pageCount: pageCount, policy: policy ?? .first)
      self.heap = heap
      history = History()
      random = draw
      return .created(heap.summary)
    case .reset:
      defer {
        heap = nil
        history = History()
      }
      return .cleared(hadHeap: heap != nil)
    case .help:
      return .help
    case .quit:
      return .quit
    case .alloc(let bytes):
      return .allocated(
        try recording { heap throws(CommandError) in
          let allocation = try heap.allocate(bytes: bytes)
          return (allocation, .allocated(allocation))
        })
    case .dealloc(let tagText):
      // Tags are strings: "+1", "01" and "1.0" name no allocation, even though tag 1 is live.
      guard let tag = Allocation.tag(named: tagText) else {
        _ = try withHeap { _ throws(CommandError) in }
        throw .unknownTag(tagText)
      }
      return .deallocated(
        try recording { heap throws(CommandError) in
          let allocation = try heap.deallocate(tag: tag)
          return (allocation, .freed(allocation))
        })
    case .realloc(let tagText, let bytes):
      guard let tag = Allocation.tag(named: tagText) else {
        guard heap != nil else { throw .noHeap }
        throw .unknownTagToReallocate(tagText)
      }
      return try recording { heap throws(CommandError) in
        let (from, to) = try heap.reallocate(tag: tag, bytes: bytes)
        return (.reallocated(from: from, to: to), .reallocated(from: from, to: to))
      }
    case .show(let width):
      if let width, !(1...Heap.maximumShowWidth).contains(width) {
        throw .invalidParameter(name: "width", value: String(width), expected: Expectation.width)
      }
      return .shown(
        try withHeap { heap throws(CommandError) in heap.show(width: width ?? Heap.defaultShowWidth) })
    case .defrag(let limit):
      return try recording { heap throws(CommandError) in
        guard heap.movesAllocations else { throw .refusedUnderBuddy("DEFRAG") }
        let moves = limit.map { heap.defragment(moves: $0) } ?? heap.defragment()
        let reply = Reply.defragmented(moves, complete: limit == nil || heap.nextDefragMove() == nil)
        return (reply, moves.isEmpty ? nil : .defragmented(moves, limit: limit))
      }
    case .policy(let policy):
      return try recording { heap throws(CommandError) in
        let old = heap.policy
        try heap.setPolicy(policy)
        return (.policySet(policy), old == policy ? nil : .policyChanged(from: old, to: policy))
      }
    case .undo(let steps):
      guard heap != nil else { throw .noHeap }
      guard history.position > 0 else { return .nothingToUndo }
      return try travel(to: history.step - min(steps ?? 1, history.position))
    case .redo(let steps):
      guard heap != nil else { throw .noHeap }
      let left = history.changes.count - history.position
      guard left > 0 else { return .nothingToRedo }
      return try travel(to: history.step + min(steps ?? 1, left))
    case .goto(let step):
      guard heap != nil else { throw .noHeap }
      guard (history.base...history.lastStep).contains(step) else {
        throw .noSuchStep(step: step, first: history.base, last: history.lastStep)
      }
      return try travel(to: step)
    case .history(let count):
      guard let heap else { throw .noHeap }
      return .history(
        history.listing(last: count ?? 10, origin: "NEW \(heap.pageSize) \(heap.pageCount) (\(heap.id))"))
    case .branch(let policy):
      return try branch(policy)
    case .stats:
      return try withHeap { heap throws(CommandError) in .stats(heap.summary, heap.metrics) }
    }
  }

  /// Parses `line` and applies it; nil for a blank or comment line.
  public mutating func execute(_ line: String) throws(CommandError) -> Reply? {
    let command: Command?
    do {
      command = try CommandParser.parse(line)
    } catch {
      throw .syntax(error)
    }
    guard let command else { return nil }
    return try apply(command)
  }

  /// Runs `body` on the heap and records the change it reports, with the counters from before it.
  private mutating func recording<T>(_ body: (inout Heap) throws(CommandError) -> (T, Change.Kind?))
    throws(CommandError) -> T
  {
    try withHeapAndHistory { heap, history throws(CommandError) in
      let before = heap.counters
      let result: T
      let kind: Change.Kind?
      do throws(CommandError) {
        (result, kind) = try body(&heap)
      } catch {
        if heap.counters != before { history.amendCurrentStep(heap.counters) }
        throw error
      }
      if let kind { history.record(Change(kind: kind, before: before)) }
      return result
    }
  }

  /// Undoes or redoes changes until the heap is at `step`.
  /// - Complexity: about what the changes in between cost when they were made.
  private mutating func travel(to step: Int) throws(CommandError) -> Reply {
    let from = history.step
    var changes: [Change] = []
    try withHeapAndHistory { heap, history throws(CommandError) in
      if history.position == history.changes.count, step < history.step { history.latest = heap.counters }
      do {
        while history.step > step {
          let change = history.changes[history.position - 1]
          try heap.undo(change)
          history.position -= 1
          changes.append(change)
        }
        while history.step < step {
          let change = history.changes[history.position]
          try heap.redo(change, after: history.countersAfterNext)
          history.position += 1
          changes.append(change)
        }
      } catch {
        // Only a history that does not belong to this heap gets here; loading refuses those.
        throw .noSuchStep(step: step, first: history.base, last: history.lastStep)
      }
    }
    return .traveled(Travel(from: from, to: step, last: history.lastStep, changes: changes))
  }

  private mutating func withHeapAndHistory<T>(
    _ body: (inout Heap, inout History) throws(CommandError) -> T
  ) throws(CommandError) -> T {
    guard heap != nil else { throw .noHeap }
    return try body(&heap!, &history)
  }

  private mutating func withHeap<T>(_ body: (inout Heap) throws(CommandError) -> T) throws(CommandError) -> T
  {
    guard heap != nil else { throw .noHeap }
    return try body(&heap!)
  }
}
