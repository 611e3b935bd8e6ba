extension Heap {
  /// The moves that compact the heap: every allocation slides toward page 0,
  /// keeping address order, so that the free pages form one run at the end.
  ///
  /// Applied one by one in order (`apply(_:)`), each move goes into the free
  /// gap left of its allocation, so every intermediate state is a valid heap.
  /// - Complexity: O(n) for n live allocations.
  public func defragPlan() -> [Move] {
    var moves: [Move] = []
    var next = 0
    for entry in allocationsByAddress {
      let allocation = allocationsByTag[entry.value]!
      if allocation.firstPage != next {
        moves.append(
          Move(tag: allocation.tag, from: allocation.firstPage, to: next, pageCount: allocation.pageCount))
      }
      next += allocation.pageCount
    }
    return moves
  }

  /// Compacts the heap at once and returns the moves it made (`defragPlan()`).
  ///
  /// Next fit's cursor stays where it was: it is a page number, and moving the
  /// allocations does not move it.
  /// - Complexity: O(n): the indexes are rebuilt from the sorted allocations.
  @discardableResult
  public mutating func defragment() -> [Move] {
    let plan = defragPlan()
    guard !plan.isEmpty else { return [] }
    var packed: [(key: Int, value: Int)] = []
    packed.reserveCapacity(allocationsByTag.count)
    var next = 0
    for entry in allocationsByAddress {
      allocationsByTag[entry.value]!.firstPage = next
      packed.append((key: next, value: entry.value))
      next += allocationsByTag[entry.value]!.pageCount
    }
    allocationsByAddress = SearchTree(sorted: packed)
    freeRunsByStart = SearchTree()
    freeRunsBySize = nil
    if next < pageCount { addFreeRun(start: next, length: pageCount - next) }
    rebuildSizeIndex()
    return plan
  }

  /// Performs one move, if it still fits the heap: `move.tag` must be live at
  /// `move.from` and the pages at `move.to` free (or its own).
  ///
  /// Returns false, changing nothing, when the heap changed since the plan was made.
  /// - Complexity: O(log n + log r).
  @discardableResult
  public mutating func apply(_ move: Move) -> Bool {
    guard var allocation = allocationsByTag[move.tag], allocation.firstPage == move.from,
      allocation.pageCount == move.pageCount, move.to >= 0, move.to + move.pageCount <= pageCount
    else { return false }
    allocationsByAddress.remove(move.from)
    releasePages(start: move.from, length: move.pageCount)
    guard let run = freeRunsByStart.floor(move.to), run.key + run.value >= move.to + move.pageCount else {
      // The destination is not free: undo.
      reservePages(start: move.from, length: move.pageCount)
      allocationsByAddress.insert(move.from, value: move.tag)
      return false
    }
    reservePages(start: move.to, length: move.pageCount)
    allocation.firstPage = move.to
    allocationsByTag[move.tag] = allocation
    allocationsByAddress.insert(move.to, value: move.tag)
    return true
  }

  /// Takes `start ..< start + length`, which must lie inside one free run, out of the free index.
  mutating func reservePages(start: Int, length: Int) {
    guard let run = freeRunsByStart.floor(start), run.key + run.value >= start + length else {
      preconditionFailure("reservePages: pages \(start)..<\(start + length) are not free")
    }
    let runEnd = run.key + run.value
    if run.key < start {
      reshapeFreeRun(start: run.key, length: run.value, newStart: run.key, newLength: start - run.key)
      if start + length < runEnd { addFreeRun(start: start + length, length: runEnd - start - length) }
    } else if start + length < runEnd {
      reshapeFreeRun(
        start: run.key, length: run.value, newStart: start + length, newLength: runEnd - start - length)
    } else {
      removeFreeRun(start: run.key, length: run.value)
    }
  }
}
