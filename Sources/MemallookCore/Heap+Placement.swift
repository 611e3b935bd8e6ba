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
    let pages = (bytes - 1) / pageSize + 1
    guard let run = freeRun(forPages: pages) else {
      failedAllocations += 1
      throw .allocationFailed(
        bytes: bytes, pagesNeeded: pages, pagesFree: pagesFree,
        longestFreeRun: freeRunsByStart.maxValue ?? 0)
    }
    if run.length == pages {
      removeFreeRun(start: run.start, length: run.length)
    } else {
      reshapeFreeRun(
        start: run.start, length: run.length, newStart: run.start + pages, newLength: run.length - pages)
    }
    let tag = nextTag
    nextTag += 1
    let allocation = Allocation(
      tag: tag, bytes: bytes, firstPage: run.start, pageCount: pages, glyphIndex: glyphs.take(for: tag))
    allocationsByTag[tag] = allocation
    allocationsByAddress.insert(run.start, value: tag)
    pagesInUse += pages
    bytesInUse += bytes
    peakPagesInUse = max(peakPagesInUse, pagesInUse)
    nextFitCursor = allocation.endPage
    return allocation
  }

  /// Frees the allocation with `tag`; its pages merge with free neighbours.
  /// - Throws: `.unknownTag` when no live allocation has `tag`; nothing changes.
  /// - Complexity: O(log n + log r).
  @discardableResult
  public mutating func deallocate(tag: Int) throws(CommandError) -> Allocation {
    guard let allocation = allocationsByTag.removeValue(forKey: tag) else {
      throw .unknownTag(String(tag))
    }
    allocationsByAddress.remove(allocation.firstPage)
    glyphs.release(allocation.glyphIndex)
    pagesInUse -= allocation.pageCount
    bytesInUse -= allocation.bytes
    releasePages(start: allocation.firstPage, length: allocation.pageCount)
    return allocation
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
    }
    return found.map { (start: $0.key, length: $0.value) }
  }
}
