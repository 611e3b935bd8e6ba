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

  /// Emptied for about as many keys as it holds, a map keeps its slots; for far fewer or
  /// far more, it takes the size a new one would. It forgets every key and refills to a
  /// load its checks accept.
  @Test func anEmptiedMapKeepsItsSlotsWhenTheySuit() {
    for (capacity, kept) in [
      (1_000, true), (600, true), (400, true), (300, false), (3_000, false), (0, false),
    ] {
      var map = IntMap<Int>(minimumCapacity: 1_000)
      for key in 0..<1_000 { map[key * 7] = key }
      let slots = map.slotCount
      map.removeAll(keepingRoomFor: capacity)
      #expect((map.slotCount == slots) == kept, "room for \(capacity)")
      #expect(map.slotCount == IntMap<Int>(minimumCapacity: capacity).slotCount || kept)
      #expect(map.isEmpty && map[7] == nil && map[0] == nil)
      let emptied = map.slotCount
      for key in 0..<capacity { map[key * 5 + 1] = key }
      #expect(map.slotCount == emptied && map.count == capacity, "room for \(capacity)")
      #expect(map.structuralViolations() == [] && (capacity < 2 || map[6] == 1), "room for \(capacity)")
    }
  }

  /// A map grown by its keys, at any load it grows through, is emptied in place for as many
  /// (a replay's id table restored over itself).
  @Test func aMapGrownToACountIsEmptiedInPlaceForThatCount() {
    for count in [100, 700, 1_000, 2_500, 5_000, 7_777] {
      var map = IntMap<Int>()
      for key in 0..<count { map[key * 3] = key }
      let slots = map.slotCount
      map.removeAll(keepingRoomFor: count)
      #expect(map.slotCount == slots, "\(count) keys in \(slots) slots")
    }
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
    let keys = (0..<1_000).filter { map.home(of: $0) == 5 }.prefix(4)
    #expect(keys.count == 4)
    for key in keys { map[key] = key }
    let removed = keys[keys.startIndex + 1]
    map.removeValue(forKey: removed)
    for key in keys { #expect(map[key] == (key == removed ? nil : key)) }
    #expect(map.structuralViolations() == [])
  }

  @Test func negativeKeysAreNeverFoundAndRemovingOneChangesNothing() {
    var map = IntMap<Int>()
    map[5] = 1
    #expect(map[-1] == nil && map[Int.min] == nil)
    #expect(map.removeValue(forKey: -1) == nil)
    #expect(map.count == 1 && map[5] == 1)
  }

  /// Keys chosen so that an unseeded Fibonacci hash (key / 4 × 2^64/φ) puts every one of them
  /// in slot 0 at every table size: the seeded mix spreads them like any others.
  @Test func keysCraftedToCollideDoNotMakeOneLongCluster() {
    // The inverse of 2^64/φ modulo 2^64, by Newton's iteration.
    let phi: UInt64 = 0x9E37_79B9_7F4A_7C15
    var inverse = phi
    for _ in 0..<6 { inverse = inverse &* (2 &- phi &* inverse) }
    #expect(phi &* inverse == 1)
    var keys: [Int] = []
    var multiple: UInt64 = 0
    while keys.count < 4_000 {
      multiple += 1
      let group = multiple &* inverse  // group × 2^64/φ = multiple: the top bits are all 0
      if group < 1 << 61 { keys.append(Int(group) << 2) }
    }
    var map = IntMap<Int>()
    for key in keys { map[key] = key }
    #expect(map.count == 4_000)
    #expect(map.longestProbe < 200, "longest probe \(map.longestProbe)")
  }

  @Test func aReservedTableKeepsItsSizeUntilTheReservationEnds() {
    var map = IntMap<Int>()
    map.reserveCapacity(1_000)
    let reserved = map.slotCount
    #expect(reserved >= 1_000 * 2, "a load of at most 1/2")
    for key in 0..<1_000 { map[key] = key }
    for key in 0..<1_000 { map[key] = nil }
    #expect(map.isEmpty && map.slotCount == reserved && map[3] == nil)
    map.reserveCapacity(0)
    map[1] = 1
    map[1] = nil
    #expect(map.slotCount == 0)
  }

  /// After a reservation ends, the table fits its count again (loading a state file reserves).
  @Test func endingAReservationShrinksTheTableToItsCount() {
    var map = IntMap<Int>()
    map.reserveCapacity(1_000)
    for key in 0..<1_000 { map[key] = key }
    for key in 10..<1_000 { map[key] = nil }
    #expect(map.slotCount >= 1_000 * 2)
    map.reserveCapacity(0)
    #expect(map.slotCount <= 40 && map.count == 10 && map[9] == 9)  // 10 keys at a load of 1/4
    #expect(map.structuralViolations() == [])
  }

  /// 10^5 keys fit in fewer slots than the next power of two above 10^5 / (3/8), 524,288.
  @Test func aTableMadeForAKnownCountIsSizedForIt() {
    var map = IntMap<Int>(minimumCapacity: 100_000)
    #expect(map.slotCount <= 266_668)
    for key in 0..<100_000 { map[key * 4_099] = key }
    #expect(map.slotCount <= 266_668, "no growth up to the count it was made for")
    #expect(map.structuralViolations() == [])
    #expect(map[4_099 * 77_777] == 77_777)
    var reserved = IntMap<Int>()
    reserved.reserveCapacity(100_000)
    #expect(reserved.slotCount <= 266_668)
  }

  /// Short clusters: a removal reads the home of every entry up to its cluster's end.
  @Test func aGrowingTableIsNeverMoreThanHalfFull() {
    var map = IntMap<Int>()
    var fullest = 0.0
    for key in 0..<10_000 {
      map[key * 13] = key
      fullest = max(fullest, Double(map.count) / Double(map.slotCount))
    }
    #expect(fullest <= 0.5)
  }

  @Test func aTableOfAnySizeFindsEveryKeyAfterGrowingAndShrinking() {
    var map = IntMap<Int>()
    for key in 0..<5_000 { map[key * 7] = key }
    for key in 0..<4_900 { map[key * 7] = nil }
    #expect(map.structuralViolations() == [])
    #expect(map.count == 100 && (4_900..<5_000).allSatisfy { map[$0 * 7] == $0 })
    #expect(map.slotCount % 4 == 0 && map.slotCount < 1_000)
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
