/// The live allocations, found by tag or by first page in O(1).
///
/// The allocations themselves live in the tag table (`TagTable`): DEALLOC finds one with
/// one indexed load. A hash map of 24-byte slots gives the extent (tag and length) that
/// starts at a page. No ordered index of every allocation is kept: address order comes
/// from walking the heap's tiling (`Heap.AddressWalk`), one lookup by first page a step
/// (the next step's page follows from the extent alone, so the tag table's load for the
/// whole allocation is off the walk's chain of loads), so ALLOC and DEALLOC pay a hash
/// update and a slot of the tag table here instead of a tree descent. Only
/// the allocations whose tag is a multiple of `anchorSpacing` are kept in order
/// (the anchors), so that a walk can start near any page: about one ALLOC or
/// DEALLOC in 64 pays a tree update for it.
///
/// A table that nothing walks (a headless replay's, a player's scout's) keeps no map by
/// first page (`mapsFirstPages` false): ALLOC and DEALLOC then touch the tag table alone,
/// half the cache misses of a pair; a walk of it builds a map of its own, O(n).
struct AllocationTable: Sendable {
  private var byTag = TagTable()
  /// First page → tag and length of every live allocation; empty when `mapsFirstPages` is false.
  private var extentByFirstPage = IntMap<Extent>()
  /// Whether `extentByFirstPage` is kept.
  private(set) var mapsFirstPages = true

  /// Where an allocation lies, as the walk of the tiling needs it: its tag and length.
  struct Extent: IntMapValue {
    var tag: Int
    var pageCount: Int
    static var placeholder: Extent { Extent(tag: 0, pageCount: 0) }
  }
  /// First page → tag of the anchors.
  private var anchors = SearchTree<Int>()

  /// One tag in `anchorSpacing` is an anchor.
  static let anchorSpacing = 64

  private static func isAnchor(_ tag: Int) -> Bool { tag % anchorSpacing == 0 }

  init() {}

  /// A table with room for `capacity` allocations, its map by first page sized for them
  /// (`IntMap`'s planned load, 3/8, keeps probes short). The tag table is indexed by tag,
  /// where more room would only cost memory (twice as much at 10^5 allocations: 21 MB).
  init(minimumCapacity capacity: Int, mapsFirstPages: Bool = true) {
    byTag = TagTable(minimumCapacity: capacity)
    self.mapsFirstPages = mapsFirstPages
    if mapsFirstPages { extentByFirstPage = IntMap(minimumCapacity: capacity) }
  }

  /// Removes every allocation and makes room for `capacity`, the map by first page kept,
  /// as `init(minimumCapacity:)` does, in the tables' own memory where it suits
  /// (`TagTable.removeAll`). - Complexity: O(slots).
  mutating func removeAll(keepingRoomFor capacity: Int) {
    byTag.removeAll(keepingRoomFor: capacity)
    if mapsFirstPages {
      extentByFirstPage.removeAll(keepingRoomFor: capacity)
    } else {
      extentByFirstPage = IntMap(minimumCapacity: capacity)
    }
    mapsFirstPages = true
    anchors = SearchTree()
  }

  /// Where the tag table's and the map's slots are in memory (tests: whether they were
  /// filled again in place).
  var slotsAddresses: [UInt] { [byTag.slotsAddress, extentByFirstPage.slotsAddress] }

  /// Keeps room for `capacity` allocations until it is called with 0 (`IntMap.reserveCapacity`).
  mutating func reserveCapacity(_ capacity: Int) {
    byTag.reserveCapacity(capacity)
    if mapsFirstPages { extentByFirstPage.reserveCapacity(capacity) }
  }

  /// Starts keeping the map by first page (built now, O(n)), or stops and lets it go.
  mutating func setMapsFirstPages(_ maps: Bool) {
    guard maps != mapsFirstPages else { return }
    extentByFirstPage = maps ? Self.extents(of: byTag) : IntMap()
    mapsFirstPages = maps
  }

  /// First page → extent of every live allocation: the table's own map, or, when it keeps
  /// none, one built now. - Complexity: O(1); O(n) without the map.
  var extentsByFirstPage: IntMap<Extent> { mapsFirstPages ? extentByFirstPage : Self.extents(of: byTag) }

  private static func extents(of byTag: TagTable) -> IntMap<Extent> {
    var map = IntMap<Extent>(minimumCapacity: byTag.count)
    for allocation in byTag.all { map.updateValue(Extent(allocation), forKey: allocation.firstPage) }
    return map
  }

