extension Heap {
  /// The live allocations in address order, from the one holding or following
  /// a page: a walk of the heap's tiling.
  ///
  /// Allocations and free runs tile `0..<pageCount`, so the region after a free
  /// run starts an allocation or another free run: the walk follows the free
  /// runs in order and finds each allocation by its first page (a hash lookup).
  /// It starts at the free run at or before the page (or page 0) and passes the
  /// allocations that end before it.
  struct AddressWalk: IteratorProtocol, Sequence {
    private let heap: Heap
    private let from: Int
    private var page: Int
    private var runs: SearchTree<Int>.Iterator
    private var nextRun: (key: Int, value: Int)?

    /// - Complexity: O(log r), then O(1) a step; the allocations between the
    ///   last free run before `from` and `from` are walked past.
    init(_ heap: Heap, from: Int) {
      self.heap = heap
      self.from = from
      page = heap.freeRunsByStart.floor(from)?.key ?? 0
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
        guard let allocation = heap.allocations.starting(at: page) else {
          preconditionFailure("\(heap.id): page \(page) starts neither a free run nor an allocation")
        }
        page = allocation.endPage
        if page > from { return allocation }
      }
      return nil
    }
  }
}
