/// The one place where commands take effect: a heap, or none yet, and the
/// seeded generator that names new heaps.
public struct Session: Sendable {
  /// The heap, nil before NEW and after RESET.
  public internal(set) var heap: Heap?
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
      random = draw
      return .created(heap.summary)
    case .reset:
      defer { heap = nil }
      return .cleared(hadHeap: heap != nil)
    case .help:
      return .help
    case .quit:
      return .quit
    case .alloc(let bytes):
      return .allocated(try withHeap { heap throws(CommandError) in try heap.allocate(bytes: bytes) })
    case .dealloc(let tagText):
      guard let tag = Int(tagText), tag > 0, String(tag) == tagText else {
        _ = try withHeap { _ throws(CommandError) in }
        throw .unknownTag(tagText)
      }
      return .deallocated(try withHeap { heap throws(CommandError) in try heap.deallocate(tag: tag) })
    case .show(let width):
      if let width, width <= 0 {
        throw .invalidParameter(name: "width", value: String(width), expected: Expectation.width)
      }
      return .shown(
        try withHeap { heap throws(CommandError) in heap.show(width: width ?? Heap.defaultShowWidth) })
    case .defrag(let limit):
      return try withHeap { heap throws(CommandError) in
        guard let limit else { return .defragmented(heap.defragment(), complete: true) }
        let moves = heap.defragment(moves: limit)
        return .defragmented(moves, complete: heap.nextDefragMove() == nil)
      }
    case .policy(let policy):
      try withHeap { heap throws(CommandError) in heap.policy = policy }
      return .policySet(policy)
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

  private mutating func withHeap<T>(_ body: (inout Heap) throws(CommandError) -> T) throws(CommandError) -> T
  {
    guard heap != nil else { throw .noHeap }
    return try body(&heap!)
  }
}
