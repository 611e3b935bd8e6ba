import Testing

@testable import MemallookCore

@Suite struct IntMapTests {
  @Test(arguments: [1, 2, 3] as [UInt64])
  func agreesWithADictionaryUnderRandomOperations(seed: UInt64) {
    var random = SplitMix64(seed: seed)
    var map = IntMap<Int>()
    var reference: [Int: Int] = [:]
    for step in 0..<20_000 {
      // Sequential keys (tags) for half the run, then scattered ones (pages).
      let key = step < 10_000 ? Int(random.next(upperBound: 3_000 as UInt64)) : Int(random.next() >> 2)
      switch random.next(upperBound: 3 as UInt64) {
      case 0, 1:
        map[key] = step
        reference[key] = step
      default:
        let victim = reference.keys.randomElement(using: &random) ?? key
        #expect(map.removeValue(forKey: victim) == reference.removeValue(forKey: victim), "step \(step)")
      }
      if step % 97 == 0 { #expect(map.structuralViolations() == [], "step \(step)") }
    }
    #expect(map.count == reference.count)
    #expect(Dictionary(uniqueKeysWithValues: reference.keys.map { ($0, map[$0]) }) == reference)
    #expect(map.allValues.sorted() == reference.values.sorted())
  }

  @Test func emptyingTheMapFreesItsTableAndItCanBeFilledAgain() {
    var map = IntMap<Int>()
    for key in 0..<1_000 { map[key] = key * 2 }
    for key in 0..<1_000 { map[key] = nil }
    #expect(map.isEmpty)
    #expect(map[5] == nil)
    #expect(map.structuralViolations() == [])
    map[7] = 1
    #expect(map[7] == 1 && map.count == 1)
  }

  @Test func removingFromTheMiddleOfAClusterKeepsTheKeysAfterItReachable() {
    // Four keys with the same home slot in a table of 8: one cluster.
    var map = IntMap<Int>(minimumCapacity: 2)
    let keys = (0..<1_000).filter { IntMap<Int>.home(of: $0, shift: 61) == 5 }.prefix(4)
    #expect(keys.count == 4)
    for key in keys { map[key] = key }
    let removed = keys[keys.startIndex + 1]
    map.removeValue(forKey: removed)
    for key in keys { #expect(map[key] == (key == removed ? nil : key)) }
    #expect(map.structuralViolations() == [])
  }

  @Test func aCopyIsUnchangedByChangesToTheOriginal() {
    var map = IntMap<Int>()
    for key in 0..<100 { map[key] = key }
    let copy = map
    for key in 0..<50 { map[key] = nil }
    map[500] = 1
    #expect(copy.count == 100 && copy[10] == 10 && copy[500] == nil)
  }
}
