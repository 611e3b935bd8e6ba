/// A placement policy's own structure of the free pages and how it chooses among them:
/// one type per policy, named by the policy's row (`Policy.row.index`). The heap keeps
/// its free runs by start for every policy (merging, the address walk, SHOW); an index
/// mirrors them in the form its policy searches, told of each run that comes and goes.
///
/// A new policy is a type conforming to this, a row of `Policy`'s table, and its tests.
protocol PolicyIndex: Sendable {
  /// The index of `heap`'s free runs (and free blocks), which tile the heap with its allocations.
  /// - Complexity: O(r log r) at most, for r free runs.
  init(for heap: Heap)

  /// Where an allocation of `pages` pages goes, and how many pages it takes there (a
  /// whole block under buddy); nil when nothing fits. Changes nothing: a preview and
  /// the placement itself ask the same question.
  func spot(forPages pages: Int, in heap: Heap) -> (start: Int, pages: Int)?

  /// Whether the policy takes the first of the heap's runs by start that its
  /// `firstRunSearch` describes (first, next and worst fit): ALLOC then finds and shortens
  /// that run in one descent, and `spot` need not be written. Such a policy takes the
  /// pages asked for, no more (`pagesHeld(for:)` is the default).
  static var searchesFirstRun: Bool { get }
  /// The search for `pages` pages among the heap's runs by start, when `searchesFirstRun`;
  /// nil when nothing can fit.
  func firstRunSearch(forPages pages: Int, in heap: Heap) -> FirstRunSearch?

  /// Why a request of `pages` pages fails, past "no free run is long enough" (nil: nothing more to say).
  func refusal(forPages pages: Int, in heap: Heap) -> String?

  /// Whether the index keeps runs of its own, told of every change by `runAdded`,
  /// `runRemoved` and `runReplaced`; when false the heap never calls them (first, next
  /// and worst fit answer from the heap's runs by start; buddy keeps blocks).
  static var followsRuns: Bool { get }
  /// Whether the index is told of pages taken and given (`pagesTaken`, `pagesGiven`:
  /// buddy's blocks); when false the heap never calls them.
  static var followsPages: Bool { get }
  /// A free run was added to the heap's free runs.
  mutating func runAdded(start: Int, length: Int)
  /// A free run is about to leave the heap's free runs.
  mutating func runRemoved(start: Int, length: Int)
  /// A free run is about to be replaced by another that keeps its rank by start among the
  /// free runs (shortened from its front, grown by a merge): `runRemoved` then `runAdded`,
  /// in one call.
  mutating func runReplaced(start: Int, length: Int, byStart newStart: Int, length newLength: Int)
  /// An allocation took these pages, already out of the free runs; false (and nothing
  /// changed) when the policy cannot give them (buddy: not a free block).
  mutating func pagesTaken(start: Int, length: Int) -> Bool
  /// An allocation gave these pages back, already in the free runs.
  mutating func pagesGiven(start: Int, length: Int)

  /// Broken rules of the index against the heap's free runs, in words.
  func violations(in heap: Heap) -> [String]

  /// The free structure as the policy searches it, each group's first `limit` entries kept.
  func structure(in heap: Heap, limit: Int) -> FreeStructure

  /// The order of the free runs that the policy remembers and the runs alone do not say
  /// (TLSF's lists: first pages, oldest insertion first), kept in the state file; nil for none.
  var insertionOrder: [Int]? { get }
  /// The index of `heap`'s free runs put back in `order` (as `insertionOrder` gave it);
  /// nil when `order` is not an order of the heap's free runs, or the policy keeps none.
  /// - Complexity: the policy's; O(r log r) for TLSF's r runs.
  static func restored(order: [Int], in heap: Heap) -> Self?

