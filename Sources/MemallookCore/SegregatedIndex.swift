/// Segregated fits: the free runs in one class per power of two (class ⌊log2 L⌋ for a
/// run of L pages), each class by address. A request of k pages looks in class ⌊log2 k⌋
/// for the lowest-addressed run of at least k pages, else takes the lowest-addressed run
/// of the next non-empty class above (every run there holds it).
struct SegregatedIndex: PolicyIndex {
  static var followsPages: Bool { false }
  /// Each class's runs: first page → length (the tree's maxima answer "at least k" in one descent).
  private var classes: [SearchTree<Int>]
  /// Bit c set when class c has a run.
  private var nonEmpty: UInt64 = 0

  /// No run is longer than `Int.max` pages: classes 0 to 62.
  static let classCount = 63

  static func classOf(length: Int) -> Int { Int.bitWidth - 1 - length.leadingZeroBitCount }

  init(for heap: Heap) {
    classes = Array(repeating: SearchTree<Int>(), count: Self.classCount)
    for run in heap.freeRunsByStart { runAdded(start: run.key, length: run.value) }
  }

  func spot(forPages pages: Int, in heap: Heap) -> (start: Int, pages: Int)? {
    guard pages >= 1 else { return nil }
    let own = Self.classOf(length: pages)
    if let run = classes[own].first(from: 0, valueAtLeast: pages) { return (run.key, pages) }
    guard own + 1 < 64 else { return nil }
    let above = nonEmpty & ~((UInt64(1) << (own + 1)) - 1)
    guard above != 0, let run = classes[above.trailingZeroBitCount].ceiling(Int.min) else { return nil }
    return (run.key, pages)
  }

  mutating func runAdded(start: Int, length: Int) {
    let index = Self.classOf(length: length)
    classes[index].insert(start, value: length)
    nonEmpty |= UInt64(1) << index
  }

  mutating func runRemoved(start: Int, length: Int) {
    let index = Self.classOf(length: length)
    classes[index].remove(start)
    if classes[index].isEmpty { nonEmpty &= ~(UInt64(1) << index) }
  }

  /// In place when the run stays in its class: it keeps its rank by start there too.
  /// - Complexity: O(log r), one descent in place; else a removal and an insertion.
  mutating func runReplaced(start: Int, length: Int, byStart newStart: Int, length newLength: Int) {
    let index = Self.classOf(length: length)
    guard Self.classOf(length: newLength) == index else {
      runRemoved(start: start, length: length)
      runAdded(start: newStart, length: newLength)
      return
    }
    classes[index].replace(start, with: newStart, value: newLength)
  }

  func violations(in heap: Heap) -> [String] {
    var problems = classes.flatMap { $0.structuralViolations() }
    let listed = classes.reduce(0) { $0 + $1.count }
    if listed != heap.freeRunsByStart.count {
      problems.append("\(listed) runs in the classes, \(heap.freeRunsByStart.count) free")
    }
    for run in heap.freeRunsByStart
    where classes[Self.classOf(length: run.value)].value(for: run.key) != run.value {
      problems.append("free run \(run.key)+\(run.value) is not in its class")
    }
    for index in classes.indices where ((nonEmpty >> index) & 1 == 1) == classes[index].isEmpty {
      problems.append("the bitmap is wrong for class \(index)")
    }
    return problems
  }

  /// The non-empty classes from the smallest up, each by address.
  func structure(in heap: Heap, limit: Int) -> FreeStructure {
    let groups = classes.indices.filter { !classes[$0].isEmpty }.map { index in
      let low = 1 << index
      let label = index == 0 ? "1" : "\(low)-\(low.saturatingAdding(low - 1))"
      return FreeStructure.Group.group(
        label, classes[index].lazy.map { FreeStructure.Entry(start: $0.key, length: $0.value) },
        count: classes[index].count, limit: limit)
    }
    return FreeStructure(title: "size classes, by address", groups: groups, notes: [])
  }
}
