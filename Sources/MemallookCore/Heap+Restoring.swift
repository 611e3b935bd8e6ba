extension Heap {
  /// A heap as a state file keeps it: sizes, counters and allocations.
  struct Stored: Sendable {
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
  /// - Parameter checked: false for a heap this process kept itself (`Compact`): the
  ///   invariants are then checked in debug builds only.
  /// - Throws: the first rule broken, in words: each allocation's own rules (inside the
  ///   heap, its tag, pages for its bytes) in the order given, then overlaps in address
  ///   order, then a tag given twice.
  /// - Complexity: O(n) when the allocations come in address order (as written), else O(n log n).
  /// - Parameter freeOrder: the order of the free runs the policy remembers, when kept
  ///   (`PolicyIndex.insertionOrder`): the index is built in it, once.
  /// - Parameter table: a table to file the allocations in, emptied first, when its memory
  ///   can be used again (`AllocationTable.removeAll(keepingRoomFor:)`).
  init(
    restoring stored: Stored, checked: Bool = true, freeOrder: [Int]? = nil,
    reusing table: consuming AllocationTable = AllocationTable()
  ) throws(StoredStateError) {
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
    allocations = consume table
    allocations.removeAll(keepingRoomFor: stored.allocations.count)
    // Checked apart first, then apart from each other in address order (the free runs
    // are what they leave), then filed in the order given: a kept heap lists them in its
    // tag table's order, so the new table is written front to back, not at random.
    var extents: [Extent] = []
    extents.reserveCapacity(stored.allocations.count)
    for allocation in stored.allocations {
      guard allocation.firstPage >= 0, allocation.pageCount > 0,
        allocation.pageCount <= pageCount - allocation.firstPage,
        allocation.tag > 0, allocation.tag < nextTag
      else {
        throw StoredStateError("allocation with tag \(allocation.tag) overlaps or lies outside the heap")
      }
      guard pagesFit(allocation) else {
        throw StoredStateError(
          "allocation with tag \(allocation.tag) has \(allocation.pageCount) pages for its bytes")
      }
      extents.append((allocation.firstPage, allocation.endPage, allocation.tag))
    }
    // A radix sort: a comparison sort took about a quarter of a rebuild of 10^5.
    if !zip(extents, extents.dropFirst()).allSatisfy({ $0.firstPage <= $1.firstPage }) {
      radixSort(&extents, below: pageCount) { $0.firstPage }
    }
    var freeRuns: [(key: Int, value: Int)] = []
    freeRuns.reserveCapacity(extents.count + 1)
    var end = 0
    for extent in extents {
      guard extent.firstPage >= end else {
        throw StoredStateError("allocation with tag \(extent.tag) overlaps or lies outside the heap")
      }
      if extent.firstPage > end { freeRuns.append((key: end, value: extent.firstPage - end)) }
      end = extent.endPage
    }
    for allocation in stored.allocations {
      guard allocations[tag: allocation.tag] == nil else {
        throw StoredStateError("allocation with tag \(allocation.tag) overlaps or lies outside the heap")
      }
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
    if let freeOrder { try rebuildPolicyIndexes(inOrder: freeOrder) } else { rebuildPolicyIndexes() }
    guard checked else {
      assert((try? checkInvariants()) != nil, "a kept heap came back broken")
      return
    }
    do {
      try checkInvariants()
    } catch {
      throw StoredStateError(error.description)
    }
  }
}

extension Heap {
  /// An allocation's pages as a rebuild checks them.
  typealias Extent = (firstPage: Int, endPage: Int, tag: Int)

  /// A heap kept small, to come back to (`Heap(_:)`): what a state file keeps (the
  /// allocations, the counters, TLSF's order of its free runs), not the indexes, which are
  /// rebuilt. A player's checkpoints are these. Its numbers are written in LEB128
  /// (`LEB128Writer`): an allocation as its tag less the one before it, its first page, its
  /// pages, the bytes its pages hold beyond its request and its glyph, about 8 bytes (it
  /// takes 40 in memory, and the heap's hash tables and trees about 200); a free run of
  /// the order kept as its start less the one before.
  public struct Compact: Sendable {
    /// The counters; no allocations.
    fileprivate let stored: Stored
    fileprivate let allocationCount: Int
    fileprivate let allocations: [UInt8]
    /// The free runs' order, when the policy keeps one.
    fileprivate let freeOrderCount: Int?
    fileprivate let freeOrder: [UInt8]

    /// About the bytes it keeps.
    public var approximateBytes: Int { 256 + allocations.count + freeOrder.count }

    fileprivate init(_ heap: Heap) {
      stored = Stored(
        id: heap.id, pageSize: heap.pageSize, pageCount: heap.pageCount, policy: heap.policy,
        nextTag: heap.nextTag, nextFitCursor: heap.nextFitCursor, peakPagesInUse: heap.peakPagesInUse,
        failedAllocations: heap.failedAllocations, allocations: [])
      allocationCount = heap.liveAllocationCount
      var writer = LEB128Writer(reservingCapacity: 10 * allocationCount)
      var previousTag = 0
      // Straight from the tag table, whose order is mostly the tags': small differences.
      heap.allocations.forEach { allocation in
        writer.append(signed: allocation.tag - previousTag)
        previousTag = allocation.tag
        writer.append(allocation.firstPage)
        writer.append(allocation.pageCount)
        // It cannot overflow: an allocation's pages are at most the heap's, whose bytes
        // (`pageSize * pageCount`) `Heap.init` checked, and its bytes at most its pages'.
        writer.append(allocation.pageCount * heap.pageSize - allocation.bytes)
        writer.append(Int(allocation.glyphIndex))
      }
      allocations = writer.bytes
      let order = heap.index.insertionOrder
      freeOrderCount = order?.count
      var orderWriter = LEB128Writer(reservingCapacity: 5 * (order?.count ?? 0))
      var previousStart = 0
      for start in order ?? [] {
        orderWriter.append(signed: start - previousStart)
        previousStart = start
      }
      freeOrder = orderWriter.bytes
    }

    /// What the heap was: its counters and allocations, in the order kept.
    fileprivate var unpacked: (stored: Stored, freeOrder: [Int]?) {
      var stored = stored
      var reader = LEB128Reader(allocations)
      stored.allocations.reserveCapacity(allocationCount)
      var tag = 0
      for _ in 0..<allocationCount {
        tag += reader.nextSigned()
        let firstPage = reader.nextInt()
        let pageCount = reader.nextInt()
        let bytes = pageCount * stored.pageSize - reader.nextInt()
        stored.allocations.append(
          Allocation(
            tag: tag, bytes: bytes, firstPage: firstPage, pageCount: pageCount,
            glyphIndex: UInt8(truncatingIfNeeded: reader.nextInt())))
      }
      guard let freeOrderCount else { return (stored, nil) }
      var orderReader = LEB128Reader(freeOrder)
      var order: [Int] = []
      order.reserveCapacity(freeOrderCount)
      var start = 0
      for _ in 0..<freeOrderCount {
        start += orderReader.nextSigned()
        order.append(start)
      }
      return (stored, order)
    }
  }

  /// This heap, kept small. - Complexity: O(n) for n allocations, in no order (sorted
  /// only if it is rebuilt: a walk in address order took half the time of reading a workload).
  public var compact: Compact { Compact(self) }

  /// The heap `compact` was taken of: the same allocations, counters and free structure,
  /// so every later operation does what it would have done there.
  /// - Complexity: O(n log n) for n allocations.
  public init(_ compact: Compact) { self.init(compact, reusing: AllocationTable()) }

  /// `init(_:)`, filing the allocations in `table`, emptied first, when its memory suits
  /// (`init(restoring:)`): a player's lane restored over itself writes tables already
  /// mapped, where new ones were faulted in page by page (about a third of a rebuild).
  init(_ compact: Compact, reusing table: consuming AllocationTable) {
    let (stored, freeOrder) = compact.unpacked
    do {
      try self.init(restoring: stored, checked: false, freeOrder: freeOrder, reusing: consume table)
    } catch {
      preconditionFailure("a kept heap cannot be rebuilt: \(error)")
    }
  }
}

extension Heap {
  /// Puts the free runs back in the order the policy remembers (`PolicyIndex.insertionOrder`).
  /// - Throws: when the policy keeps no order or `order` is not an order of the free runs.
  mutating func restore(freeOrder order: [Int]) throws(StoredStateError) {
    try rebuildPolicyIndexes(inOrder: order)
  }
}