  /// The pages an allocation of `pages` pages holds under the policy (a block under buddy).
  static func pagesHeld(for pages: Int) -> Int
  /// Whether DEFRAG may move allocations (the buddy system's blocks stay put).
  static var movesAllocations: Bool { get }
  /// Whether every allocation must be an aligned block: the policy is chosen on an empty heap only.
  static var takesBlocks: Bool { get }
}

/// A search among the heap's runs by start: the first run beginning at or after `from`
/// that is at least `atLeast` pages long; when none is, the first from page 0 if `wraps`.
struct FirstRunSearch {
  let from: Int
  let atLeast: Int
  var wraps = false

  /// What `find` answers from `from`, else from page 0 when the search wraps.
  func answer<T>(_ find: (_ from: Int) -> T?) -> T? {
    if let found = find(from) { return found }
    return wraps ? find(0) : nil
  }
}

extension PolicyIndex {
  static var searchesFirstRun: Bool { false }
  func firstRunSearch(forPages pages: Int, in heap: Heap) -> FirstRunSearch? { nil }
  /// The start of the run `firstRunSearch` finds.
  func spot(forPages pages: Int, in heap: Heap) -> (start: Int, pages: Int)? {
    guard let search = firstRunSearch(forPages: pages, in: heap) else { return nil }
    let found = search.answer { heap.freeRunsByStart.first(from: $0, valueAtLeast: search.atLeast) }
    return found.map { ($0.key, pages) }
  }
  func refusal(forPages pages: Int, in heap: Heap) -> String? { nil }
  mutating func runAdded(start: Int, length: Int) {}
  mutating func runRemoved(start: Int, length: Int) {}
  mutating func runReplaced(start: Int, length: Int, byStart newStart: Int, length newLength: Int) {
    runRemoved(start: start, length: length)
    runAdded(start: newStart, length: newLength)
  }
  mutating func pagesTaken(start: Int, length: Int) -> Bool { true }
  mutating func pagesGiven(start: Int, length: Int) {}
  func violations(in heap: Heap) -> [String] { [] }
  var insertionOrder: [Int]? { nil }
  static func restored(order: [Int], in heap: Heap) -> Self? { nil }
  static func pagesHeld(for pages: Int) -> Int { pages }
  static var movesAllocations: Bool { true }
  static var takesBlocks: Bool { false }
  static var followsRuns: Bool { true }
  static var followsPages: Bool { true }
}

/// First fit: the lowest-addressed run that fits, from the heap's runs by start.
struct FirstFitIndex: PolicyIndex {
  static var followsRuns: Bool { false }
  static var followsPages: Bool { false }
  init() {}
  init(for heap: Heap) {}

  func structure(in heap: Heap, limit: Int) -> FreeStructure {
    FreeStructure(
      title: "runs by address",
      groups: [.group("", heap.freeRunEntries, count: heap.freeRunsByStart.count, limit: limit)],
      notes: [])
  }

  static var searchesFirstRun: Bool { true }
  func firstRunSearch(forPages pages: Int, in heap: Heap) -> FirstRunSearch? {
    FirstRunSearch(from: 0, atLeast: pages)
  }
}

/// Next fit: first fit from the run holding the page after the last ALLOC, wrapping around.
struct NextFitIndex: PolicyIndex {
  static var followsRuns: Bool { false }
  static var followsPages: Bool { false }
  init(for heap: Heap) {}

  /// The runs from the one the search starts at, wrapping around.
  func structure(in heap: Heap, limit: Int) -> FreeStructure {
    let runs = heap.freeRunsByStart
    var from = heap.nextFitCursor
    if let holder = runs.floor(from), holder.key + holder.value > from { from = holder.key }
    let entries = runs.entries(from: from).lazy.map { FreeStructure.Entry(start: $0.key, length: $0.value) }
    let wrapped = heap.freeRunEntries.prefix { $0.start < from }
    return FreeStructure(
      title: "runs from the cursor",
      groups: [.group("", entries.prefix(limit) + wrapped.prefix(limit), count: runs.count, limit: limit)],
      notes: ["cursor at page \(heap.nextFitCursor)"])
  }

