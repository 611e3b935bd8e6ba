import Testing

@testable import MemallookCore

@Suite struct PlacementTests {
  /// Free runs of 3, 1, 5 and 2 pages, separated by one-page allocations:
  /// `...x.x.....x..x` with p = 1.
  func fragmentedHeap(_ policy: Policy) throws -> Heap {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: 15, policy: policy)
    let sizes = [3, 1, 1, 1, 5, 1, 2, 1]
    var tags: [Int] = []
    for size in sizes { tags.append(try heap.allocate(bytes: size).tag) }
    for index in stride(from: 0, to: sizes.count, by: 2) { try heap.deallocate(tag: tags[index]) }
    #expect(heap.freeRuns.map(\.length) == [3, 1, 5, 2])
    return heap
  }

  @Test(arguments: [
    (Policy.first, 2, 0), (.first, 4, 6), (.best, 1, 4), (.best, 2, 12), (.best, 4, 6),
    (.worst, 1, 6), (.worst, 5, 6), (.next, 2, 0),
  ])
  func policyPicksTheExpectedRun(policy: Policy, pages: Int, firstPage: Int) throws {
    var heap = try fragmentedHeap(policy)
    #expect(try heap.allocate(bytes: pages).firstPage == firstPage)
  }

  /// A policy that says it searches the runs by start describes its search (ALLOC then takes
  /// the run in one descent), one that does not answers `spot` itself; and the preview of
  /// each ALLOC is where it lands.
  @Test(arguments: Policy.allCases)
  func aPolicySearchesTheRunsByStartWhenItSaysSo(policy: Policy) throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: 64, policy: policy)
    let tags = try [3, 1, 4, 2, 5, 1].map { try heap.allocate(bytes: $0).tag }
    for tag in [tags[0], tags[2]] { try heap.deallocate(tag: tag) }
    let searches = type(of: heap.index).searchesFirstRun
    #expect((heap.index.firstRunSearch(forPages: 1, in: heap) != nil) == searches)
    if searches { #expect(type(of: heap.index).pagesHeld(for: 3) == 3) }
    for pages in [1, 2, 3, 4, 5, 1, 1] {
      let preview = try heap.allocationSpot(bytes: pages)
      let allocation = try heap.allocate(bytes: pages)
      #expect(
        (allocation.firstPage, allocation.pageCount) == (preview.start, preview.pages), "\(pages) pages")
      try heap.checkInvariants()
    }
  }

  @Test func nextFitResumesAfterThePreviousAllocationAndWraps() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: 10, policy: .next)
    let a = try heap.allocate(bytes: 2)  // 0-1
    _ = try heap.allocate(bytes: 2)  // 2-3
    try heap.deallocate(tag: a.tag)
    #expect(try heap.allocate(bytes: 2).firstPage == 4)  // not back at 0
    #expect(try heap.allocate(bytes: 4).firstPage == 6)
    #expect(try heap.allocate(bytes: 2).firstPage == 0)  // wrapped
  }

  @Test func worstFitBreaksTiesByLowestAddress() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: 9, policy: .worst)
    let tags = try [4, 1, 4].map { try heap.allocate(bytes: $0).tag }
    try heap.deallocate(tag: tags[0])
    try heap.deallocate(tag: tags[2])
    #expect(try heap.allocate(bytes: 1).firstPage == 0)
  }

  @Test func aFailedAllocChangesNothingAndConsumesNoTag() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 16, pageCount: 4)
    _ = try heap.allocate(bytes: 16)
    let shown = heap.show()
    #expect(throws: CommandError.allocationFailed(bytes: 64, pagesNeeded: 4, pagesFree: 3, longestFreeRun: 3))
    {
      try heap.allocate(bytes: 64)
    }
    #expect(heap.show() == shown)
    #expect(try heap.allocate(bytes: 1).tag == 2)
    #expect(heap.failedAllocations == 1)
  }

  @Test func freedPagesMergeWithBothNeighbours() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: 6)
    let tags = try (0..<3).map { _ in try heap.allocate(bytes: 2).tag }
    try heap.deallocate(tag: tags[0])
    try heap.deallocate(tag: tags[2])
    #expect(heap.freeRuns.count == 2)
    try heap.deallocate(tag: tags[1])
    #expect(heap.freeRuns.map(\.length) == [6])
    try heap.checkInvariants()
  }

  @Test func aHugeHeapCostsNothingUntilUsed() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 4096, pageCount: 1 << 32)
    let allocation = try heap.allocate(bytes: 1 << 40)
    #expect(allocation.pageCount == 1 << 28)
    #expect(heap.freeRuns.count == 1)
    try heap.checkInvariants()
  }

  @Test(arguments: [(0, 64, "p"), (16, 0, "N"), (-1, 64, "p")])
  func newRejectsNonPositiveSizes(pageSize: Int, pageCount: Int, name: String) {
    #expect(throws: CommandError.self) { try Heap(id: "HEAP-100", pageSize: pageSize, pageCount: pageCount) }
  }

  @Test func newRejectsAnOverflowingSize() {
    #expect(throws: CommandError.heapTooLarge(pageSize: 1 << 32, pageCount: 1 << 32)) {
      try Heap(id: "HEAP-100", pageSize: 1 << 32, pageCount: 1 << 32)
    }
  }

  @Test func aNegativeTagNamesNoAllocationAndFreeingItChangesNothing() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 16, pageCount: 4)
    let allocation = try heap.allocate(bytes: 16)
    #expect(heap.allocation(tag: -1) == nil)
    #expect(throws: CommandError.unknownTag("-1")) { try heap.deallocate(tag: -1) }
    #expect(heap.allocation(tag: allocation.tag) == allocation)
    try heap.checkInvariants()
  }
}
