import Testing

@testable import MemallookCore

/// TLSF and segregated fits, rule by rule, on heaps laid out by hand.
@Suite struct SegregatedPolicyTests {
  /// A heap of 1-byte pages whose free runs are `holes` (start, length), the rest owned,
  /// made by allocating everything under first fit, then freeing the holes in order under `policy`.
  static func heap(_ policy: Policy, pages: Int, holes: [(Int, Int)]) throws -> Heap {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: pages, policy: .first)
    var tags: [Int: Int] = [:]  // first page -> tag
    var page = 0
    var cuts = Set(holes.flatMap { [$0.0, $0.0 + $0.1] })
    cuts.insert(pages)
    while page < pages {
      let end = cuts.filter { $0 > page }.min()!
      tags[page] = try heap.allocate(bytes: end - page).tag
      page = end
    }
    try heap.setPolicy(policy)
    for (start, _) in holes { try heap.deallocate(tag: tags[start]!) }
    try heap.checkInvariants()
    return heap
  }

  @Test(arguments: [
    (1, 0), (2, 1), (3, 2), (4, 3), (5, 4), (7, 6), (8, 7), (9, 7), (10, 8), (15, 10), (16, 11), (19, 11),
    (20, 12), (31, 14), (32, 15),
  ])
  func tlsfClassesAreExactBelowEightThenFourPerPowerOfTwo(length: Int, expected: Int) {
    #expect(TLSFIndex.classOf(length: length) == expected)
    #expect(TLSFIndex.lengths(ofClass: expected).contains(length))
  }

  @Test func tlsfRoundsTheRequestUpSoThatAnyRunOfTheClassHoldsIt() {
    // 9 pages: class 8-9 could hold 8, so the search starts at 10-11.
    #expect(TLSFIndex.searchClass(forPages: 9) == TLSFIndex.classOf(length: 10))
    #expect(TLSFIndex.searchClass(forPages: 8) == TLSFIndex.classOf(length: 8))
    #expect(TLSFIndex.searchClass(forPages: 3) == TLSFIndex.classOf(length: 3))
    #expect(TLSFIndex.searchClass(forPages: Int.max) == nil)
  }

  @Test func tlsfTakesTheHeadOfTheListTheNewestRunNotTheLowest() throws {
    // Two runs of 5 pages: the one freed last (at 20) is at the head.
    let heap = try Self.heap(.tlsf, pages: 40, holes: [(2, 5), (20, 5)])
    #expect(heap.spot(forPages: 5)?.start == 20)
    // First fit would take the lowest.
    #expect(try Self.heap(.first, pages: 40, holes: [(2, 5), (20, 5)]).spot(forPages: 5)?.start == 2)
  }

  @Test func tlsfRefusesARequestARunOfALowerClassWouldHoldAndSaysWhy() throws {
    // A 9-page run: a 9-page request rounds up to the 10-11 class, which is empty.
    var heap = try Self.heap(.tlsf, pages: 40, holes: [(5, 9)])
    #expect(throws: CommandError.self) { try heap.allocate(bytes: 9) }
    do {
      _ = try heap.allocate(bytes: 9)
    } catch {
      #expect(
        error.detail?.contains("TLSF: 9 pages round up to class 10-11") == true, "\(error)")
      #expect(error.detail?.hasSuffix("the 9-page run is in a lower class") == true)
    }
    #expect(heap.failedAllocations == 2)
    #expect(try heap.allocate(bytes: 8).firstPage == 5, "8 pages search from class 8-9")
  }

  @Test func tlsfReinsertsARunThatChangesLengthAtItsHead() throws {
    // Runs of 6 at 2 and at 20; freed 2 then 20, so 20 is the head of class 6.
    var heap = try Self.heap(.tlsf, pages: 40, holes: [(2, 6), (20, 6)])
    #expect(try heap.allocate(bytes: 1).firstPage == 20)  // the 1-page class is empty: up to class 6, head 20
    // 21+5 is now in class 5 on its own; the 6 at 2 stays.
    let structure = heap.freeStructure(limit: 10)
    #expect(structure.groups.map(\.label) == ["5", "6"])
    #expect(structure.groups.map { $0.entries.map(\.start) } == [[21], [2]])
    #expect(structure.notes == ["FL 2^2", "SL 2^2:0110"])
  }

  @Test func segregatedFitsTakeTheLowestRunThatFitsInTheRequestsClassElseTheNextClassUp() throws {
    // Class 4-7 has runs of 5 (at 2) and 7 (at 30); class 8-15 a run of 12 (at 12).
    let heap = try Self.heap(.segregated, pages: 40, holes: [(2, 5), (12, 12), (30, 7)])
    #expect(heap.spot(forPages: 6)?.start == 30, "the lowest in class 4-7 that holds 6")
    #expect(heap.spot(forPages: 5)?.start == 2)
    #expect(heap.spot(forPages: 8)?.start == 12)
    #expect(heap.spot(forPages: 2)?.start == 2, "classes 2-3 empty: the lowest run of the next class up")
    #expect(heap.spot(forPages: 13) == nil)
    #expect(heap.freeStructure(limit: 5).groups.map(\.label) == ["4-7", "8-15"])
  }

  @Test(arguments: [Policy.tlsf, .segregated])
  func defragLeavesOneRunInTheStructure(policy: Policy) throws {
    var heap = try Self.heap(policy, pages: 40, holes: [(2, 5), (12, 12), (30, 7)])
    heap.defragment()
    try heap.checkInvariants()
    #expect(
      heap.freeStructure(limit: 5).groups.flatMap(\.entries) == [FreeStructure.Entry(start: 16, length: 24)])
  }
}

