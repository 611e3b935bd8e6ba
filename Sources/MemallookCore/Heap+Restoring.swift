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
  init(restoring stored: Stored, checked: Bool = true, freeOrder: [Int]? = nil) throws(StoredStateError) {
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
    // Room for half as many again: a table filled to its planned load probes longer
    // (after a restore, the grid's walk took twice as long as on the heap kept).
    allocations = AllocationTable(minimumCapacity: stored.allocations.count * 3 / 2)
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
    if !zip(extents, extents.dropFirst()).allSatisfy({ $0.firstPage <= $1.firstPage }) {
      extents = Self.sortedByFirstPage(extents, below: pageCount)
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

  /// `extents` in order of first page, those with the same first page in the order given
  /// (a stable sort): a radix sort, 11 bits of the first page a pass, as many passes as
  /// pages below `pageCount` need (3 for 2^24 pages). A kept heap lists its allocations
  /// in its tag table's order, so every rebuild sorts them: a comparison sort took about
  /// a quarter of a rebuild of 10^5. First pages must lie in `0 ..< pageCount`.
  /// - Complexity: O(n · passes), and O(n log n) below 256 extents (a comparison sort).
  static func sortedByFirstPage(_ extents: [Extent], below pageCount: Int) -> [Extent] {
    guard extents.count >= 256 else {
      return extents.enumerated().sorted {
        ($0.element.firstPage, $0.offset) < ($1.element.firstPage, $1.offset)
      }
      .map(\.element)
    }
    let (digitBits, keyBits) = (11, Int.bitWidth - max(1, pageCount - 1).leadingZeroBitCount)
    let mask = (1 << digitBits) - 1
    var from = extents
    var to = extents
    var counts = [Int](repeating: 0, count: mask + 1)
    var shift = 0
    while shift < keyBits {
      from.withUnsafeBufferPointer { source in
        to.withUnsafeMutableBufferPointer { target in
          counts.withUnsafeMutableBufferPointer { count in
            count.update(repeating: 0)
            for extent in source { count[(extent.firstPage >> shift) & mask] += 1 }
            var sum = 0
            for digit in 0...mask { (count[digit], sum) = (sum, sum + count[digit]) }
            for extent in source {
              let digit = (extent.firstPage >> shift) & mask
              target[count[digit]] = extent
              count[digit] += 1
            }
          }
        }
      }
      swap(&from, &to)
      shift += digitBits
    }
    return from
  }

  /// A heap kept small, to come back to (`Heap(_:)`): what a state file keeps (the
  /// allocations, the counters, TLSF's order of its free runs), not
  /// the indexes, which are rebuilt. A player's checkpoints are these: 20 bytes an
  /// allocation when its numbers fit 32 bits (`Packed`), else 40, where the heap's hash
  /// tables and trees take about 200.
  public struct Compact: Sendable {
    /// The counters, and the allocations when one of them does not fit `Packed`.
    fileprivate let stored: Stored
    fileprivate let packed: [Packed]
    fileprivate let freeOrder: [Int]?

    /// About the bytes it keeps.
    public var approximateBytes: Int {
      256 + stored.allocations.count * MemoryLayout<Allocation>.stride + packed.count
        * MemoryLayout<Packed>.stride + (freeOrder?.count ?? 0) * 8
    }

    /// An allocation in 20 bytes: its bytes kept as the bytes its pages hold beyond them.
    struct Packed: Sendable {
      let tag: UInt32
      let firstPage: UInt32
      let pageCount: UInt32
      let unusedBytes: UInt32
      let glyphIndex: UInt8

      /// `allocation` packed, or nil when a number does not fit 32 bits.
      init?(_ allocation: Allocation, pageSize: Int) {
        // Neither can overflow: an allocation's pages are at most the heap's, whose bytes
        // (`pageSize * pageCount`) `Heap.init` checked, and its bytes at most its pages'.
        let unusedOfPages = allocation.pageCount * pageSize - allocation.bytes
        guard let tag = UInt32(exactly: allocation.tag),
          let firstPage = UInt32(exactly: allocation.firstPage),
          let pageCount = UInt32(exactly: allocation.pageCount),
          let unused = UInt32(exactly: unusedOfPages)
        else { return nil }
        (self.tag, self.firstPage, self.pageCount, unusedBytes) = (tag, firstPage, pageCount, unused)
        glyphIndex = allocation.glyphIndex
      }

      func allocation(pageSize: Int) -> Allocation {
        Allocation(
          tag: Int(tag), bytes: Int(pageCount) * pageSize - Int(unusedBytes), firstPage: Int(firstPage),
          pageCount: Int(pageCount), glyphIndex: glyphIndex)
      }
    }
  }

  /// This heap, kept small. - Complexity: O(n) for n allocations, in no order (sorted
  /// only if it is rebuilt: a walk in address order took half the time of reading a workload).
  public var compact: Compact {
    var stored = Stored(
      id: id, pageSize: pageSize, pageCount: pageCount, policy: policy, nextTag: nextTag,
      nextFitCursor: nextFitCursor, peakPagesInUse: peakPagesInUse, failedAllocations: failedAllocations,
      allocations: [])
    // Packed straight from the tag table; kept whole when one does not fit.
    var packed: [Compact.Packed] = []
    packed.reserveCapacity(allocations.count)
    var fits = true
    allocations.forEach { allocation in
      guard fits, let small = Compact.Packed(allocation, pageSize: pageSize) else {
        fits = false
        return
      }
      packed.append(small)
    }
    guard fits else {
      stored.allocations = allocations.all
      return Compact(stored: stored, packed: [], freeOrder: index.insertionOrder)
    }
    return Compact(stored: stored, packed: packed, freeOrder: index.insertionOrder)
  }

  /// The heap `compact` was taken of: the same allocations, counters and free structure,
  /// so every later operation does what it would have done there.
  /// - Complexity: O(n log n) for n allocations.
  public init(_ compact: Compact) {
    var stored = compact.stored
    if !compact.packed.isEmpty {
      stored.allocations = compact.packed.map { $0.allocation(pageSize: stored.pageSize) }
    }
    do {
      try self.init(restoring: stored, checked: false, freeOrder: compact.freeOrder)
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
