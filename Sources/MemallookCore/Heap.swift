/// A simulated heap of `pageCount` pages of `pageSize` bytes.
///
/// Memory grows with the number of live allocations and free runs, never with
/// `pageCount`: the pages themselves are not stored. Three indexes describe them:
/// allocations by tag, allocations by first page, and the free runs (maximal
/// runs of free pages) by start and by (length, start). `checkInvariants()`
/// states how they agree.
public struct Heap: Sendable {
  /// The heap's name, `HEAP-nnn`.
  public let id: String
  /// Bytes per page.
  public let pageSize: Int
  /// Number of pages.
  public let pageCount: Int
  /// How ALLOC chooses among free runs: `setPolicy(_:)` changes it.
  /// - Complexity: O(r log r) when best fit's size index is built, else O(1).
  public internal(set) var policy: Policy {
    didSet { rebuildPolicyIndexes() }
  }

  /// Changes the placement policy. Any change is allowed but to one that takes blocks
  /// (buddy), which needs an empty heap (live allocations need not be blocks).
  /// - Throws: `.buddyNeedsAnEmptyHeap`; nothing changes.
  public mutating func setPolicy(_ newPolicy: Policy) throws(CommandError) {
    guard newPolicy != policy else { return }
    if newPolicy.row.index.takesBlocks, liveAllocationCount > 0 {
      throw .buddyNeedsAnEmptyHeap(live: liveAllocationCount)
    }
    policy = newPolicy
  }

  /// The live allocations, by tag and by first page.
  var allocations = AllocationTable()
  /// Start of each free run → its length.
  var freeRunsByStart = SearchTree<Int>()
  /// The policy's own structure of the free pages (`PolicyIndex`): best fit's runs by
  /// size, the buddy system's blocks, ...; the policies that answer from `freeRunsByStart`
  /// keep nothing more, so they pay nothing for the others'.
  var index: any PolicyIndex = FirstFitIndex()
  /// `index`'s `followsRuns` and `followsPages`, kept beside it: an index is called only
  /// for what it follows (a call through `any PolicyIndex` costs about 50 instructions).
  private(set) var indexFollowsRuns = FirstFitIndex.followsRuns
  private(set) var indexFollowsPages = FirstFitIndex.followsPages
  /// `index`'s `searchesFirstRun`, kept beside it.
  private(set) var indexSearchesFirstRun = FirstFitIndex.searchesFirstRun
  var glyphs = GlyphTable()

  /// The tag the next successful ALLOC returns.
  public internal(set) var nextTag = 1
  /// Where next fit resumes its search: the page after the last ALLOC.
  var nextFitCursor = 0
  /// Pages owned by live allocations.
  public internal(set) var pagesInUse = 0
  /// Bytes requested by live allocations.
  public internal(set) var bytesInUse = 0
  /// The most pages ever in use at once.
  public internal(set) var peakPagesInUse = 0
  /// ALLOCs refused so far.
  public internal(set) var failedAllocations = 0

  /// Creates an empty heap: one free run covering every page.
  /// - Throws: `.invalidParameter` unless both sizes are positive, `.heapTooLarge`
  ///   when `pageSize * pageCount` overflows.
  /// - Complexity: O(1) in time and memory, whatever `pageCount` is.
  public init(id: String, pageSize: Int, pageCount: Int, policy: Policy = .first) throws(CommandError) {
    guard pageSize > 0 else {
      throw .invalidParameter(name: "p", value: String(pageSize), expected: Expectation.pageSize)
    }
    guard pageCount > 0 else {
      throw .invalidParameter(name: "N", value: String(pageCount), expected: Expectation.pageCount)
    }
    guard !pageSize.multipliedReportingOverflow(by: pageCount).overflow else {
      throw .heapTooLarge(pageSize: pageSize, pageCount: pageCount)
    }
    self.id = id
    self.pageSize = pageSize
    self.pageCount = pageCount
    self.policy = policy
    addFreeRun(start: 0, length: pageCount)
    rebuildPolicyIndexes()
  }

  /// The largest tag and failure count a heap may reach (2^53, exact in JSON).
  /// One ALLOC adds at most one to either, so no count can overflow.
  public static let maximumCount = 1 << 53