extension SegregatedPolicyTests {
  /// The state file keeps TLSF's lists in their order, so that a loaded heap chooses as the
  /// session that saved it would have: with its history (whose check on load replays it)
  /// and without (a one-shot SHOW's load, or a history trimmed to its newest changes).
  @Test func theStateFileKeepsTheOrderOfTLSFsLists() throws {
    var session = Session(seed: 3)
    for line in [
      "NEW 1 60 policy=tlsf", "ALLOC 5", "ALLOC 6", "ALLOC 5", "ALLOC 6", "ALLOC 5", "DEALLOC 1", "DEALLOC 3",
    ] {
      _ = try session.execute(line)
    }
    let heap = try #require(session.heap)
    #expect(heap.spot(forPages: 5)?.start == 11, "3 was freed last: the head of the 5-page list")
    for history in [true, false] {
      let loaded = try #require(
        try StoredState.encode(session).withUnsafeBufferPointer { bytes throws(StoredStateError) in
          try StoredState.decode(bytes, history: history)
        })
      #expect(loaded.heap?.index.insertionOrder == heap.index.insertionOrder)
      #expect(loaded.heap?.spot(forPages: 5)?.start == 11, "not 0, the lowest, as lists built anew would say")
      try loaded.heap?.checkInvariants()
    }
  }

  /// A checkpoint's TLSF lists come back from their kept order built at once: the same
  /// lists as freeing the runs in that order; an order that is not one of the runs is refused.
  @Test func tlsfListsRebuiltFromTheirOrderAreTheListsKept() throws {
    var heap = try Self.heap(
      .tlsf, pages: 200, holes: [(0, 5), (20, 6), (40, 5), (60, 40), (120, 7), (150, 4)])
    try heap.deallocate(tag: heap.allocationsInAddressOrder()[3].tag)  // merges: a run moves to a head
    let kept = try #require(heap.index.insertionOrder)
    let rebuilt = try #require(TLSFIndex.restored(order: kept, in: heap))
    #expect(rebuilt.insertionOrder == kept)
    #expect(rebuilt.structure(in: heap, limit: 100) == heap.index.structure(in: heap, limit: 100))
    for pages in 1...40 {
      #expect(rebuilt.spot(forPages: pages, in: heap)?.start == heap.spot(forPages: pages)?.start)
    }
    #expect(rebuilt.violations(in: heap) == [])
    #expect(TLSFIndex.restored(order: kept.dropLast() + [kept[0]], in: heap) == nil)  // one twice
    #expect(TLSFIndex.restored(order: Array(kept.dropLast()), in: heap) == nil)  // one missing
    #expect(TLSFIndex.restored(order: kept.dropLast() + [1], in: heap) == nil)  // no run at page 1
  }
}
