import Testing

@testable import MemallookCore

@Suite struct TagTableTests {
  /// Tags given in order and freed at random, as a heap's are: the table agrees with a
  /// dictionary, including the old tags that share a slot with newer ones.
  @Test(arguments: [1, 2, 3] as [UInt64])
  func agreesWithADictionaryWhenTagsAreGivenInOrder(seed: UInt64) {
    var random = SplitMix64(seed: seed)
    var table = TagTable()
    var reference: [Int: Int] = [:]
    var live: [Int] = []
    var nextTag = 1
    for step in 0..<30_000 {
      // Grows to about 2,000 live, then shrinks to a few, then grows again.
      let target = step < 10_000 ? 2_000 : step < 20_000 ? 5 : 800
      if live.count < target || random.next(upperBound: 2 as UInt64) == 0 {
        table.insert(nextTag, firstPage: step)
        reference[nextTag] = step
        live.append(nextTag)
        nextTag += 1
      } else {
        let victim = live.remove(at: Int(random.next(upperBound: UInt64(live.count))))
        #expect(table.remove(victim)?.firstPage == reference.removeValue(forKey: victim), "step \(step)")
        #expect(table.remove(victim) == nil)
      }
      if step % 101 == 0 {
        #expect(table.structuralViolations() == [], "step \(step)")
        #expect(table[nextTag] == nil && table[0] == nil && table[-3] == nil)
      }
    }
    #expect(table.count == reference.count)
    #expect(Dictionary(uniqueKeysWithValues: reference.keys.map { ($0, table[$0]!.firstPage) }) == reference)
    #expect(table.tags.sorted() == reference.keys.sorted())
  }

  /// An old tag that outlives many newer ones shares its slot: the newer go to the
  /// overflow, every one is still found and moved, and the table does not grow for it.
  @Test func aLongLivedTagSharesItsSlotAndTheTableStaysSmall() {
    var table = TagTable()
    table.insert(1, firstPage: 100)
    for tag in 2...100_000 {
      table.insert(tag, firstPage: tag)
      if tag > 4 { #expect(table.remove(tag - 3)?.firstPage == tag - 3) }
    }
    #expect(table.count == 4)
    #expect(table.slotCount == 16)
    #expect(table[1]?.firstPage == 100)
    table.update(1, firstPage: 7)
    #expect(table[1]?.firstPage == 7)
    #expect(table.structuralViolations() == [])
  }

  /// A tag in the overflow is moved there, and is still found once the older tag that
  /// holds its slot is gone.
  @Test func aTagInTheOverflowIsMovedAndOutlivesTheTagInItsSlot() {
    var table = TagTable()
    table.insert(1, firstPage: 10)
    table.insert(17, firstPage: 20)  // slot 1 of 16 is tag 1's
    #expect(table.overflowCount == 1)
    table.update(17, firstPage: 30)
    #expect(table[17]?.firstPage == 30)
    #expect(table.remove(1)?.firstPage == 10)
    #expect(table[17]?.firstPage == 30)
    #expect(table.structuralViolations() == [])
    #expect(table.remove(17)?.firstPage == 30)
    #expect(table.count == 0 && table[17] == nil)
  }

  @Test func memoryFollowsTheLiveTagsNotTheTagsEverGiven() {
    var table = TagTable()
    for tag in 1...1_000_000 {
      table.insert(tag, firstPage: tag)
      if tag > 1_000 { table.remove(tag - 1_000) }
    }
    #expect(table.count == 1_000)
    #expect(table.slotCount <= 4_096)
    #expect(table.overflowCount == 0)
  }

  /// A heap rebuilt from a state file or a checkpoint makes its table for its count (it
  /// once asked for half as many again): the table holds them without growing, at a load
  /// its checks accept.
  @Test func aTableMadeForAKnownCountHoldsItWithoutGrowing() {
    for count in 0...200 {
      for capacity in [count, count * 3 / 2] {
        var table = TagTable(minimumCapacity: capacity)
        let slots = table.slotCount
        for tag in 1...max(1, count) where count > 0 { table.insert(tag, firstPage: tag) }
        #expect(table.slotCount == slots, "\(count) tags in a table made for \(capacity)")
        #expect(table.structuralViolations() == [], "\(count) tags in a table made for \(capacity)")
      }
    }
  }

  /// Emptied for about as many tags as it holds (a checkpoint restored over its lane), a
  /// table keeps its slots; for far fewer or far more, it takes the size a new one would.
  /// Either way it holds nothing of before and takes the new tags without growing.
  @Test func anEmptiedTableKeepsItsSlotsWhenTheySuit() {
    for (capacity, kept) in [(1_000, true), (300, true), (200, false), (5_000, false), (0, false)] {
      var table = TagTable()
      for tag in 1...1_000 { table.insert(tag, firstPage: tag) }
      table.remove(1)
      table.insert(1_000 + 2_048, firstPage: 1_001)  // into the overflow: its slot is 1000's
      #expect(table.slotCount == 2_048 && table.overflowCount == 1)
      let slots = table.slotCount
      table.removeAll(keepingRoomFor: capacity)
      #expect((table.slotCount == slots) == kept, "room for \(capacity)")
      #expect(table.slotCount == TagTable(minimumCapacity: capacity).slotCount || kept)
      #expect(table.count == 0 && table.overflowCount == 0 && table[5] == nil && table[3_048] == nil)
      let emptied = table.slotCount
      for tag in stride(from: 2_000, to: 2_000 + capacity, by: 1) { table.insert(tag, firstPage: tag) }
      #expect(table.slotCount == emptied && table.structuralViolations() == [], "room for \(capacity)")
    }
  }

  /// Twice the slots a new table would take are kept only while the load stays at least
  /// 1/8: a lane of 9 live blocks (32 slots) restored to 2 (16 would do) takes 16.
  @Test func anEmptiedTableKeepsNoSlotsItsFewTagsWouldLeaveBelowTheLeastLoad() {
    for capacity in 1...4 {
      var table = TagTable()
      for tag in 1...9 { table.insert(tag, firstPage: tag) }
      #expect(table.slotCount == 32)
      table.removeAll(keepingRoomFor: capacity)
      for tag in 1...capacity { table.insert(100 + tag, firstPage: tag) }
      #expect(table.slotCount == (capacity == 4 ? 32 : 16), "room for \(capacity)")
      #expect(table.structuralViolations() == [], "room for \(capacity)")
    }
  }

  @Test func aReservedTableKeepsItsSizeUntilTheReservationEnds() {
    var table = TagTable()
    table.reserveCapacity(1_000)
    let reserved = table.slotCount
    for tag in 1...1_000 { table.insert(tag, firstPage: tag) }
    for tag in 1...1_000 { table.remove(tag) }
    #expect(table.slotCount == reserved)
    table.insert(5_000, firstPage: 1)
    table.reserveCapacity(0)
    #expect(table.slotCount == 16)
    table.remove(5_000)
    #expect(table.slotCount == 0)
    #expect(table.structuralViolations() == [])
  }
}

extension TagTable {
  /// Files a one-page allocation with `tag` at `firstPage`: these tests care for tags and pages.
  fileprivate mutating func insert(_ tag: Int, firstPage: Int) {
    insert(Allocation(tag: tag, bytes: 1, firstPage: firstPage, pageCount: 1, glyphIndex: 0))
  }

  /// Moves live `tag` to `firstPage`.
  fileprivate mutating func update(_ tag: Int, firstPage: Int) {
    update(Allocation(tag: tag, bytes: 1, firstPage: firstPage, pageCount: 1, glyphIndex: 0))
  }
}
