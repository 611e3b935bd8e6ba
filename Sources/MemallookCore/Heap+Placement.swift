extension Heap {
  /// Reserves `ceil(bytes / pageSize)` contiguous pages where the policy says,
  /// and returns the new allocation with the next tag.
  ///
  /// A refused ALLOC changes nothing but the `failedAllocations` count, and
  /// consumes no tag.
  /// - Throws: `.invalidParameter` unless `bytes > 0`; `.allocationFailed` when
  ///   no free run is long enough.
  /// - Complexity: O(log r) for r free runs, for every policy.
  public mutating func allocate(bytes: Int) throws(CommandError) -> Allocation {
    // The state file holds a next tag of at most `maximumCount`: the last tag is one below it.
    guard nextTag < Heap.maximumCount else { throw .tagsExhausted(limit: Heap.maximumCount) }
    let spot: (start: Int, pages: Int)
    if indexSearchesFirstRun, bytes > 0, let taken = takeFirstRun(pages: (bytes - 1) / pageSize + 1) {
      spot = taken
    } else {
      do {
        spot = try allocationSpot(bytes: bytes)
      } catch {
        if case .allocationFailed = error {
          failedAllocations = min(failedAllocations + 1, Heap.maximumCount)
        }
        throw error
      }
      takePages(start: spot.start, length: spot.pages)
    }
    let pages = spot.pages
    let tag = nextTag
    nextTag += 1
    let allocation = Allocation(
      tag: tag, bytes: bytes, firstPage: spot.start, pageCount: pages, glyphIndex: glyphs.take(for: tag))
    allocations.insert(allocation)
    pagesInUse += pages
    bytesInUse += bytes
    peakPagesInUse = max(peakPagesInUse, pagesInUse)
    nextFitCursor = allocation.endPage
    return allocation
  }

  /// Where ALLOC of `bytes` bytes would go and how many pages it would take, changing
  /// nothing: the question `allocate` asks, and the preview and the quiz ask it too.
  /// - Throws: `.invalidParameter` unless `bytes > 0`; `.allocationFailed` (with the
  ///   policy's reason when there is more to say) when nothing fits.
  /// - Complexity: the policy's: O(log r) for the fits.
  public func allocationSpot(bytes: Int) throws(CommandError) -> (start: Int, pages: Int) {
    guard bytes > 0 else {
      throw .invalidParameter(name: "M", value: String(bytes), expected: Expectation.bytes)
    }
    let needed = (bytes - 1) / pageSize + 1
    guard let spot = spot(forPages: needed) else {
      throw .allocationFailed(
        bytes: bytes, pagesNeeded: Swift.type(of: index).pagesHeld(for: needed), pagesFree: pagesFree,
        longestFreeRun: freeRunsByStart.maxValue ?? 0, note: index.refusal(forPages: needed, in: self))
    }
    return spot
  }

  /// Frees the allocation with `tag`; its pages merge with free neighbours.
  /// - Throws: `.unknownTag` when no live allocation has `tag`; nothing changes.
  /// - Complexity: O(1) expected + O(log r).
  @discardableResult
  public mutating func deallocate(tag: Int) throws(CommandError) -> Allocation {
    guard let allocation = allocations.remove(tag: tag) else {
      throw .unknownTag(String(tag))
    }
    release(allocation)
    return allocation
  }

  /// Gives back the glyph, the counts and the pages of `allocation`, just taken out of the table.
  mutating func release(_ allocation: Allocation) {
    glyphs.release(allocation.glyphIndex)
    pagesInUse -= allocation.pageCount
    bytesInUse -= allocation.bytes
    givePages(start: allocation.firstPage, length: allocation.pageCount)
  }

  /// Where the policy puts an allocation that needs `pages` pages, and how many
  /// pages it takes there (a whole block under buddy); nil when nothing fits.
  /// - Complexity: the policy's: O(log r) for the fits.
  func spot(forPages pages: Int) -> (start: Int, pages: Int)? {
    index.spot(forPages: pages, in: self)
  }

  /// The run `index.firstRunSearch` finds, shortened by `pages` pages from its front in the
  /// descent that finds it (first, next and worst fit), and the spot taken; nil, and nothing
  /// changed, when nothing fits.
  private mutating func takeFirstRun(pages: Int) -> (start: Int, pages: Int)? {
    guard
      let search = index.firstRunSearch(forPages: pages, in: self),
      let taken = search.answer({
        freeRunsByStart.takeFirst(from: $0, atLeast: search.atLeast, length: pages)
      })
    else { return nil }
    if taken.done {
      indexRunShortened(start: taken.start, old: taken.length, by: pages)
    } else {
      removeFreeRun(start: taken.start, length: pages)  // used up whole, its leaf could not lose it alone
    }
    indexTookPages(start: taken.start, length: pages)
    return (taken.start, pages)
  }

  /// Takes free pages (a free block under buddy) out of the free runs and the policy's index.
  mutating func takePages(start: Int, length: Int) {
    reservePages(start: start, length: length)
    indexTookPages(start: start, length: length)
  }

  /// Tells the policy's index of pages taken out of the free runs, which it must be able to give.
  private mutating func indexTookPages(start: Int, length: Int) {
    guard indexPagesTaken(start: start, length: length) else {
      preconditionFailure("takePages: \(start)+\(length) is not free for \(policy.title)")
    }
  }

  /// Gives pages back to the free runs and the policy's index (a block back to buddy, merging).
  mutating func givePages(start: Int, length: Int) {
    releasePages(start: start, length: length)
    indexPagesGiven(start: start, length: length)
  }

  /// Returns `start ..< start + length`, which must be owned by no one and
  /// absent from the free index, to the free index, merging with neighbours.
  mutating func releasePages(start: Int, length: Int) {
    let end = start + length
    // Most often one descent does it; the policy's index is told the same changes, in the
    // same order, as the general path below tells it.
    if let merge = freeRunsByStart.mergeFreed(start: start, length: length) {
      switch (merge.before, merge.after) {
      case let (before?, after?):
        indexRunRemoved(start: end, length: after)
        indexRunReplaced(
          start: before.key, length: before.value, byStart: before.key, length: before.value + length + after)
      case let (before?, nil):
        indexRunReplaced(
          start: before.key, length: before.value, byStart: before.key, length: before.value + length)
      case let (nil, after?):
        indexRunReplaced(start: end, length: after, byStart: start, length: length + after)
      case (nil, nil):
        indexRunAdded(start: start, length: length)
      }
      return
    }
    let before = freeRunsByStart.floor(start).flatMap { $0.key + $0.value == start ? $0 : nil }
    let after = freeRunsByStart.value(for: end)
    switch (before, after) {
    case let (before?, after?):
      removeFreeRun(start: end, length: after)
      reshapeFreeRun(
        start: before.key, length: before.value, newStart: before.key,
        newLength: before.value + length + after)
    case let (before?, nil):
      reshapeFreeRun(
        start: before.key, length: before.value, newStart: before.key, newLength: before.value + length)
    case let (nil, after?):
      reshapeFreeRun(start: end, length: after, newStart: start, newLength: length + after)
    case (nil, nil):
      addFreeRun(start: start, length: length)
    }
  }
}

