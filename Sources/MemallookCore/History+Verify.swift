extension History {
  /// The most changes a stored session keeps; older ones are dropped (GOTO cannot reach them).
  public static let storedLimit = 100_000

  /// Checks that every change replays on `heap`, which must be at `position`:
  /// undoes the applied ones and redoes them all, on a copy.
  /// - Complexity: O(changes · log r) and the moves of recorded DEFRAGs.
  func verify(on heap: Heap) throws(ChangeMismatch) {
    var copy = heap
    for change in changes[..<position].reversed() { try copy.undo(change) }
    for change in changes { try copy.redo(change) }
    do {
      try copy.checkInvariants()
    } catch {
      throw ChangeMismatch(description: error.description)
    }
  }
}

extension History {
  /// `verify(on:)` on the heap itself, which ends as it began: the applied changes are
  /// undone, every change redone, the invariants checked, the undone ones undone again
  /// and the counters put back. Saves the copy of the heap (its memory and the page
  /// faults of making it) when a state file is loaded. When every change is applied,
  /// redoing them all comes back to `heap` itself, whose invariants the caller has
  /// checked (`Heap(restoring:)`), so they are not checked twice.
  /// - Complexity: O(changes · log r) and the moves of recorded DEFRAGs.
  func verify(inPlace heap: inout Heap) throws(ChangeMismatch) {
    let counters = heap.counters
    // The replay may free every allocation and make them again: keep room for the most
    // that are ever live meanwhile, so the tables are not shrunk and grown back.
    // (Never more than the heap has pages: a crafted history cannot make it reserve more.)
    heap.allocations.reserveCapacity(
      Swift.min(mostLive(whenAtPositionWith: heap.liveAllocationCount), heap.pageCount))
    defer { heap.allocations.reserveCapacity(0) }
    for change in changes[..<position].reversed() { try heap.undo(change) }
    for change in changes { try heap.redo(change) }
    if position < changes.count {
      do {
        try heap.checkInvariants()
      } catch {
        throw ChangeMismatch(description: error.description)
      }
    }
    for change in changes[position...].reversed() { try heap.undo(change) }
    heap.counters = counters
  }
}

extension History {
  /// The most allocations live at any step, when `live` are live at `position`.
  /// - Complexity: O(changes).
  func mostLive(whenAtPositionWith live: Int) -> Int {
    func delta(_ change: Change) -> Int {
      switch change.kind {
      case .allocated: 1
      case .freed: -1
      case .reallocated, .defragmented, .policyChanged: 0
      }
    }
    var count = live - changes[..<position].reduce(0) { $0 + delta($1) }
    var most = Swift.max(count, live)
    for change in changes {
      count += delta(change)
      most = Swift.max(most, count)
    }
    return most
  }
}
