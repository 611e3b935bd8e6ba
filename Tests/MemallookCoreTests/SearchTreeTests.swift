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

  @Test(arguments: [0, 1, 2, 10, 1000])
  func buildingFromSortedEntriesGivesAValidTree(count: Int) {
    let tree = SearchTree<Int>(sorted: (0..<count).map { (key: $0 * 2, value: $0 % 7) })
    #expect(tree.structuralViolations() == [])
    #expect(tree.count == count)
    #expect(tree.map(\.key) == (0..<count).map { $0 * 2 })
  }
}
