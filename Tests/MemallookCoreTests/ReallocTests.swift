import Testing

@testable import MemallookCore

/// REALLOC's cases, checked by hand on small heaps (one byte a page, so M is a page count).
@Suite struct ReallocTests {
  /// A session on `NEW 1 N policy`, after `lines`.
  func session(_ pageCount: Int, _ policy: Policy = .first, _ lines: [String]) throws -> Session {
    var session = Session(seed: 1)
    _ = try session.apply(.new(pageSize: 1, pageCount: pageCount, policy: policy))
    for line in lines { _ = try session.execute(line) }
    return session
  }

  func grid(_ session: Session) -> String { String(session.heap!.show(width: 64).prefix { $0 != "\n" }) }

  @Test func shrinkingFreesTheTailInPlace() throws {
    var session = try session(10, .first, ["ALLOC 4", "ALLOC 2"])
    let reply = try #require(try session.execute("REALLOC 1 2"))
    #expect(reply.text == "reallocation succeeded")
    #expect(reply.detail == "tag 1: 4 pages to 2 pages, in place at page 0")
    #expect(grid(session) == "11..22....")
    try session.heap?.checkInvariants()
  }

  @Test func growingIntoTheFreeRunAfterItStaysInPlace() throws {
    var session = try session(10, .next, ["ALLOC 2", "ALLOC 2", "DEALLOC 2"])
    let cursor = session.heap!.counters.nextFitCursor
    _ = try session.execute("REALLOC 1 5")
    #expect(grid(session) == "11111.....")
    #expect(session.heap!.counters.nextFitCursor == cursor, "an in-place REALLOC leaves next fit's cursor")
  }

  @Test func growingWhereItCannotMovesToTheRunThePolicyPicksWithTheOldPagesHeld() throws {
    // 1 1 2 . . . 3 3 . .  : tag 1 to 3 pages cannot grow (tag 2 follows); first fit picks page 3.
    var session = try session(10, .first, ["ALLOC 2", "ALLOC 1", "ALLOC 6", "REALLOC 3 3"])
    #expect(grid(session) == "112333....")
    let reply = try #require(try session.execute("REALLOC 1 3"))
    #expect(reply.detail == "tag 1: 3 pages, moved from page 0 to page 6")
    #expect(grid(session) == "..2333111.")
    #expect(session.heap!.counters.nextFitCursor == 9, "a moving REALLOC sets next fit's cursor")
  }

  @Test func whenNothingFitsNothingChangesAndItCountsAsAFailure() throws {
    var session = try session(6, .first, ["ALLOC 2", "ALLOC 2"])
    let before = HeapState(session.heap!)
    #expect(
      throws: CommandError.reallocationFailed(
        tag: 1, bytes: 5, pagesNeeded: 5, pagesFree: 2, longestFreeRun: 2)
    ) {
      try session.execute("REALLOC 1 5")
    }
    #expect(session.heap!.allocationsInTagOrder == before.allocations)
    #expect(session.heap!.failedAllocations == 1)
    #expect(session.history.lastStep == 2, "a failed REALLOC is not a step")
  }

  @Test(arguments: ["9", "+1", "01"])
  func anUnknownTagIsRefusedWithTheReallocationWording(tag: String) throws {
    var session = try session(6, .first, ["ALLOC 2"])
    #expect(throws: CommandError.unknownTagToReallocate(tag)) {
      try session.apply(.realloc(tag: tag, bytes: 1))
    }
    #expect(CommandError.unknownTagToReallocate(tag).message == "reallocation failed, unknown tag")
  }

  @Test func theTagAndTheGlyphStayAndUndoPutsItBack() throws {
    var session = try session(10, .first, ["ALLOC 2", "ALLOC 1"])
    let before = HeapState(session.heap!)
    _ = try session.execute("REALLOC 1 4")
    #expect(session.heap?.allocation(tag: 1)?.glyph == "1")
    #expect(session.heap?.allocation(tag: 1)?.firstPage == 3)
    _ = try session.execute("UNDO")
    #expect(HeapState(session.heap!) == before)
    _ = try session.execute("REDO")
    #expect(session.heap?.allocation(tag: 1)?.firstPage == 3)
  }
}
