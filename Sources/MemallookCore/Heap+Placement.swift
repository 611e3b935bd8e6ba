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
    guard bytes > 0 else {
      throw .invalidParameter(name: "M", value: String(bytes), expected: Expectation.bytes)
    }
    let needed = (bytes - 1) / pageSize + 1
    guard let spot = spot(forPages: needed) else {
      failedAllocations = min(failedAllocations + 1, Heap.maximumCount)
      throw .allocationFailed(
        bytes: bytes, pagesNeeded: blockPages(needed) ?? needed, pagesFree: pagesFree,
        longestFreeRun: freeRunsByStart.maxValue ?? 0)
    }
    let pages = spot.pages
    takePages(start: spot.start, length: pages)
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
  /// - Complexity: O(log r); O(orders + log b) under buddy.
  func spot(forPages pages: Int) -> (start: Int, pages: Int)? {
    guard let buddy else { return freeRun(forPages: pages).map { (start: $0.start, pages: pages) } }
    guard let order = BuddyIndex.order(forPages: pages), let start = buddy.choose(order: order) else {
      return nil
    }
    return (start, 1 << order)
  }

  /// The pages of the block `pages` pages need under buddy; nil for the fit policies.
  func blockPages(_ pages: Int) -> Int? {
    guard buddy != nil, let order = BuddyIndex.order(forPages: pages) else { return nil }
    return 1 << order
  }

  /// Takes free pages (a free block under buddy) out of the free indexes.
  mutating func takePages(start: Int, length: Int) {
    reservePages(start: start, length: length)
    if let order = BuddyIndex.order(forPages: length), buddy?.take(start: start, order: order) == false {
      preconditionFailure("takePages: \(start)+\(length) is not a free buddy block")
    }
  }

  /// Gives pages back to the free indexes (a block back to the buddy system, merging).
  mutating func givePages(start: Int, length: Int) {
    releasePages(start: start, length: length)
    if let order = BuddyIndex.order(forPages: length) { buddy?.give(start: start, order: order) }
  }

  /// Returns `start ..< start + length`, which must be owned by no one and
  /// absent from the free index, to the free index, merging with neighbours.
  mutating func releasePages(start: Int, length: Int) {
    let end = start + length
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

  /// The free run the policy picks for `pages` pages, or nil when none is long enough.
  /// - Complexity: O(log r).
  func freeRun(forPages pages: Int) -> (start: Int, length: Int)? {
    let found: (key: Int, value: Int)?
    switch policy {
    case .first:
      found = freeRunsByStart.first(from: 0, valueAtLeast: pages)
    case .next:
      var from = nextFitCursor
      if let holder = freeRunsByStart.floor(from), holder.key + holder.value > from { from = holder.key }
      found =
        freeRunsByStart.first(from: from, valueAtLeast: pages)
        ?? freeRunsByStart.first(from: 0, valueAtLeast: pages)
    case .best:
      found = freeRunsBySize!.ceiling(FreeRunKey(length: pages, start: Int.min)).map {
        (key: $0.key.start, value: $0.key.length)
      }
    case .worst:
      guard let longest = freeRunsByStart.maxValue, longest >= pages else { return nil }
      found = freeRunsByStart.first(from: 0, valueAtLeast: longest)
    case .buddy:
      return nil  // the buddy system places blocks: `spot(forPages:)`
    }
    return found.map { (start: $0.key, length: $0.value) }
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
    guard bytes > 0 else {
      throw .invalidParameter(name: "M", value: String(bytes), expected: Expectation.bytes)
    }
    guard let old = allocations[tag: tag] else { throw .unknownTagToReallocate(String(tag)) }
    let needed = (bytes - 1) / pageSize + 1
    var pages = blockPages(needed) ?? needed
    var firstPage = old.firstPage
    let inPlace: Bool
    if buddy != nil {
      inPlace = pages == old.pageCount  // the buddy system keeps a block of the same order, else moves
    } else if pages <= old.pageCount {
      inPlace = true
      if pages < old.pageCount { releasePages(start: old.firstPage + pages, length: old.pageCount - pages) }
    } else if let after = freeRunsByStart.value(for: old.endPage), after >= pages - old.pageCount {
      inPlace = true
      reservePages(start: old.endPage, length: pages - old.pageCount)
    } else {
      inPlace = false
    }
    if !inPlace {
      guard let spot = spot(forPages: needed) else {
        failedAllocations = min(failedAllocations + 1, Heap.maximumCount)
        throw .reallocationFailed(
          tag: tag, bytes: bytes, pagesNeeded: pages, pagesFree: pagesFree,
          longestFreeRun: freeRunsByStart.maxValue ?? 0)
      }
      pages = spot.pages
      takePages(start: spot.start, length: pages)
      givePages(start: old.firstPage, length: old.pageCount)
      firstPage = spot.start
      nextFitCursor = spot.start + pages
    }
    let new = Allocation(
      tag: tag, bytes: bytes, firstPage: firstPage, pageCount: pages, glyphIndex: old.glyphIndex)
    allocations.update(new)
    pagesInUse += pages - old.pageCount
    bytesInUse += bytes - old.bytes
    peakPagesInUse = max(peakPagesInUse, pagesInUse)
    return (old, new)
  }
}
