import Testing

@testable import MemallookCore

@Suite struct SearchTreeTests {
  @Test(arguments: [1, 2, 3] as [UInt64])
  func agreesWithASortedArrayUnderRandomOperations(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    var tree = SearchTree<Int>()
    var reference: [Int: Int] = [:]
    for step in 0..<4_000 {
      let key = Int(random.next(upperBound: 500 as UInt64))
      switch random.next(upperBound: 4 as UInt64) {
      case 0, 1:
        if reference[key] == nil {
          let value = Int(random.next(upperBound: 100 as UInt64))
          tree.insert(key, value: value)
          reference[key] = value
        }
      case 2:
        #expect(tree.remove(key) == reference.removeValue(forKey: key))
      default:
        let minimum = Int(random.next(upperBound: 100 as UInt64))
        let expected = reference.filter { $0.key >= key && $0.value >= minimum }.min { $0.key < $1.key }
        #expect(tree.first(from: key, valueAtLeast: minimum)?.key == expected?.key, "step \(step)")
        #expect(tree.floor(key)?.key == reference.keys.filter { $0 <= key }.max())
        #expect(tree.ceiling(key)?.key == reference.keys.filter { $0 >= key }.min())
      }
      #expect(tree.structuralViolations() == [])
    }
    #expect(tree.map(\.key) == reference.keys.sorted())
    #expect(tree.maxValue == reference.values.max())
    #expect(Array(tree.entries(from: 250).map(\.key)) == reference.keys.filter { $0 >= 250 }.sorted())
  }

  @Test func aRunTakenWholeLeavesInOneDescentWhileItsLeafCanLoseIt() {
    // 100 runs of 3 pages, 2 apart: four leaves of 25.
    var tree = SearchTree<Int>(sorted: (0..<100).map { (key: $0 * 5, value: 3) })
    var taken = 0
    while let old = tree.shortenFront(of: taken * 5, by: 3) {
      #expect(old == 3)
      taken += 1
      #expect(tree.value(for: (taken - 1) * 5) == nil)
      #expect(tree.count == 100 - taken)
      #expect(tree.structuralViolations() == [])
    }
    #expect(taken == 25 - SearchTree<Int>.minFill)  // the leaf stops at its least fill
    let before = Array(tree.map { $0 })
    #expect(tree.shortenFront(of: taken * 5, by: 3) == nil)
    #expect(tree.map { $0 }.elementsEqual(before) { $0 == $1 })
    #expect(tree.shortenFront(of: taken * 5, by: 2) == 3)  // a shortened run keeps its slot
    #expect(tree.value(for: taken * 5 + 2) == 1)
    #expect(tree.shortenFront(of: taken * 5 + 2, by: 2) == nil)  // longer than the run
    #expect(tree.structuralViolations() == [])
  }

  @Test(arguments: [0, 1, 2, 10, 1000])
  func buildingFromSortedEntriesGivesAValidTree(count: Int) {
    let tree = SearchTree<Int>(sorted: (0..<count).map { (key: $0 * 2, value: $0 % 7) })
    #expect(tree.structuralViolations() == [])
    #expect(tree.count == count)
    #expect(tree.map(\.key) == (0..<count).map { $0 * 2 })
  }
}
