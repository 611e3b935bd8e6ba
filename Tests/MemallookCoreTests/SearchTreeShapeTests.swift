import Testing

@testable import MemallookCore

/// The B-tree's shape: splits, merges, borrows, bulk builds at node boundaries, copies, and a
/// check that catches each way of breaking it.
@Suite struct SearchTreeShapeTests {
  /// Checks every lookup of `tree` against `reference` around `key`.
  func checkLookups(_ tree: SearchTree<Int>, _ reference: [Int: Int], sorted: [Int], key: Int, minimum: Int) {
    let lower = sorted.firstIndex { $0 >= key } ?? sorted.count
    let upper = sorted.firstIndex { $0 > key } ?? sorted.count
    #expect(tree.floor(key)?.key == (upper > 0 ? sorted[upper - 1] : nil))
    #expect(tree.ceiling(key)?.key == (lower < sorted.count ? sorted[lower] : nil))
    #expect(tree.value(for: key) == reference[key])
    let expected = sorted[lower...].first { reference[$0]! >= minimum }
    #expect(tree.first(from: key, valueAtLeast: minimum)?.key == expected)
  }

  @Test(arguments: [1, 2] as [UInt64])
  func agreesWithAReferenceOverManyKeys(seed: UInt64) {
    var random = SplitMix64(seed: seed)
    var tree = SearchTree<Int>()
    var reference: [Int: Int] = [:]
    var maxLevels = 0
    for phase in 0..<3 {
      // Grow to ~6,000 keys (3 levels), then shrink to ~0, then churn.
      let steps = phase == 2 ? 4_000 : 12_000
      for step in 0..<steps {
        let key = Int(random.next(upperBound: 12_000 as UInt64))
        let insertBias: UInt64 = phase == 0 ? 8 : phase == 1 ? 2 : 5
        let roll = random.next(upperBound: 10 as UInt64)
        if roll < insertBias {
          if reference[key] == nil {
            let value = Int(random.next(upperBound: 300 as UInt64)) + 1
            tree.insert(key, value: value)
            reference[key] = value
          } else if roll == 0 {
            // replace within the rank: move the key by one when the neighbour allows it.
            let newKey = reference[key + 1] == nil ? key + 1 : (reference[key - 1] == nil ? key - 1 : key)
            let value = Int(random.next(upperBound: 300 as UInt64)) + 1
            tree.replace(key, with: newKey, value: value)
            reference[key] = nil
            reference[newKey] = value
          }
        } else {
          #expect(tree.remove(key) == reference.removeValue(forKey: key))
        }
        let violations = step % 11 == 0 || tree.count < 70 ? tree.structuralViolations() : []
        #expect(violations == [], "phase \(phase) step \(step)")
        if !violations.isEmpty { return }
        #expect(tree.count == reference.count)
        maxLevels = max(maxLevels, tree.levels)
        if step % 97 == 0 {
          let sorted = reference.keys.sorted()
          checkLookups(
            tree, reference, sorted: sorted, key: key, minimum: Int(random.next(upperBound: 310 as UInt64)))
          #expect(tree.maxValue == reference.values.max())
        }
      }
      #expect(Array(tree.map(\.key)) == reference.keys.sorted())
    }
    #expect(maxLevels >= 3)
  }

