extension Heap {
  /// A heap as a state file keeps it: sizes, counters and allocations.
  struct Stored {
    var id: String
    var pageSize: Int
    var pageCount: Int
    var policy: Policy
    var nextTag: Int
    var nextFitCursor: Int
    var peakPagesInUse: Int
    var failedAllocations: Int
    var allocations: [Allocation]
  }

  /// Rebuilds a stored heap and its indexes, checking every rule: the id, the
  /// sizes, each counter's range (so that no later operation can trap on it),
  /// allocations inside the heap, apart, with pages that fit their bytes and tags
  /// below `nextTag`, blocks under buddy, then every invariant.
  /// - Throws: the first rule broken, in words.
  /// - Complexity: O(n) when the allocations come in address order (as written), else O(n log n).
  init(restoring stored: Stored) throws(StoredStateError) {
    guard Heap.isValidID(stored.id) else { throw StoredStateError("heap id must be HEAP- and three digits") }
    do {
      try self.init(
        id: stored.id, pageSize: stored.pageSize, pageCount: stored.pageCount, policy: stored.policy)
    } catch {
      throw StoredStateError(error.message)
    }
    func count(_ name: String, _ value: Int, in range: ClosedRange<Int>) throws(StoredStateError) -> Int {
      guard range.contains(value) else {
        throw StoredStateError("\(name) is \(value), expected \(range.lowerBound) to \(range.upperBound)")
      }
      return value
    }
    nextTag = try count("nextTag", stored.nextTag, in: 1...Heap.maximumCount)
    nextFitCursor = try count("nextFitCursor", stored.nextFitCursor, in: 0...pageCount)
    failedAllocations = try count("failedAllocations", stored.failedAllocations, in: 0...Heap.maximumCount)
    let peak = try count("peakPagesInUse", stored.peakPagesInUse, in: 0...pageCount)
    var inAddressOrder = stored.allocations
    if !zip(inAddressOrder, inAddressOrder.dropFirst()).allSatisfy({ $0.firstPage <= $1.firstPage }) {
      inAddressOrder.sort { $0.firstPage < $1.firstPage }
    }
    var freeRuns: [(key: Int, value: Int)] = []
    freeRuns.reserveCapacity(inAddressOrder.count + 1)
    allocations = AllocationTable(minimumCapacity: inAddressOrder.count)
    var end = 0
    for allocation in inAddressOrder {
      guard allocation.firstPage >= end, allocation.pageCount > 0,
        allocation.pageCount <= pageCount - allocation.firstPage,
        allocation.tag > 0, allocation.tag < nextTag, allocations[tag: allocation.tag] == nil
      else {
        throw StoredStateError("allocation with tag \(allocation.tag) overlaps or lies outside the heap")
      }
      guard pagesFit(allocation) else {
        throw StoredStateError(
          "allocation with tag \(allocation.tag) has \(allocation.pageCount) pages for its bytes")
      }
      if allocation.firstPage > end { freeRuns.append((key: end, value: allocation.firstPage - end)) }
      end = allocation.endPage
      allocations.insert(allocation)
      glyphs.retain(allocation.glyphIndex)
      pagesInUse += allocation.pageCount
      bytesInUse += allocation.bytes
    }
    if end < pageCount { freeRuns.append((key: end, value: pageCount - end)) }
    // The free runs are in strictly increasing order: the tree is built in O(n).
    freeRunsByStart = SearchTree(sorted: freeRuns)
    peakPagesInUse = max(pagesInUse, peak)
    if policy.row.index.takesBlocks, !allocationsAreBlocks {
      throw StoredStateError("under \(policy.title), every allocation must be an aligned block")
    }
    rebuildPolicyIndexes()
    do {
      try checkInvariants()
    } catch {
      throw StoredStateError(error.description)
    }
  }
}

extension Heap {
  /// Puts the free runs back in the order the policy remembers (`PolicyIndex.insertionOrder`).
  /// - Throws: when the policy keeps no order or `order` is not an order of the free runs.
  mutating func restore(freeOrder order: [Int]) throws(StoredStateError) {
    guard index.restore(order: order, in: self) else {
      throw StoredStateError("freeOrder is not an order of the free runs under \(policy.title)")
    }
  }
}
