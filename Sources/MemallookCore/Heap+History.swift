/// Undoing and redoing recorded changes: each costs about what the original
/// operation cost (O(log r) for an allocation, O(moves · log r) for a DEFRAG),
/// never O(pages). A record that does not fit the heap is refused unchanged.
extension Heap {
  /// The counters that travel with the history.
  var counters: Counters {
    get {
      Counters(
        nextTag: nextTag, nextFitCursor: nextFitCursor, peakPagesInUse: peakPagesInUse,
        failedAllocations: failedAllocations)
    }
    set {
      nextTag = newValue.nextTag
      nextFitCursor = newValue.nextFitCursor
      peakPagesInUse = newValue.peakPagesInUse
      failedAllocations = newValue.failedAllocations
    }
  }

  /// Takes the heap from just after `change` to just before it.
  mutating func undo(_ change: Change) throws(ChangeMismatch) {
    switch change.kind {
    case .allocated(let allocation): try remove(allocation)
    case .freed(let allocation): try place(allocation)
    case .reallocated(let from, let to): try replace(to, with: from)
    case .defragmented(let moves, _):
      for (index, move) in moves.enumerated().reversed() {
        do {
          try relocate(Move(tag: move.tag, from: move.to, to: move.from, pageCount: move.pageCount))
        } catch {
          // Put back the moves already undone, so that a refused record changes nothing.
          for done in moves[(index + 1)...] { try? relocate(done) }
          throw error
        }
      }
    case .policyChanged(let from, let to):
      guard policy == to else { throw ChangeMismatch(description: "the policy is not \(to.title)") }
      policy = from
    }
    guard change.before.nextFitCursor <= pageCount, change.before.peakPagesInUse <= pageCount else {
      throw ChangeMismatch(description: "a change's counters lie outside the heap")
    }
    counters = change.before
  }

  /// Takes the heap from just before `change` to just after it; the counters
  /// become `after` when given (the state recorded at that step), else what the
  /// change made of the counters before it.
  mutating func redo(_ change: Change, after recorded: Counters? = nil) throws(ChangeMismatch) {
    var after = change.before
    switch change.kind {
    case .allocated(let allocation):
      try place(allocation)
      after.nextTag = max(after.nextTag, allocation.tag + 1)
      after.nextFitCursor = allocation.endPage
      after.peakPagesInUse = max(after.peakPagesInUse, pagesInUse)
    case .freed(let allocation): try remove(allocation)
    case .reallocated(let from, let to):
      try replace(from, with: to)
      if from.firstPage != to.firstPage { after.nextFitCursor = to.endPage }
      after.peakPagesInUse = max(after.peakPagesInUse, pagesInUse)
    case .defragmented(let moves, _):
      for (index, move) in moves.enumerated() {
        do {
          try relocate(move)
        } catch {
          for done in moves[..<index].reversed() {
            try? relocate(Move(tag: done.tag, from: done.to, to: done.from, pageCount: done.pageCount))
          }
          throw error
        }
      }
    case .policyChanged(let from, let to):
      guard policy == from else { throw ChangeMismatch(description: "the policy is not \(from.title)") }
      policy = to
    }
    counters = recorded ?? after
  }

  /// Puts `allocation` back exactly where, and as, it was: its pages must be free.
  /// - Complexity: O(log r) (and O(1) expected for the allocation table).
  private mutating func place(_ allocation: Allocation) throws(ChangeMismatch) {
    // A tag is below the largest next tag (a redo sets the next tag past it, and may not overflow).
    guard allocation.tag > 0, allocation.tag < Heap.maximumCount, allocations[tag: allocation.tag] == nil,
      pagesFit(allocation),
      allocation.firstPage >= 0, allocation.pageCount <= pageCount - allocation.firstPage,
      let run = freeRunsByStart.floor(allocation.firstPage), run.key + run.value >= allocation.endPage
    else {
      throw ChangeMismatch(description: "tag \(allocation.tag) does not fit at page \(allocation.firstPage)")
    }
    reservePages(start: allocation.firstPage, length: allocation.pageCount)
    guard indexPagesTaken(start: allocation.firstPage, length: allocation.pageCount) else {
      releasePages(start: allocation.firstPage, length: allocation.pageCount)
      throw ChangeMismatch(description: "tag \(allocation.tag) is not free for \(policy.title) at its pages")
    }
    allocations.insert(allocation)
    glyphs.retain(allocation.glyphIndex)
    pagesInUse += allocation.pageCount
    bytesInUse += allocation.bytes
  }

  /// Turns `old`, live exactly as recorded, into `new` (same tag), whose pages
  /// must be free once `old`'s are.
  private mutating func replace(_ old: Allocation, with new: Allocation) throws(ChangeMismatch) {
    guard old.tag == new.tag else { throw ChangeMismatch(description: "a REALLOC changed tag \(old.tag)") }
    try remove(old)
    do {
      try place(new)
    } catch {
      try? place(old)
      throw error
    }
  }

  /// Frees `allocation`, which must be live exactly as recorded.
  /// - Complexity: O(log r) (and O(1) expected for the allocation table).
  private mutating func remove(_ allocation: Allocation) throws(ChangeMismatch) {
    // Taken out, then put back if it differs: one lookup, not one to compare and one to remove.
    let live = allocations.remove(tag: allocation.tag)
    guard live == allocation else {
      if let live { allocations.insert(live) }
      throw ChangeMismatch(description: "tag \(allocation.tag) is not live as recorded")
    }
    release(allocation)
  }

  /// Makes `move` if `move.tag` is live at `move.from` and the pages at `move.to`
  /// are free once it has left its own.
  /// - Complexity: O(log r) (and O(1) expected for the allocation table).
  private mutating func relocate(_ move: Move) throws(ChangeMismatch) {
    guard movesAllocations, let allocation = allocations[tag: move.tag], allocation.firstPage == move.from,
      allocation.pageCount == move.pageCount, move.to >= 0, move.pageCount <= pageCount - move.to
    else { throw ChangeMismatch(description: "tag \(move.tag) is not at page \(move.from)") }
    releasePages(start: move.from, length: move.pageCount)
    guard let run = freeRunsByStart.floor(move.to), run.key + run.value >= move.to + move.pageCount else {
      reservePages(start: move.from, length: move.pageCount)
      throw ChangeMismatch(description: "pages at \(move.to) are not free for tag \(move.tag)")
    }
    reservePages(start: move.to, length: move.pageCount)
    var moved = allocation
    moved.firstPage = move.to
    allocations.update(moved)
  }
}
