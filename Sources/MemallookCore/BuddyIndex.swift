/// The free blocks of a binary buddy allocator over pages `0..<pageCount`.
///
/// The pages are cut from page 0 into maximal aligned power-of-two *arenas*
/// (100 pages: 64 at 0, 32 at 64, 4 at 96), which never merge with each other.
/// A free block of order `o` covers `2^o` pages at an address that is a
/// multiple of `2^o`. Taking a block splits a larger one in halves, keeping the
/// lower half each time; giving one back merges it with its buddy while the
/// buddy is free and of the same order. For a given set of taken blocks the
/// free blocks are always the same (merged as far as they go), so undoing and
/// redoing through this index gives back identical states.
struct BuddyIndex: PolicyIndex {
  static var followsRuns: Bool { false }
  /// Free block starts, by order.
  private(set) var free: [SearchTree<Int>]
  let pageCount: Int

  /// Orders go up to 62: no arena of a heap of at most `Int.max` pages is larger.
  static let orders = 63

  /// The free blocks of `heap`, whose allocations must all be blocks (the policy
  /// becomes buddy only on an empty heap, or when UNDO goes back): then the free blocks,
  /// merged as far as they go, are the free runs cut from their front into the largest
  /// aligned blocks that fit (none leaves its arena: an arena is aligned to its size, and
  /// a block larger than its arena would end past the heap).
  /// - Complexity: O(r · orders) for r free runs.
  init(for heap: Heap) {
    pageCount = heap.pageCount
    var starts = [[Int]](repeating: [], count: Self.orders)
    for run in heap.freeRunsByStart {
      var start = run.key
      let end = run.key + run.value
      while start < end {
        var order = min(start.trailingZeroBitCount, Self.orders - 1)
        while 1 << order > end - start { order -= 1 }
        starts[order].append(start)
        start += 1 << order
      }
    }
    free = starts.map { SearchTree(sorted: $0.lazy.map { (key: $0, value: 0) }) }
  }

  static let movesAllocations = false
  static let takesBlocks = true

  static func pagesHeld(for pages: Int) -> Int { order(forPages: pages).map { 1 << $0 } ?? pages }

  func spot(forPages pages: Int, in heap: Heap) -> (start: Int, pages: Int)? {
    guard let order = Self.order(forPages: pages), let start = choose(order: order) else { return nil }
    return (start, 1 << order)
  }

  mutating func pagesTaken(start: Int, length: Int) -> Bool {
    guard let order = Self.order(forPages: length), 1 << order == length else { return false }
    return take(start: start, order: order)
  }

  mutating func pagesGiven(start: Int, length: Int) {
    if let order = Self.order(forPages: length) { give(start: start, order: order) }
  }

  func violations(in heap: Heap) -> [String] {
    var problems = violations()
    var freePages = 0
    for block in blocks {
      freePages += 1 << block.order
      guard let run = heap.freeRunsByStart.floor(block.start),
        run.key + run.value >= block.start + (1 << block.order)
      else {
        problems.append("free block \(block.start) of order \(block.order) holds pages in use")
        continue
      }
    }
    if freePages != heap.pagesFree {
      problems.append("free blocks hold \(freePages) pages, \(heap.pagesFree) free")
    }
    return problems
  }

  /// One group per order with free blocks, smallest first (the search goes up from the request's order).
  func structure(in heap: Heap, limit: Int) -> FreeStructure {
    let groups = free.indices.filter { !free[$0].isEmpty }.map { order in
      FreeStructure.Group.group(
        "\(1 << order)",
        free[order].lazy.map { FreeStructure.Entry(start: $0.key, length: 1 << order) },
        count: free[order].count,
        limit: limit)
    }
    return FreeStructure(title: "free blocks by size", groups: groups, notes: [])
  }

  /// The order of the block `pages` pages need: `ceil(log2(pages))`, nil past the largest order.
  static func order(forPages pages: Int) -> Int? {
    guard pages > 0, pages <= 1 << (orders - 1) else { return nil }
    return pages == 1 ? 0 : Int.bitWidth - (pages - 1).leadingZeroBitCount
  }

  /// The order of the arena holding `page`.
  func arenaOrder(at page: Int) -> Int {
    var start = 0
    for order in stride(from: Int.bitWidth - 2, through: 0, by: -1) where pageCount & (1 << order) != 0 {
      if page < start + (1 << order) { return order }
      start += 1 << order
    }
    return 0
  }

  /// The block a request of `order` gets: the smallest free block large enough,
  /// lowest address on ties. Does not take it.
  /// - Complexity: O(orders + log b).
  func choose(order: Int) -> Int? {
    for size in order..<Self.orders where !free[size].isEmpty {
      return free[size].ceiling(Int.min)?.key
    }
    return nil
  }

  /// Takes the block of `order` at `start` out of the free block that holds it,
  /// splitting that one in halves down to `order`; false (nothing changed) when
  /// no free block holds it.
  /// - Complexity: O(orders · log b).
  mutating func take(start: Int, order: Int) -> Bool {
    var size = order
    while size < Self.orders, size <= arenaOrder(at: start) {
      let block = start & ~((1 << size) - 1)
      if free[size].value(for: block) != nil {
        free[size].remove(block)
        while size > order {  // keep the half holding `start`, free the other
          size -= 1
          let lower = start & ~((1 << (size + 1)) - 1)
          let half = start & (1 << size) == 0 ? lower + (1 << size) : lower
          free[size].insert(half, value: 0)
        }
        return true
      }
      size += 1
    }
    return false
  }

  /// Gives back the block of `order` at `start`, merging it with its buddy while
  /// the buddy is free, of the same order and in the same arena.
  /// - Complexity: O(orders · log b).
  mutating func give(start: Int, order: Int) {
    var start = start
    var order = order
    let arena = arenaOrder(at: start)
    while order < arena, free[order].remove(start ^ (1 << order)) != nil {
      start &= ~(1 << order)
      order += 1
    }
    free[order].insert(start, value: 0)
  }

  /// The free blocks in address order, as (start, order).
  var blocks: [(start: Int, order: Int)] {
    free.indices.flatMap { order in free[order].map { (start: $0.key, order: order) } }.sorted {
      $0.start < $1.start
    }
  }

  /// Broken rules: a misaligned block, one past its arena, or two free buddies left unmerged.
  func violations() -> [String] {
    var problems: [String] = []
    for (start, order) in blocks {
      if start & ((1 << order) - 1) != 0 { problems.append("block \(start) of order \(order) is misaligned") }
      if order > arenaOrder(at: start) {
        problems.append("block \(start) of order \(order) leaves its arena")
      }
      if order < arenaOrder(at: start), free[order].value(for: start ^ (1 << order)) != nil {
        problems.append("blocks \(start) and \(start ^ (1 << order)) of order \(order) are free buddies")
      }
    }
    return problems
  }
}
