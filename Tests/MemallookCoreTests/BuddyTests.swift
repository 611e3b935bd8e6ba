import Foundation
import Testing

@testable import MemallookCore

/// The buddy system's cases, checked by hand (one byte a page, so M is a page count).
@Suite struct BuddyTests {
  func session(_ pageCount: Int, _ lines: [String]) throws -> Session {
    var session = Session(seed: 1)
    _ = try session.apply(.new(pageSize: 1, pageCount: pageCount, policy: .buddy))
    for line in lines { _ = try session.execute(line) }
    try session.heap?.checkInvariants()
    return session
  }

  func grid(_ session: Session) -> String {
    String(session.heap!.show(width: 128).prefix { $0 != "\n" })
  }

  func freeBlocks(_ session: Session) -> [String] {
    (session.heap!.index as! BuddyIndex).blocks.map { "\(1 << $0.order)@\($0.start)" }
  }

  /// A rebuilt index (a restored heap, a checkpoint) cuts the free runs greedily; it must
  /// find the blocks the splits and merges of every ALLOC and DEALLOC left.
  @Test(arguments: [1_000, 1_234, 4_096] as [Int])
  func theBlocksRebuiltFromTheFreeRunsAreTheBlocksKept(pageCount: Int) throws {
    var generator = TraceGenerator(seed: UInt64(pageCount), operations: 3_000)
    generator.maxBytes = 40
    let trace = try generator.generate()
    var replayer = try TraceReplayer(
      settings: ReplaySettings(policy: .buddy, pageSize: 1, pageCount: pageCount), pageCount: pageCount)
    for (step, operation) in trace.operations.enumerated() {
      replayer.apply(operation)
      guard step % 100 == 0 else { continue }
      let kept = (replayer.heap.index as! BuddyIndex).blocks
      #expect(BuddyIndex(for: replayer.heap).blocks.elementsEqual(kept) { $0 == $1 }, "step \(step)")
    }
  }

  @Test func theHeapIsCutIntoAlignedPowerOfTwoArenas() throws {
    #expect(freeBlocks(try session(100, [])) == ["64@0", "32@64", "4@96"])
  }

  @Test func aRequestTakesTheSmallestBlockLargeEnoughSplitKeepingTheLowerHalf() throws {
    let session = try session(16, ["ALLOC 3"])
    #expect(grid(session) == "1111............")
    #expect(freeBlocks(session) == ["4@4", "8@8"])
    #expect(
      session.heap!.metrics.internalFragmentationBytes == 1, "the block's fourth page was not asked for")
  }

  @Test func theSmallestFreeBlockWinsThenTheLowestAddress() throws {
    // 100 pages: arenas 64, 32, 4. Two pages come from the 4-page arena, not from the 64.
    let session = try session(100, ["ALLOC 2", "ALLOC 2", "ALLOC 2"])
    #expect(session.heap!.allocation(tag: 1)?.firstPage == 96)
    #expect(session.heap!.allocation(tag: 2)?.firstPage == 98)
    #expect(session.heap!.allocation(tag: 3)?.firstPage == 64)
  }

  @Test func aFreedBlockMergesWithItsBuddyAllTheWayUp() throws {
    var session = try session(16, ["ALLOC 1", "ALLOC 1", "ALLOC 4"])
    #expect(freeBlocks(session) == ["2@2", "8@8"])
    _ = try session.execute("DEALLOC 1")
    #expect(freeBlocks(session) == ["1@0", "2@2", "8@8"], "its buddy (page 1) is taken: no merge")
    _ = try session.execute("DEALLOC 2")
    #expect(freeBlocks(session) == ["4@0", "8@8"])
    _ = try session.execute("DEALLOC 3")
    #expect(freeBlocks(session) == ["16@0"])
    try session.heap?.checkInvariants()
  }

  @Test func arenasNeverMerge() throws {
    var session = try session(12, ["ALLOC 8", "ALLOC 4"])
    _ = try session.execute("DEALLOC 1")
    _ = try session.execute("DEALLOC 2")
    #expect(freeBlocks(session) == ["8@0", "4@8"])
    #expect(session.heap!.metrics.freeRuns == 1, "adjacent free blocks are one free run of pages")
    #expect(
      throws: CommandError.allocationFailed(bytes: 9, pagesNeeded: 16, pagesFree: 12, longestFreeRun: 12)
    ) {
      try session.execute("ALLOC 9")
    }
  }

  @Test func reallocKeepsABlockOfTheSameOrderElseMovesWithTheOldHeld() throws {
    var session = try session(16, ["ALLOC 3"])
    let same = try #require(try session.execute("REALLOC 1 4"))
    #expect(same.detail == "tag 1: 4 pages to 4 pages, in place at page 0")
    let moved = try #require(try session.execute("REALLOC 1 5"))
    #expect(moved.detail == "tag 1: 8 pages, moved from page 0 to page 8")
    #expect(freeBlocks(session) == ["8@0"])
    try session.heap?.checkInvariants()
  }

  @Test func defragIsRefusedAndSoIsSwitchingANonEmptyHeapToBuddy() throws {
    var session = try session(16, ["ALLOC 3"])
    #expect(throws: CommandError.refusedUnderBuddy("DEFRAG")) { try session.execute("DEFRAG") }
    _ = try session.execute("POLICY first")
    #expect(session.heap?.policy == .first, "leaving buddy is allowed")
    try session.heap?.checkInvariants()
    #expect(throws: CommandError.buddyNeedsAnEmptyHeap(live: 1)) { try session.execute("POLICY buddy") }
    _ = try session.execute("DEALLOC 1")
    _ = try session.execute("POLICY buddy")
    #expect(freeBlocks(session) == ["16@0"])
  }

  @Test func undoAndRedoThroughSplitsAndMergesGiveTheSameBlocks() throws {
    var session = try session(32, ["ALLOC 3", "ALLOC 5", "ALLOC 1", "DEALLOC 2", "REALLOC 1 7"])
    let end = freeBlocks(session)
    _ = try session.execute("GOTO 0")
    #expect(freeBlocks(session) == ["32@0"])
    _ = try session.execute("GOTO 5")
    #expect(freeBlocks(session) == end)
    try session.heap?.checkInvariants()
  }

  @Test func aStoredBuddyHeapLoadsWithItsBlocks() throws {
    let session = try session(100, ["ALLOC 3", "ALLOC 20", "DEALLOC 1"])
    let data = try JSONEncoder().encode(session)
    let loaded = try JSONDecoder().decode(Session.self, from: data)
    #expect(freeBlocks(loaded) == freeBlocks(session))
    try loaded.heap?.checkInvariants()
  }

  @Test func showNamesEveryBlock() throws {
    let session = try session(16, ["ALLOC 3", "ALLOC 1"])
    #expect(
      session.heap!.show() == """
        11112...........

        <Allocations by tag>
        1: 3 bytes, block of 4 pages at page 0
        2: 1 byte, block of 1 page at page 4

        <Free blocks>
        1 page at page 5
        2 pages at page 6
        8 pages at page 8
        """)
  }
}