  /// Whether `id` names a heap: `HEAP-` and three digits.
  public static func isValidID(_ id: String) -> Bool {
    let bytes = Array(id.utf8)
    return bytes.count == 8 && bytes.starts(with: "HEAP-".utf8)
      && bytes.dropFirst(5).allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
  }

  /// Pages not owned by any allocation.
  public var pagesFree: Int { pageCount - pagesInUse }

  /// Number of live allocations.
  public var liveAllocationCount: Int { allocations.count }

  /// Whether the heap keeps its allocations by first page, for its walks in address order
  /// (SHOW, the grid, DEFRAG): true unless turned off. A heap that nothing looks at (a
  /// headless replay, a player's scout) turns it off: ALLOC and DEALLOC then pay about half
  /// the cache misses, and each walk builds a map for itself, O(n). Turning it on builds
  /// the map, O(n). A heap restored from `Compact` or a state file keeps it.
  public var mapsFirstPages: Bool {
    get { allocations.mapsFirstPages }
    set { allocations.setMapsFirstPages(newValue) }
  }

  /// The live allocation with `tag`, if any. - Complexity: O(1).
  public func allocation(tag: Int) -> Allocation? { allocations[tag: tag] }

  /// The `count` lowest live tags, in order; with `last`, the `count` highest live tags up
  /// to `last`, in order (a list of `count` rows scrolled to show `last`).
  /// - Complexity: O(n log count): one pass keeping the best `count` in a heap, whatever
  ///   order the tags come in (the tag table gives them mostly ascending), then a sort of those.
  public func tagsInOrder(_ count: Int, endingAt last: Int? = nil) -> [Int] {
    guard count > 0 else { return [] }
    // Highest first is lowest first of the negated tags: keep the `count` lowest keys,
    // the greatest of them at the root of a binary max-heap.
    let sign = last == nil ? 1 : -1
    let bound = last ?? Int.max
    var kept: [Int] = []
    kept.reserveCapacity(count)
    for tag in allocations.tags where tag <= bound {
      let key = sign * tag
      if kept.count < count {
        kept.append(key)
        var child = kept.count - 1
        while child > 0, kept[(child - 1) / 2] < kept[child] {
          kept.swapAt(child, (child - 1) / 2)
          child = (child - 1) / 2
        }
      } else if key < kept[0] {
        kept[0] = key
        var parent = 0
        while true {
          var largest = parent
          let left = 2 * parent + 1
          if left < count, kept[left] > kept[largest] { largest = left }
          if left + 1 < count, kept[left + 1] > kept[largest] { largest = left + 1 }
          guard largest != parent else { break }
          kept.swapAt(parent, largest)
          parent = largest
        }
      }
    }
    kept.sort()
    return last == nil ? kept : kept.reversed().map { -$0 }
  }

  /// Live allocations in tag order.
  /// - Complexity: O(n + highest tag) when the live tags are at least a quarter of those up
  ///   to the highest (tags are given in order, so usually), else O(n log n).
  public var allocationsInTagOrder: [Allocation] {
    var all = allocations.all
    let highest = all.reduce(0) { max($0, $1.tag) }
    guard highest / 4 <= all.count, highest < Int32.max else {
      all.sort { $0.tag < $1.tag }
      return all
    }
    // Each allocation's index in `all`, by tag: read in tag order.
    var indexOfTag = [Int32](repeating: -1, count: highest + 1)
    for (index, allocation) in all.enumerated() { indexOfTag[allocation.tag] = Int32(index) }
    var ordered: [Allocation] = []
    ordered.reserveCapacity(all.count)
    for index in indexOfTag where index >= 0 { ordered.append(all[Int(index)]) }
    return ordered
  }

  /// Live allocations in address order, from the one holding or following `page`.
  /// - Complexity: `AddressWalk`'s start, then O(1) per allocation.
  public func allocationsInAddressOrder(from page: Int = 0) -> [Allocation] {
    Array(AddressWalk(self, from: page))
  }

  /// The allocation owning `page`, if any.
  /// - Complexity: `AddressWalk`'s start.
  public func owner(ofPage page: Int) -> Allocation? {
    var walk = AddressWalk(self, from: page)
    return walk.next().flatMap { $0.firstPage <= page ? $0 : nil }
  }

