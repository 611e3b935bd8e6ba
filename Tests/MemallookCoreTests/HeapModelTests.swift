import Testing

@testable import MemallookCore

/// Seeded random operation sequences: the indexed heap must keep its invariants
/// after every step and agree with the one-owner-per-page reference model.
@Suite struct HeapModelTests {
  @Test(arguments: Policy.allCases, [1, 2, 3, 4] as [UInt64])
  func randomOperationsAgreeWithTheReferenceModel(policy: Policy, seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    let pageCount = [1, 7, 64, 300][Int(seed % 4)]
    let pageSize = [1, 16, 4096][Int(seed % 3)]
    var heap = try Heap(id: "HEAP-100", pageSize: pageSize, pageCount: pageCount, policy: policy)
    // Seeds 3 and 4 play on a heap that keeps no map by first page (each walk builds its
    // own); seed 3 (300 pages) turns it on halfway, built from the allocations then live.
    heap.mapsFirstPages = seed <= 2
    var model = ReferenceHeap(pageSize: pageSize, pageCount: pageCount, policy: policy)
    var live: [Int] = []
    for step in 0..<3_000 {
      if seed == 3, step == 1_500 {
        #expect(!live.isEmpty)
        heap.mapsFirstPages = true
      }
      let roll = random.next(upperBound: 100 as UInt64)
      if roll < 55 {
        let bytes = 1 + Int(random.next(upperBound: UInt64(pageSize * max(1, pageCount / 6))))
        let expected = model.allocate(bytes: bytes)
        let actual = try? heap.allocate(bytes: bytes)
        #expect(actual?.tag == expected?.tag, "step \(step): ALLOC \(bytes)")
        #expect(actual?.firstPage == expected?.firstPage, "step \(step): ALLOC \(bytes)")
        if let actual { live.append(actual.tag) }
      } else if roll < 70, !live.isEmpty {
        let tag = live[Int(random.next(upperBound: UInt64(live.count)))]
        let bytes = 1 + Int(random.next(upperBound: UInt64(pageSize * max(1, pageCount / 5))))
        let expected = model.reallocate(tag: tag, bytes: bytes)
        let actual = try? heap.reallocate(tag: tag, bytes: bytes)
        #expect(actual?.to.firstPage == expected, "step \(step): REALLOC \(tag) \(bytes)")
      } else if roll < 95, !live.isEmpty {
        let tag = live.remove(at: Int(random.next(upperBound: UInt64(live.count))))
        let modelFreed = model.deallocate(tag: tag)
        #expect(modelFreed)
        #expect((try? heap.deallocate(tag: tag))?.tag == tag)
      } else if roll < 97 {
        let unknown = heap.nextTag + 5
        #expect(throws: CommandError.unknownTag(String(unknown))) { try heap.deallocate(tag: unknown) }
      } else if policy != .buddy {
        model.defragment()
        heap.defragment()
      }
      try heap.checkInvariants()
      #expect(heap.mapsFirstPages == (seed <= 2 || seed == 3 && step >= 1_500), "DEFRAG keeps it as it was")
      #expect(heap.pageOwners == model.owners, "step \(step)")
      guard heap.pageOwners == model.owners else { return }
      // Walks that start mid-heap: from the free run before the page, past the allocations before it.
      let page = Int(random.next(upperBound: UInt64(pageCount)))
      #expect(heap.owner(ofPage: page)?.tag == model.owners[page], "step \(step): owner of \(page)")
      let ownersFromPage = model.owners[page...].compactMap { $0 }
      let expectedTags = ownersFromPage.enumerated().filter {
        $0.offset == 0 || ownersFromPage[$0.offset - 1] != $0.element
      }
      #expect(
        heap.allocationsInAddressOrder(from: page).map(\.tag) == expectedTags.map(\.element), "step \(step)")
    }
  }

  /// Small allocations on a larger heap: hundreds of free runs, so the runs' tree has
  /// inner nodes and a freed range or a shortened run is mostly changed in one descent
  /// (`SearchTree+FreeRuns`), its neighbours sometimes in the next leaf.
  @Test(arguments: Policy.allCases)
  func manyFreeRunsAgreeWithTheReferenceModel(policy: Policy) throws {
    var random = SplitMix64(seed: 11)
    let pageCount = 2_048
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: pageCount, policy: policy)
    var model = ReferenceHeap(pageSize: 1, pageCount: pageCount, policy: policy)
    var live: [Int] = []
    var mostRuns = 0
    for step in 0..<4_000 {
      // Filled with single pages first, then holes punched at random and filled again.
      if step < 1_500 || (live.count < 900 && random.next(upperBound: 2 as UInt64) == 0) {
        let bytes = step < 1_500 ? 1 : 1 + Int(random.next(upperBound: 3 as UInt64))
        let expected = model.allocate(bytes: bytes)
        let actual = try? heap.allocate(bytes: bytes)
        #expect(actual?.firstPage == expected?.firstPage, "step \(step): ALLOC \(bytes)")
        if let actual { live.append(actual.tag) }
      } else {
        let tag = live.remove(at: Int(random.next(upperBound: UInt64(live.count))))
        let modelFreed = model.deallocate(tag: tag)
        #expect(modelFreed)
        #expect((try? heap.deallocate(tag: tag))?.tag == tag)
      }
      mostRuns = max(mostRuns, heap.freeRunsByStart.count)
      if step % 40 == 0 {
        try heap.checkInvariants()
        #expect(heap.pageOwners == model.owners, "step \(step)")
        guard heap.pageOwners == model.owners else { return }
      }
    }
    #expect(mostRuns > 2 * SearchTree<Int>.fanout, "the runs' tree had inner nodes")
  }

  /// With no free run before a page, a walk starts from the anchor before it (one tag in 64).
  @Test func walksStartAnywhereInAHeapWithoutFreeRuns() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: 1_000)
    for _ in 0..<1_000 { _ = try heap.allocate(bytes: 1) }
    for tag in stride(from: 3, to: 1_000, by: 7) { try heap.deallocate(tag: tag) }
    heap.defragment()  // every allocation moves, anchors too; the free pages end the heap
    try heap.checkInvariants()
    let inOrder = heap.allocationsInAddressOrder()
    for (index, allocation) in inOrder.enumerated() {
      #expect(heap.owner(ofPage: allocation.firstPage) == allocation)
      #expect(heap.allocationsInAddressOrder(from: allocation.firstPage).first == allocation)
      #expect(heap.allocationsInAddressOrder(from: allocation.firstPage).count == inOrder.count - index)
    }
    #expect(heap.owner(ofPage: inOrder.count) == nil)
  }

  @Test(arguments: Policy.allCases)
  func changingPolicyMidwayKeepsTheInvariants(policy: Policy) throws {
    var random = SplitMix64(seed: 99)
    var heap = try Heap(id: "HEAP-100", pageSize: 8, pageCount: 500)
    var live: [Int] = []
    for step in 0..<2_000 {
      if step % 100 == 0 {
        let next = step % 200 == 0 ? policy : .first
        do {
          try heap.setPolicy(next)
        } catch {
          #expect(next == .buddy && heap.liveAllocationCount > 0, "only buddy on a non-empty heap is refused")
        }
      }
      if random.next(upperBound: 2 as UInt64) == 0 || live.isEmpty {
        if let allocation = try? heap.allocate(bytes: 1 + Int(random.next(upperBound: 200 as UInt64))) {
          live.append(allocation.tag)
        }
      } else {
        try heap.deallocate(tag: live.remove(at: Int(random.next(upperBound: UInt64(live.count)))))
      }
      try heap.checkInvariants()
    }
  }

  @Test(arguments: [5, 6, 7] as [UInt64])
  func defragMoveByMoveReachesTheSameHeapAsDefragAtOnce(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    var heap = try Heap(id: "HEAP-100", pageSize: 4, pageCount: 400)
    var live: [Int] = []
    for _ in 0..<300 {
      if random.next(upperBound: 3 as UInt64) < 2 || live.isEmpty {
        if let allocation = try? heap.allocate(bytes: 1 + Int(random.next(upperBound: 40 as UInt64))) {
          live.append(allocation.tag)
        }
      } else {
        try heap.deallocate(tag: live.remove(at: Int(random.next(upperBound: UInt64(live.count)))))
      }
    }
    var stepped = heap
    var atOnce = heap
    let plan = heap.defragPlan()
    #expect(!plan.isEmpty)
    for move in plan {
      #expect(stepped.nextDefragMove() == move, "the next move, computed from the live heap, is the plan's")
      #expect(stepped.defragment(moves: 1) == [move])
      try stepped.checkInvariants()
    }
    #expect(stepped.nextDefragMove() == nil)
    let moves = atOnce.defragment()
    #expect(moves == plan)
    try atOnce.checkInvariants()
    #expect(stepped.pageOwners == atOnce.pageOwners)
    #expect(atOnce.freeRuns.count == 1)
    #expect(atOnce.defragPlan().isEmpty)
  }

  @Test func eachStepMovesTheAllocationAfterTheFirstGapIntoIt() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: 10)
    _ = try heap.allocate(bytes: 2)  // tag 1 at 0
    _ = try heap.allocate(bytes: 2)  // tag 2 at 2
    _ = try heap.allocate(bytes: 3)  // tag 3 at 4
    try heap.deallocate(tag: 1)
    #expect(heap.defragment(moves: 1) == [Move(tag: 2, from: 2, to: 0, pageCount: 2)])
    #expect(heap.nextDefragMove() == Move(tag: 3, from: 4, to: 2, pageCount: 3))
    _ = try heap.allocate(bytes: 2)  // tag 4 fills the gap: nothing is left to move
    #expect(heap.nextDefragMove() == nil)
    #expect(heap.defragment(moves: 5).isEmpty)
    try heap.checkInvariants()
  }
}
