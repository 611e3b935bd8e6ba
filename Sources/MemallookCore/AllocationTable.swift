/// The live allocations, found by tag or by first page in O(1).
///
/// No ordered index is kept: address order comes from walking the heap's
/// tiling (`Heap.AddressWalk`), so ALLOC and DEALLOC pay two hash updates here
/// instead of a tree descent.
struct AllocationTable: Sendable {
  private var byTag = IntMap<Allocation>()
  private var tagByFirstPage = IntMap<Int>()

  init() {}

  /// A table with room for `capacity` allocations.
  init(minimumCapacity capacity: Int) {
    byTag = IntMap(minimumCapacity: capacity)
    tagByFirstPage = IntMap(minimumCapacity: capacity)
  }

  /// Number of live allocations.
  var count: Int { byTag.count }

  /// The allocation with `tag`. - Complexity: O(1) expected.
  subscript(tag tag: Int) -> Allocation? { byTag[tag] }

  /// The allocation whose first page is `page`. - Complexity: O(1) expected.
  func starting(at page: Int) -> Allocation? { tagByFirstPage[page].flatMap { byTag[$0] } }

  /// The allocations, in no particular order.
  var all: some Sequence<Allocation> { byTag.allValues }

  /// Adds `allocation`, whose tag and first page must both be free.
  mutating func insert(_ allocation: Allocation) {
    precondition(byTag[allocation.tag] == nil && tagByFirstPage[allocation.firstPage] == nil)
    byTag[allocation.tag] = allocation
    tagByFirstPage[allocation.firstPage] = allocation.tag
  }

  /// Removes the allocation with `tag` and returns it, or nil when there is none.
  @discardableResult
  mutating func remove(tag: Int) -> Allocation? {
    guard let allocation = byTag.removeValue(forKey: tag) else { return nil }
    tagByFirstPage.removeValue(forKey: allocation.firstPage)
    return allocation
  }

  /// Replaces the allocation with `allocation.tag` by `allocation` (moved or resized).
  mutating func update(_ allocation: Allocation) {
    guard let old = byTag[allocation.tag] else { preconditionFailure("no allocation \(allocation.tag)") }
    if old.firstPage != allocation.firstPage {
      tagByFirstPage.removeValue(forKey: old.firstPage)
      precondition(tagByFirstPage[allocation.firstPage] == nil)
      tagByFirstPage[allocation.firstPage] = allocation.tag
    }
    byTag[allocation.tag] = allocation
  }

  /// Every broken rule of the two maps and of their agreement, as text.
  func structuralViolations() -> [String] {
    var problems = byTag.structuralViolations() + tagByFirstPage.structuralViolations()
    if byTag.count != tagByFirstPage.count {
      problems.append("\(byTag.count) allocations but \(tagByFirstPage.count) first pages")
    }
    for allocation in byTag.allValues where tagByFirstPage[allocation.firstPage] != allocation.tag {
      problems.append("tag \(allocation.tag) is not indexed at its first page \(allocation.firstPage)")
    }
    return problems
  }
}