  /// The free runs in address order as (start, length). - Complexity: O(r).
  public var freeRuns: [(start: Int, length: Int)] {
    freeRunsByStart.map { (start: $0.key, length: $0.value) }
  }

  // MARK: Free-run bookkeeping shared by placement and defragmentation

  /// Tells the policy's index of a free run added, when it follows runs.
  mutating func indexRunAdded(start: Int, length: Int) {
    if indexFollowsRuns { index.runAdded(start: start, length: length) }
  }

  /// Tells the policy's index of a free run about to go, when it follows runs.
  mutating func indexRunRemoved(start: Int, length: Int) {
    if indexFollowsRuns { index.runRemoved(start: start, length: length) }
  }

  /// Tells the policy's index of a free run about to be replaced, when it follows runs.
  mutating func indexRunReplaced(start: Int, length: Int, byStart newStart: Int, length newLength: Int) {
    if indexFollowsRuns {
      index.runReplaced(start: start, length: length, byStart: newStart, length: newLength)
    }
  }

  /// Tells the policy's index of the run at `start`, `old` pages long, just shortened by
  /// `length` pages from its front, or removed when it was that long.
  mutating func indexRunShortened(start: Int, old: Int, by length: Int) {
    if old > length {
      indexRunReplaced(start: start, length: old, byStart: start + length, length: old - length)
    } else {
      indexRunRemoved(start: start, length: old)
    }
  }

  /// Tells the policy's index of pages taken (`PolicyIndex.pagesTaken`), when it follows pages.
  mutating func indexPagesTaken(start: Int, length: Int) -> Bool {
    indexFollowsPages ? index.pagesTaken(start: start, length: length) : true
  }

  /// Tells the policy's index of pages given back, when it follows pages.
  mutating func indexPagesGiven(start: Int, length: Int) {
    if indexFollowsPages { index.pagesGiven(start: start, length: length) }
  }

  mutating func addFreeRun(start: Int, length: Int) {
    freeRunsByStart.insert(start, value: length)
    indexRunAdded(start: start, length: length)
  }

  mutating func removeFreeRun(start: Int, length: Int) {
    indexRunRemoved(start: start, length: length)
    freeRunsByStart.remove(start)
  }

  /// Builds the policy's index from the free runs and the allocations (`PolicyIndex.init(for:)`).
  mutating func rebuildPolicyIndexes() {
    setIndex(policy.row.index.init(for: self))
  }

  /// The one place `index` is set, with what it follows kept beside it.
  private mutating func setIndex(_ new: some PolicyIndex) {
    index = new
    (indexFollowsRuns, indexFollowsPages, indexSearchesFirstRun) = (
      type(of: new).followsRuns, type(of: new).followsPages, type(of: new).searchesFirstRun
    )
  }

  /// Builds the policy's index with its free runs in `order` (`PolicyIndex.restored`).
  /// - Throws: when the policy keeps no order or `order` is not an order of the free runs.
  /// - Complexity: the policy's `restored`.
  mutating func rebuildPolicyIndexes(inOrder order: [Int]) throws(StoredStateError) {
    guard let restored = policy.row.index.restored(order: order, in: self) else {
      throw StoredStateError("freeOrder is not an order of the free runs under \(policy.title)")
    }
    setIndex(restored)
  }

  /// Whether every allocation is a block (power-of-two pages, aligned), as buddy needs.
  var allocationsAreBlocks: Bool {
    allocations.all.allSatisfy { allocation in
      allocation.pageCount & (allocation.pageCount - 1) == 0
        && allocation.firstPage & (allocation.pageCount - 1) == 0
    }
  }

  /// Whether DEFRAG may move allocations under the policy.
  var movesAllocations: Bool { Swift.type(of: index).movesAllocations }

  /// Changes the run at `start` into `newStart ..< newStart + newLength`, in place.
  /// The new run must keep the old one's rank among the free runs.
  mutating func reshapeFreeRun(start: Int, length: Int, newStart: Int, newLength: Int) {
    indexRunReplaced(start: start, length: length, byStart: newStart, length: newLength)
    freeRunsByStart.replace(start, with: newStart, value: newLength)
  }
}
