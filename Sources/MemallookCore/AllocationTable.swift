/// The live allocations, found by first page or by tag in O(1).
///
/// No ordered index of every allocation is kept: address order comes from walking
/// the heap's tiling (`Heap.AddressWalk`), one lookup by first page a step, so
/// ALLOC and DEALLOC pay a hash update and a slot of the tag table (`TagTable`) here
/// instead of a tree descent. Only
/// the allocations whose tag is a multiple of `anchorSpacing` are kept in order
/// (the anchors), so that a walk can start near any page: about one ALLOC or
/// DEALLOC in 64 pays a tree update for it.
struct AllocationTable: Sendable {
  private var byFirstPage = IntMap<Allocation>()
  private var firstPageByTag = TagTable()
  /// First page → tag of the anchors.
  private var anchors = SearchTree<Int>()

  /// One tag in `anchorSpacing` is an anchor.
  static let anchorSpacing = 64

  private static func isAnchor(_ tag: Int) -> Bool { tag % anchorSpacing == 0 }

  init() {}

  /// A table with room for `capacity` allocations.
  init(minimumCapacity capacity: Int) {
    byFirstPage = IntMap(minimumCapacity: capacity)
    firstPageByTag = TagTable(minimumCapacity: capacity)
  }

  /// Keeps room for `capacity` allocations until it is called with 0 (`IntMap.reserveCapacity`).
  mutating func reserveCapacity(_ capacity: Int) {
    byFirstPage.reserveCapacity(capacity)
    firstPageByTag.reserveCapacity(capacity)
  }

  /// Number of live allocations.
  var count: Int { byFirstPage.count }

  /// The allocation with `tag`. - Complexity: O(1) expected.
  subscript(tag tag: Int) -> Allocation? { firstPageByTag[tag].flatMap { byFirstPage[$0] } }

  /// The allocation whose first page is `page`. - Complexity: O(1) expected.
  func starting(at page: Int) -> Allocation? { byFirstPage[page] }

  /// The first page of the last anchor at or before `page`. - Complexity: O(log(n / 64)).
  func anchor(atOrBefore page: Int) -> Int? { anchors.floor(page)?.key }

  /// The live tags, in no particular order.
  var tags: [Int] { firstPageByTag.tags }

  /// The allocations, in no particular order.
  var all: [Allocation] { byFirstPage.allValues }

  /// Adds `allocation`, whose tag and first page must both be free.
  mutating func insert(_ allocation: Allocation) {
    let pageTaken = byFirstPage.updateValue(allocation, forKey: allocation.firstPage) != nil
    precondition(!pageTaken, "allocation \(allocation.tag) added twice")
    firstPageByTag.insert(allocation.tag, firstPage: allocation.firstPage)
    if Self.isAnchor(allocation.tag) { anchors.insert(allocation.firstPage, value: allocation.tag) }
  }

  /// Removes the allocation with `tag` and returns it, or nil when there is none.
  @discardableResult
  mutating func remove(tag: Int) -> Allocation? {
    guard let page = firstPageByTag.remove(tag) else { return nil }
    if Self.isAnchor(tag) { anchors.remove(page) }
    return byFirstPage.removeValue(forKey: page)
  }

  /// Replaces the allocation with `allocation.tag` by `allocation` (moved or resized).
  mutating func update(_ allocation: Allocation) {
    guard let page = firstPageByTag[allocation.tag] else {
      preconditionFailure("no allocation \(allocation.tag)")
    }
    if page != allocation.firstPage {
      if Self.isAnchor(allocation.tag) {
        anchors.remove(page)
        anchors.insert(allocation.firstPage, value: allocation.tag)
      }
      byFirstPage.removeValue(forKey: page)
      firstPageByTag.update(allocation.tag, firstPage: allocation.firstPage)
      let replaced = byFirstPage.updateValue(allocation, forKey: allocation.firstPage)
      precondition(replaced == nil, "allocation \(allocation.tag) moved onto another")
    } else {
      byFirstPage[allocation.firstPage] = allocation
    }
  }

  /// Every broken rule of the two maps and of their agreement, as text.
  /// - Complexity: O(slots) sequential, and one lookup by tag per allocation.
  func structuralViolations() -> [String] {
    var problems =
      byFirstPage.structuralViolations() + firstPageByTag.structuralViolations()
      + anchors.structuralViolations()
    var anchored = 0
    if byFirstPage.count != firstPageByTag.count {
      problems.append("\(byFirstPage.count) allocations but \(firstPageByTag.count) tags")
    }
    for (page, allocation) in byFirstPage.entries {
      if allocation.firstPage != page { problems.append("tag \(allocation.tag) is filed at page \(page)") }
      if firstPageByTag[allocation.tag] != page {
        problems.append("tag \(allocation.tag) does not lead to its first page \(page)")
      }
      if Self.isAnchor(allocation.tag) {
        anchored += 1
        if anchors.value(for: page) != allocation.tag { problems.append("anchor \(allocation.tag) missing") }
      }
    }
    if anchors.count != anchored { problems.append("\(anchors.count) anchors for \(anchored) allocations") }
    return problems
  }
}
