/// Checks operations one at a time: ids in range, frees and reallocs of live ids only.
struct TraceChecker {
  /// 0 never allocated, 1 live, 2 freed.
  private var states: [UInt8]
  private(set) var idCount: Int
  /// Whether ids may grow past `idCount` (OSTEP numbers them as it goes).
  private let growing: Bool

  init(idCount: Int, growing: Bool = false) {
    states = [UInt8](repeating: 0, count: idCount)
    self.idCount = idCount
    self.growing = growing
  }

  /// - Complexity: O(1) amortized.
  mutating func check(_ operation: Trace.Operation, line: Int) throws(TraceError) {
    let id = operation.id
    guard id >= 0 else { throw TraceError(line: line, problem: .nullID(operation: operation.name)) }
    guard id < Trace.maximumIDs else {
      throw TraceError(line: line, problem: .idTooLarge(id, limit: Trace.maximumIDs))
    }
    if id >= idCount {
      guard growing else { throw TraceError(line: line, problem: .idOutOfRange(id, idCount: idCount)) }
      states.append(contentsOf: repeatElement(0, count: id + 1 - idCount))
      idCount = id + 1
    }
    switch operation {
    case .alloc(_, let bytes), .realloc(_, let bytes):
      guard bytes > 0 else { throw TraceError(line: line, problem: .zeroSize) }
      guard bytes <= Trace.maximumBytes else {
        throw TraceError(
          line: line, problem: .numberTooLarge(what: "size", found: String(bytes), limit: Trace.maximumBytes))
      }
    case .free: break
    }
    let state = states[id]
    switch (operation, state) {
    case (.alloc, 1): throw TraceError(line: line, problem: .alreadyLive(id: id))
    case (.alloc, _): states[id] = 1
    case (.free, 1): states[id] = 2
    case (.realloc, 1): break
    case (.free, 0), (.realloc, 0):
      throw TraceError(line: line, problem: .neverAllocated(operation: operation.name, id: id))
    default: throw TraceError(line: line, problem: .alreadyFreed(operation: operation.name, id: id))
    }
  }
}

extension Trace.Operation {
  /// `alloc`, `free` or `realloc`, for messages.
  var name: String {
    switch self {
    case .alloc: "alloc"
    case .free: "free"
    case .realloc: "realloc"
    }
  }
}