  static var searchesFirstRun: Bool { true }
  func firstRunSearch(forPages pages: Int, in heap: Heap) -> FirstRunSearch? {
    var from = heap.nextFitCursor
    if let holder = heap.freeRunsByStart.floor(from), holder.key + holder.value > from { from = holder.key }
    return FirstRunSearch(from: from, atLeast: pages, wraps: true)
  }
}

/// Worst fit: the longest run (the lowest on a tie), from the runs' subtree maxima.
struct WorstFitIndex: PolicyIndex {
  static var followsRuns: Bool { false }
  static var followsPages: Bool { false }
  init(for heap: Heap) {}

  /// The `limit` longest runs, longest first (lowest address on a tie).
  /// - Complexity: O(r × limit) at worst, O(r) when the longest come first.
  func structure(in heap: Heap, limit: Int) -> FreeStructure {
    var longest: [FreeStructure.Entry] = []
    for run in heap.freeRunEntries where longest.count < limit || run.length > longest.last!.length {
      let index = longest.firstIndex { $0.length < run.length } ?? longest.count
      longest.insert(run, at: index)
      if longest.count > limit { longest.removeLast() }
    }
    return FreeStructure(
      title: "runs, longest first",
      groups: [.group("", longest, count: heap.freeRunsByStart.count, limit: limit)],
      notes: [])
  }

  static var searchesFirstRun: Bool { true }
  func firstRunSearch(forPages pages: Int, in heap: Heap) -> FirstRunSearch? {
    guard let longest = heap.freeRunsByStart.maxValue, longest >= pages else { return nil }
    return FirstRunSearch(from: 0, atLeast: longest)
  }
}

/// Best fit: the free runs by (length, start), the shortest that fits first.
struct BestFitIndex: PolicyIndex {
  static var followsPages: Bool { false }
  private(set) var bySize: SearchTree<FreeRunKey>

  /// - Complexity: O(r log r).
  init(for heap: Heap) {
    let keys = heap.freeRunsByStart.map { FreeRunKey(length: $0.value, start: $0.key) }.sorted(by: <)
    bySize = SearchTree(sorted: keys.map { (key: $0, value: $0.start) })
  }

  func spot(forPages pages: Int, in heap: Heap) -> (start: Int, pages: Int)? {
    bySize.ceiling(FreeRunKey(length: pages, start: Int.min)).map { ($0.key.start, pages) }
  }

  func structure(in heap: Heap, limit: Int) -> FreeStructure {
    let entries = bySize.lazy.map { FreeStructure.Entry(start: $0.key.start, length: $0.key.length) }
    return FreeStructure(
      title: "runs by size",
      groups: [.group("", entries, count: bySize.count, limit: limit)], notes: [])
  }

  mutating func runAdded(start: Int, length: Int) {
    bySize.insert(FreeRunKey(length: length, start: start), value: start)
  }

  mutating func runRemoved(start: Int, length: Int) {
    bySize.remove(FreeRunKey(length: length, start: start))
  }

  func violations(in heap: Heap) -> [String] {
    var problems = bySize.structuralViolations()
    if bySize.count != heap.freeRunsByStart.count {
      problems.append("\(bySize.count) runs by size for \(heap.freeRunsByStart.count) free runs")
    }
    for run in heap.freeRunsByStart
    where bySize.value(for: FreeRunKey(length: run.value, start: run.key)) != run.key {
      problems.append("free run \(run.key)+\(run.value) missing from the runs by size")
    }
    return problems
  }
}

/// Orders free runs by length, then by address: best fit's index.
struct FreeRunKey: SearchTreeKey, Hashable {
  let length: Int
  let start: Int

  static func < (a: FreeRunKey, b: FreeRunKey) -> Bool {
    a.length != b.length ? a.length < b.length : a.start < b.start
  }
}
