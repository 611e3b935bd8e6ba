extension Heap {
  /// The moves that compact the heap: every allocation slides toward page 0,
  /// keeping address order, so that the free pages form one run at the end.
  ///
  /// Applied one by one in order (`defragment(moves:)`), each move goes into the free
  /// gap left of its allocation, so every intermediate state is a valid heap.
  /// Empty under buddy: blocks stay where their buddies can find them.
  /// - Complexity: O(n) for n live allocations.
  public func defragPlan() -> [Move] {
    guard movesAllocations else { return [] }
    var moves: [Move] = []
    var next = 0
    for allocation in AddressWalk(self, from: 0) {
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
  /// - Complexity: O(n): the indexes are rebuilt from the address walk.
  @discardableResult
  public mutating func defragment() -> [Move] {
    let plan = defragPlan()
    guard !plan.isEmpty else { return [] }
    var packed = AllocationTable(minimumCapacity: allocations.count, mapsFirstPages: mapsFirstPages)
    var next = 0
    for var allocation in AddressWalk(self, from: 0) {
      allocation.firstPage = next
      packed.insert(allocation)
      next += allocation.pageCount
    }
    precondition(packed.count == allocations.count, "\(id): the address walk missed allocations")
    allocations = packed
    freeRunsByStart = SearchTree()
    if next < pageCount { freeRunsByStart.insert(next, value: pageCount - next) }
    rebuildPolicyIndexes()
    return plan
  }

  /// The first move of `defragPlan()`, from the live heap: the allocation just
  /// after the first free run slides to that run's start. Every page before the
  /// first free run is owned, so those allocations are already packed.
  /// - Complexity: O(log r).
  public func nextDefragMove() -> Move? {
    guard movesAllocations, let gap = freeRunsByStart.first(from: 0, valueAtLeast: 1),
      let allocation = allocations.starting(at: gap.key + gap.value)
    else { return nil }
    return Move(tag: allocation.tag, from: allocation.firstPage, to: gap.key, pageCount: allocation.pageCount)
  }

  /// Makes the next `limit` moves of the plan, one at a time (each leaves a valid heap).
  /// - Complexity: O(limit · log r).
  public mutating func defragment(moves limit: Int) -> [Move] {
    var moves: [Move] = []
    while moves.count < limit, let move = nextDefragMove() {
      perform(move)
      moves.append(move)
    }
    return moves
  }

  /// Moves `move.tag` from `move.from` into the free pages at `move.to`, which
  /// start the free run right before it (`nextDefragMove()`).
  mutating func perform(_ move: Move) {
    var allocation = allocations[tag: move.tag]!
    releasePages(start: move.from, length: move.pageCount)
    reservePages(start: move.to, length: move.pageCount)
    allocation.firstPage = move.to
    allocations.update(allocation)
  }

  /// Takes `start ..< start + length`, which must lie inside one free run, out of the free index.
  mutating func reservePages(start: Int, length: Int) {
    // Most often the pages are the front of a longer run (every fit takes a run's front): one descent.
    if let old = freeRunsByStart.shortenFront(of: start, by: length) {
      indexRunShortened(start: start, old: old, by: length)
      return
    }
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
