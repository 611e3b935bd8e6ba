import Testing

@testable import MemallookCore

/// A zoomed grid's cells come from a walk in address order (a small view) or a scan of
/// every allocation (a view of a quarter of the heap or more): the two give the same cells.
@Suite struct ShadingTests {
  @Test(arguments: [Policy.first, .best, .buddy, .tlsf])
  func aScanShadesEveryViewAsTheWalkDoes(policy: Policy) throws {
    var generator = TraceGenerator(seed: 11, operations: 4_000)
    generator.maxBytes = 900
    let trace = try generator.generate()
    var replayer = try TraceReplayer(
      settings: ReplaySettings(policy: policy, pageSize: 16, pageCount: 20_000), pageCount: 20_000)
    var random = SplitMix64(seed: 3)
    for (step, operation) in trace.operations.enumerated() {
      replayer.apply(operation)
      guard step % 400 == 399 else { continue }
      let heap = replayer.heap
      #expect(heap.liveAllocationCount > 0)
      // The whole heap, views from inside it, views past its end, one page a cell.
      for _ in 0..<6 {
        let pagesPerCell = Int(random.next(upperBound: 300 as UInt64)) + 1
        let firstPage = Int(random.next(upperBound: 21_000 as UInt64))
        let count = Int(random.next(upperBound: 400 as UInt64))
        for (from, perCell, cells) in [
          (firstPage, pagesPerCell, count), (0, 20_000 / 37 + 1, 37), (0, 1, 20_000), (19_990, 3, 10),
        ] {
          let walked = heap.shadedCellsWalking(from: from, pagesPerCell: perCell, count: cells)
          let scanned = heap.shadedCellsScanning(from: from, pagesPerCell: perCell, count: cells)
          #expect(scanned == walked, "step \(step): \(cells) cells of \(perCell) from \(from)")
          #expect(heap.shadedCells(from: from, pagesPerCell: perCell, count: cells) == walked)
        }
      }
    }
  }

  @Test func aCellHeldEquallyByTwoIsTheLowerOnes() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: 8)
    _ = try heap.allocate(bytes: 2)
    let higher = try heap.allocate(bytes: 2)
    try heap.deallocate(tag: 1)
    let lower = try heap.allocate(bytes: 2)  // tag 3 at page 0: after tag 2 in the tag table
    #expect(lower.firstPage == 0 && lower.tag > higher.tag)
    let cells = heap.shadedCellsScanning(from: 0, pagesPerCell: 4, count: 2)
    #expect(cells[0] == ShadedCell(pages: 4, usedPages: 4, owner: lower, isShared: true))
    #expect(cells[1] == ShadedCell(pages: 4, usedPages: 0, owner: nil, isShared: false))
    #expect(cells == heap.shadedCellsWalking(from: 0, pagesPerCell: 4, count: 2))
  }

  /// Cells of 2^40 pages and more, in a heap of 2^53 pages: no product or sum overflows.
  @Test func aScanOfTheLargestHeapShadesAsTheWalkDoes() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: Heap.maximumCount)
    for bytes in [3, 1 << 40, 7, (1 << 51) + 5, 1 << 44] { _ = try heap.allocate(bytes: bytes) }
    try heap.deallocate(tag: 2)
    for (perCell, count) in [(Heap.maximumCount / 4000 + 1, 4000), ((1 << 51) - 3, 5), (1 << 40, 1 << 13)] {
      #expect(
        heap.shadedCellsScanning(from: 0, pagesPerCell: perCell, count: count)
          == heap.shadedCellsWalking(from: 0, pagesPerCell: perCell, count: count))
    }
  }
}
