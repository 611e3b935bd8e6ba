extension Heap {
  /// The live allocations in address order, from the one holding or following
  /// a page: a walk of the heap's tiling.
  ///
  /// Allocations and free runs tile `0..<pageCount`, so the region after a free
  /// run starts an allocation or another free run: the walk follows the free
  /// runs in order and finds each allocation's extent (tag and length) by its first
  /// page (a hash lookup), reading the allocation by tag only when it returns it.
  /// It starts at the free run or the anchor (`AllocationTable`) nearest before
  /// the page, or page 0, and passes the allocations that end before it. On a heap whose tiling is broken (never, while
  /// `checkInvariants()` holds) it stops where it breaks.
  struct AddressWalk: IteratorProtocol, Sequence {
    private let heap: Heap
    /// The heap's map by first page, or one built for this walk when it keeps none.
    private let extents: IntMap<AllocationTable.Extent>
    private let from: Int
    private var page: Int
    private var runs: SearchTree<Int>.Iterator
    private var nextRun: (key: Int, value: Int)?

    /// - Complexity: O(log r + log n) to start, then O(1) a step; the allocations
    ///   between the nearest free run or anchor before `from` and `from` (about 64
    ///   on average, one tag in 64 being an anchor) are walked past. O(n) more to start on
    ///   a heap that keeps no map by first page (`Heap.mapsFirstPages`).
    init(_ heap: Heap, from: Int) {
      self.heap = heap
      extents = heap.allocations.extentsByFirstPage
      self.from = from
      page = Swift.max(
        heap.freeRunsByStart.floor(from)?.key ?? 0, heap.allocations.anchor(atOrBefore: from) ?? 0)
      runs = heap.freeRunsByStart.entries(from: page)
      nextRun = runs.next()
    }

    mutating func next() -> Allocation? {
      while page < heap.pageCount {
        if let run = nextRun, run.key == page {
          page += run.value
          nextRun = runs.next()
          continue
        }
        // The next page comes from the extent alone: the whole allocation is read (from the
        // tag table) only when returned, and the next step's lookup need not wait for it.
        guard let extent = extents[page], extent.pageCount > 0 else {
          page = heap.pageCount  // starts neither a free run nor an allocation: checkInvariants says so
          return nil
        }
        page += extent.pageCount
        if page > from {
          guard let allocation = heap.allocations[tag: extent.tag] else {
            page = heap.pageCount
            return nil
          }
          return allocation
        }
      }
      return nil
    }
  }
}