  /// Number of live allocations.
  var count: Int { byTag.count }

  /// The allocation with `tag`. - Complexity: O(1), one load unless the tag overflowed.
  subscript(tag tag: Int) -> Allocation? { byTag[tag] }

  /// The allocation whose first page is `page`. - Complexity: O(1) expected; O(n) without the map.
  func starting(at page: Int) -> Allocation? {
    guard mapsFirstPages else { return byTag.all.first { $0.firstPage == page } }
    return extentByFirstPage[page].flatMap { byTag[$0.tag] }
  }

  /// The first page of the last anchor at or before `page`. - Complexity: O(log(n / 64)).
  func anchor(atOrBefore page: Int) -> Int? { anchors.floor(page)?.key }

  /// The live tags, in no particular order.
  var tags: [Int] { byTag.tags }

  /// Hints that the allocation with `tag` is looked up soon (`TagTable.prefetch`).
  @inline(__always)
  func prefetch(tag: Int) { byTag.prefetch(tag: tag) }

  /// The allocations, in no particular order.
  var all: [Allocation] { byTag.all }

  /// Calls `body` with every live allocation, in no order (`TagTable.forEach`). - Complexity: O(slots).
  func forEach(_ body: (Allocation) -> Void) { byTag.forEach(body) }

  /// Adds `allocation`, whose tag and first page must both be free.
  mutating func insert(_ allocation: Allocation) {
    if mapsFirstPages {
      let pageTaken = extentByFirstPage.updateValue(Extent(allocation), forKey: allocation.firstPage) != nil
      precondition(!pageTaken, "allocation \(allocation.tag) added twice")
    }
    byTag.insert(allocation)
    if Self.isAnchor(allocation.tag) { anchors.insert(allocation.firstPage, value: allocation.tag) }
  }

  /// Removes the allocation with `tag` and returns it, or nil when there is none.
  @discardableResult
  mutating func remove(tag: Int) -> Allocation? {
    guard let allocation = byTag.remove(tag) else { return nil }
    if Self.isAnchor(tag) { anchors.remove(allocation.firstPage) }
    if mapsFirstPages { extentByFirstPage.removeValue(forKey: allocation.firstPage) }
    return allocation
  }

  /// Replaces the allocation with `allocation.tag` by `allocation` (moved or resized).
  mutating func update(_ allocation: Allocation) {
    guard let page = byTag[allocation.tag]?.firstPage else {
      preconditionFailure("no allocation \(allocation.tag)")
    }
    if page != allocation.firstPage {
      if Self.isAnchor(allocation.tag) {
        anchors.remove(page)
        anchors.insert(allocation.firstPage, value: allocation.tag)
      }
      if mapsFirstPages {
        extentByFirstPage.removeValue(forKey: page)
        let replaced = extentByFirstPage.updateValue(Extent(allocation), forKey: allocation.firstPage)
        precondition(replaced == nil, "allocation \(allocation.tag) moved onto another")
      }
    } else if mapsFirstPages {
      extentByFirstPage[page] = Extent(allocation)
    }
    byTag.update(allocation)
  }

  /// Every broken rule of the two maps and of their agreement, as text.
  /// - Complexity: O(slots) sequential, and one lookup by tag per allocation.
  func structuralViolations() -> [String] {
    var problems =
      extentByFirstPage.structuralViolations() + byTag.structuralViolations() + anchors.structuralViolations()
    var anchored = 0
    if !mapsFirstPages, !extentByFirstPage.isEmpty { problems.append("a map by first page kept when off") }
    let extents = extentsByFirstPage
    if extents.count != byTag.count {
      problems.append("\(extents.count) first pages but \(byTag.count) tags")
    }
    for (page, extent) in extents.entries {
      guard let allocation = byTag[extent.tag] else {
        problems.append("page \(page) leads to tag \(extent.tag), which is not live")
        continue
      }
      if allocation.firstPage != page { problems.append("tag \(allocation.tag) is filed at page \(page)") }
      if allocation.pageCount != extent.pageCount {
        problems.append(
          "tag \(allocation.tag) has \(allocation.pageCount) pages, filed with \(extent.pageCount)")
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

extension AllocationTable.Extent {
  init(_ allocation: Allocation) { self.init(tag: allocation.tag, pageCount: allocation.pageCount) }
}