  @Test func twentyThousandKeys() {
    var random = SplitMix64(seed: 9)
    var tree = SearchTree<Int>()
    var reference: [Int: Int] = [:]
    for step in 0..<60_000 {
      let key = Int(random.next(upperBound: 1 << 20 as UInt64))
      if step < 30_000 || random.next(upperBound: 2 as UInt64) == 0, reference[key] == nil {
        let value = Int(random.next(upperBound: 300 as UInt64)) + 1
        tree.insert(key, value: value)
        reference[key] = value
      } else if let some = step % 3 == 0 ? reference.first?.key : key {
        #expect(tree.remove(some) == reference.removeValue(forKey: some))
      }
      if step % 2_000 == 0 { #expect(tree.structuralViolations() == [], "step \(step)") }
    }
    #expect(tree.levels >= 4)
    #expect(tree.structuralViolations() == [])
    #expect(Array(tree.map(\.key)) == reference.keys.sorted())
    #expect(tree.maxValue == reference.values.max())
  }

  @Test func replaceMovesAKeyWithinItsRankAndUpdatesMaxima() {
    var tree = SearchTree<Int>(sorted: (0..<5_000).map { (key: $0 * 10, value: 5) })
    tree.replace(20_000, with: 20_003, value: 300)
    #expect(tree.structuralViolations() == [])
    #expect(tree.maxValue == 300)
    #expect(tree.value(for: 20_000) == nil)
    #expect(tree.value(for: 20_003) == 300)
    #expect(tree.first(from: 0, valueAtLeast: 6)?.key == 20_003)
    tree.replace(20_003, with: 19_995, value: 1)
    #expect(tree.structuralViolations() == [])
    #expect(tree.maxValue == 5)
    #expect(tree.floor(19_999)?.key == 19_995)
    #expect(tree.ceiling(19_991)?.key == 19_995)
    #expect(tree.first(from: 0, valueAtLeast: 6) == nil)
    // The first key of the tree (every separator on the leftmost path changes).
    tree.replace(0, with: -7, value: 9)
    #expect(tree.structuralViolations() == [])
    #expect(tree.first { _ in true }?.key == -7)
    #expect(tree.maxValue == 9)
    // A small (single-leaf) tree too.
    var small = SearchTree<Int>(sorted: [(key: 1, value: 1), (key: 5, value: 2)])
    small.replace(5, with: 3, value: 7)
    #expect(Array(small.map(\.key)) == [1, 3])
    #expect(small.maxValue == 7)
  }

  @Test func entriesStartMidLeafAndPastTheEnd() {
    let tree = SearchTree<Int>(sorted: (0..<1_000).map { (key: $0 * 2, value: $0) })
    #expect(Array(tree.entries(from: 501).map(\.key)) == Array(stride(from: 502, to: 2_000, by: 2)))
    #expect(Array(tree.entries(from: 500).map(\.key)) == Array(stride(from: 500, to: 2_000, by: 2)))
    #expect(Array(tree.entries(from: 1_998).map(\.key)) == [1_998])
    #expect(Array(tree.entries(from: 1_999)).isEmpty)
    #expect(Array(tree.entries(from: 5_000)).isEmpty)
    #expect(Array(tree.entries(from: -5).map(\.key)) == Array(stride(from: 0, to: 2_000, by: 2)))
    #expect(Array(SearchTree<Int>().entries(from: 3)).isEmpty)
    let small = SearchTree<Int>(sorted: [(key: 1, value: 1), (key: 5, value: 2)])
    #expect(Array(small.entries(from: 2).map(\.key)) == [5])
    #expect(Array(small.entries(from: 6)).isEmpty)
  }

  /// One leaf with room to spare (3 entries in room for 4): each change but the first copies
  /// nothing of its own, so only the copy on write keeps the two apart.
  @Test func copiesOfOneLeafAreIndependent() {
    var original = SearchTree<Int>()
    for key in [1, 5, 9] { original.insert(key, value: key) }
    var copy = original
    original.remove(1)
    copy.insert(3, value: 30)
    #expect(copy.shortenFront(of: 5, by: 2) == 5)
    original.replace(9, with: 8, value: 1)
    #expect(original.map(\.key) == [5, 8] && original.maxValue == 5)
    #expect(copy.map(\.key) == [1, 3, 7, 9] && copy.maxValue == 30)
    #expect(original.structuralViolations() == [] && copy.structuralViolations() == [])
  }

  @Test func copiesAreIndependent() {
    var original = SearchTree<Int>()
    for key in 0..<3_000 { original.insert(key * 3, value: key % 50) }
    let snapshot = Array(original)
    var copy = original
    for key in 0..<1_500 { copy.remove(key * 3) }
    copy.insert(1, value: 299)
    copy.replace(4_500, with: 4_499, value: 7)
    #expect(Array(original).elementsEqual(snapshot) { $0 == $1 })
    #expect(original.structuralViolations() == [])
    #expect(copy.structuralViolations() == [])
    #expect(original.count == 3_000)
    #expect(copy.count == 1_501)
    #expect(original.maxValue == 49)
    #expect(copy.maxValue == 299)
    // And the other way round: mutating the original leaves the copy alone.
    let copyEntries = Array(copy)
    original.remove(0)
    #expect(Array(copy).elementsEqual(copyEntries) { $0 == $1 })
  }

  @Test func emptyingAndRefilling() {
    var tree = SearchTree<Int>()
    #expect(tree.maxValue == nil && tree.isEmpty && tree.first(from: 0, valueAtLeast: 0) == nil)
    #expect(tree.storageBytes == 0)
    for round in 0..<3 {
      for key in 0..<2_000 { tree.insert(key * 7 % 2_000, value: key) }
      #expect(tree.structuralViolations() == [])
      #expect(tree.count == 2_000)
      for key in 0..<2_000 {
        #expect(tree.remove(key * 13 % 2_000) != nil)
        if key % 50 == 0 { #expect(tree.structuralViolations() == [], "round \(round)") }
      }
      #expect(tree.isEmpty && tree.maxValue == nil && tree.remove(3) == nil)
      #expect(tree.structuralViolations() == [])
      #expect(tree.storageBytes == 0, "an emptied tree keeps no memory")
      #expect(Array(tree).isEmpty)
    }
  }

  @Test(arguments: [
    3, 15, 16, 17, 31, 32, 33, 48, 63, 64, 65, 1_023, 1_024, 1_025, 32 * 32 + 1, 32 * 32 * 32 + 1,
  ])
  func buildingFromSortedEntriesAtNodeBoundaries(count: Int) {
    var tree = SearchTree<Int>(sorted: (0..<count).map { (key: $0 * 2, value: $0 % 300) })
    #expect(tree.structuralViolations() == [])
    #expect(tree.count == count)
    #expect(tree.map(\.key) == (0..<count).map { $0 * 2 })
    #expect(tree.maxValue == (0..<count).map { $0 % 300 }.max())
    // Full nodes split and merge correctly right after a bulk build.
    tree.insert(1, value: 1)
    tree.insert(2 * count, value: 1)
    #expect(tree.structuralViolations() == [])
    for key in 0..<count { tree.remove(key * 2) }
    #expect(tree.structuralViolations() == [])
    #expect(tree.map(\.key) == [1, 2 * count])
  }

  @Test(arguments: SearchTree<Int>.Corruption.allCases)
  func structuralViolationsCatchEachCorruption(corruption: SearchTree<Int>.Corruption) {
    var tree = SearchTree<Int>()
    for key in 0..<5_000 { tree.insert(key * 7 % 5_000, value: key % 100) }
    #expect(tree.structuralViolations() == [])
    tree.corrupt(corruption)
    #expect(tree.structuralViolations() != [])
  }

  @Test func emptyTreesAreSmallAndDoNotAllocate() {
    #expect(MemoryLayout<SearchTree<Int>>.stride == 24)
    #expect(SearchTree<Int>().storageBytes == 0)
    var one = SearchTree<Int>()
    one.insert(4, value: 1)
    #expect(one.storageBytes <= 64)
  }
}

/// A two-field key like the heap's `FreeRunKey` (length, then start).
private struct PairKey: SearchTreeKey, Hashable {
  let length: Int
  let start: Int
  static func < (a: PairKey, b: PairKey) -> Bool {
    a.length != b.length ? a.length < b.length : a.start < b.start
  }
}

@Test func worksWithACompoundKey() {
  var random = SplitMix64(seed: 4)
  var tree = SearchTree<PairKey>()
  var reference: [PairKey: Int] = [:]
  for step in 0..<6_000 {
    let key = PairKey(
      length: Int(random.next(upperBound: 20 as UInt64)), start: Int(random.next(upperBound: 200 as UInt64)))
    if random.next(upperBound: 3 as UInt64) > 0 {
      if reference[key] == nil {
        tree.insert(key, value: key.start)
        reference[key] = key.start
      }
    } else {
      #expect(tree.remove(key) == reference.removeValue(forKey: key))
    }
    #expect(tree.structuralViolations() == [], "step \(step)")
    let sorted = reference.keys.sorted(by: <)
    #expect(tree.ceiling(key)?.key == sorted.first { !($0 < key) })
    #expect(tree.first(from: key, valueAtLeast: 150)?.key == sorted.first { !($0 < key) && $0.start >= 150 })
  }
  #expect(tree.map(\.key) == reference.keys.sorted(by: <))
}
