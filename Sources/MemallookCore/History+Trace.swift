/// A session's history as a trace, so that a heap typed by hand can be replayed and compared.
public struct HistoryTrace: Sendable, Equatable {
  /// Ids are the tags: ALLOC → `a tag M`, DEALLOC → `f tag`, REALLOC → `r tag M`.
  public let trace: Trace
  /// DEFRAG and POLICY changes, which a trace cannot say: left out.
  public let skippedChanges: Int
  /// Allocations made before the kept history (a trimmed one) that it frees or
  /// reallocates: allocated at the start of the trace, so that it stays well formed.
  public let allocatedAtStart: Int
}

extension History {
  /// The applied changes (up to the current step) as a trace.
  /// - Throws: `TraceError` when a tag is past `Trace.maximumIDs`.
  /// - Complexity: O(changes + largest tag).
  public func trace() throws(TraceError) -> HistoryTrace {
    var operations: [Trace.Operation] = []
    var earlier: [Trace.Operation] = []
    var seen = Set<Int>()
    var skipped = 0
    var largest = -1
    for change in changes[..<position] {
      let operation: Trace.Operation
      switch change.kind {
      case .allocated(let allocation):
        operation = .alloc(id: allocation.tag, bytes: allocation.bytes)
      case .freed(let allocation):
        operation = .free(id: allocation.tag)
        if !seen.contains(allocation.tag) {
          earlier.append(.alloc(id: allocation.tag, bytes: allocation.bytes))
        }
      case .reallocated(let from, let to):
        operation = .realloc(id: to.tag, bytes: to.bytes)
        if !seen.contains(from.tag) { earlier.append(.alloc(id: from.tag, bytes: from.bytes)) }
      case .defragmented, .policyChanged:
        skipped += 1
        continue
      }
      seen.insert(operation.id)
      largest = max(largest, operation.id)
      operations.append(operation)
    }
    let trace = try Trace(operations: earlier + operations, idCount: largest + 1)
    return HistoryTrace(trace: trace, skippedChanges: skipped, allocatedAtStart: earlier.count)
  }
}