extension Heap {
  /// Resizes the allocation with `tag` to `ceil(bytes / pageSize)` pages, keeping
  /// its tag and glyph: in place when it shrinks or when the free run right after
  /// it is long enough, else at the run the policy picks among the free runs
  /// (the old pages still held), whose old pages are then freed.
  ///
  /// A moving REALLOC sets next fit's cursor as an ALLOC does; an in-place one
  /// leaves it. Under buddy, a block of the same order is kept, any other size
  /// moves to a new block chosen with the old one held. A refused REALLOC
  /// changes nothing but the failure count.
  /// - Throws: `.invalidParameter` unless `bytes > 0`; `.unknownTagToReallocate`;
  ///   `.reallocationFailed` when it can neither grow in place nor move.
  /// - Complexity: O(1) expected + O(log r).
  public mutating func reallocate(tag: Int, bytes: Int) throws(CommandError) -> (
    from: Allocation, to: Allocation
  ) {
    let plan: Reallocation
    do {
      plan = try reallocation(tag: tag, bytes: bytes)
    } catch {
      if case .reallocationFailed = error {
        failedAllocations = min(failedAllocations + 1, Heap.maximumCount)
      }
      throw error
    }
    let old = plan.old
    if plan.inPlace {
      if plan.pages < old.pageCount {
        releasePages(start: old.firstPage + plan.pages, length: old.pageCount - plan.pages)
      } else if plan.pages > old.pageCount {
        reservePages(start: old.endPage, length: plan.pages - old.pageCount)
      }
    } else {
      takePages(start: plan.start, length: plan.pages)
      givePages(start: old.firstPage, length: old.pageCount)
      nextFitCursor = plan.start + plan.pages
    }
    let new = Allocation(
      tag: tag, bytes: bytes, firstPage: plan.start, pageCount: plan.pages, glyphIndex: old.glyphIndex)
    allocations.update(new)
    pagesInUse += plan.pages - old.pageCount
    bytesInUse += bytes - old.bytes
    peakPagesInUse = max(peakPagesInUse, pagesInUse)
    return (old, new)
  }

  /// What REALLOC would do: the allocation before it, and its pages after it.
  public struct Reallocation: Sendable, Equatable {
    public let old: Allocation
    public let start: Int
    public let pages: Int
    /// Whether it keeps its first page (shrinking, growing into the run after it, or the same block).
    public let inPlace: Bool
  }

  /// Where REALLOC of `tag` to `bytes` bytes would put it, changing nothing: the
  /// question `reallocate` asks, and the preview asks it too.
  /// - Throws: as `reallocate`.
  /// - Complexity: O(1) expected + O(log r).
  public func reallocation(tag: Int, bytes: Int) throws(CommandError) -> Reallocation {
    guard bytes > 0 else {
      throw .invalidParameter(name: "M", value: String(bytes), expected: Expectation.bytes)
    }
    guard let old = allocations[tag: tag] else { throw .unknownTagToReallocate(String(tag)) }
    let needed = (bytes - 1) / pageSize + 1
    let pages = Swift.type(of: index).pagesHeld(for: needed)
    let inPlace: Bool
    if Swift.type(of: index).takesBlocks {
      inPlace = pages == old.pageCount  // a block of the same size is kept, any other moves
    } else if pages <= old.pageCount {
      inPlace = true
    } else if let after = freeRunsByStart.value(for: old.endPage), after >= pages - old.pageCount {
      inPlace = true
    } else {
      inPlace = false
    }
    if inPlace { return Reallocation(old: old, start: old.firstPage, pages: pages, inPlace: true) }
    guard let spot = spot(forPages: needed) else {
      throw .reallocationFailed(
        tag: tag, bytes: bytes, pagesNeeded: pages, pagesFree: pagesFree,
        longestFreeRun: freeRunsByStart.maxValue ?? 0, note: index.refusal(forPages: needed, in: self))
    }
    return Reallocation(old: old, start: spot.start, pages: spot.pages, inPlace: false)
  }
}
