/// The live allocations, found by first page or by tag in O(1).
///
/// No ordered index is kept: address order comes from walking the heap's
/// tiling (`Heap.AddressWalk`), one lookup by first page a step, so ALLOC and
/// DEALLOC pay two hash updates here instead of a tree descent.
struct AllocationTable: Sendable {
  private var byFirstPage = IntMap<Allocation>()
  private var firstPageByTag = IntMap<Int>()

  init() {}

  /// A table with room for `capacity` allocations.
  init(minimumCapacity capacity: Int) {
    byFirstPage = IntMap(minimumCapacity: capacity)
    firstPageByTag = IntMap(minimumCapacity: capacity)
  }

  /// Number of live allocations.
  var count: Int { byFirstPage.count }

  /// The allocation with `tag`. - Complexity: O(1) expected.
  subscript(tag tag: Int) -> Allocation? { firstPageByTag[tag].flatMap { byFirstPage[$0] } }

  /// The allocation whose first page is `page`. - Complexity: O(1) expected.
  func starting(at page: Int) -> Allocation? { byFirstPage[page] }

  /// The allocations, in no particular order.
  var all: some Sequence<Allocation> { byFirstPage.allValues }

  /// Adds `allocation`, whose tag and first page must both be free.
  mutating func insert(_ allocation: Allocation) {
    let pageTaken = byFirstPage.updateValue(allocation, forKey: allocation.firstPage) != nil
    let tagTaken = firstPageByTag.updateValue(allocation.firstPage, forKey: allocation.tag) != nil
    precondition(!pageTaken && !tagTaken, "allocation \(allocation.tag) added twice")
  }

  /// Removes the allocation with `tag` and returns it, or nil when there is none.
  @discardableResult
  mutating func remove(tag: Int) -> Allocation? {
    guard let page = firstPageByTag.removeValue(forKey: tag) else { return nil }
    return byFirstPage.removeValue(forKey: page)
  }

  /// Replaces the allocation with `allocation.tag` by `allocation` (moved or resized).
  mutating func update(_ allocation: Allocation) {
    guard let page = firstPageByTag[allocation.tag] else {
      preconditionFailure("no allocation \(allocation.tag)")
    }
    if page != allocation.firstPage {
      byFirstPage.removeValue(forKey: page)
      firstPageByTag[allocation.tag] = allocation.firstPage
      let replaced = byFirstPage.updateValue(allocation, forKey: allocation.firstPage)
      precondition(replaced == nil, "allocation \(allocation.tag) moved onto another")
    } else {
      byFirstPage[allocation.firstPage] = allocation
    }
  }

  /// Every broken rule of the two maps and of their agreement, as text.
  /// - Complexity: O(slots) sequential, and one lookup by tag per allocation.
  func structuralViolations() -> [String] {
    var problems = byFirstPage.structuralViolations() + firstPageByTag.structuralViolations()
    if byFirstPage.count != firstPageByTag.count {
      problems.append("\(byFirstPage.count) allocations but \(firstPageByTag.count) tags")
    }
    for (page, allocation) in byFirstPage.entries {
      if allocation.firstPage != page { problems.append("tag \(allocation.tag) is filed at page \(page)") }
      if firstPageByTag[allocation.tag] != page {
        problems.append("tag \(allocation.tag) does not lead to its first page \(page)")
      }
    }
    return problems
  }
}
