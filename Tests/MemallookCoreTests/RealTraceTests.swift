import Testing

@testable import MemallookCore

/// Real traces replay as they are: what a capture of a real program contains is played as
/// C's allocator would take it, and counted; `strict` refuses each, at its line.
@Suite struct RealTraceTests {
  /// One of each: free(NULL), a free of an id never allocated, a realloc of nothing, a
  /// realloc to 0, malloc(0), an alloc of a live id, and a double free.
  static let capture = """
    100
    6
    9
    1
    f -1
    f 3
    r 4 32
    a 0 16
    a 0 48
    r 0 0
    a 1 0
    f 1
    f 1
    """

  @Test func eachThingARealTraceContainsIsPlayedAndCounted() throws {
    let trace = try Trace(parsing: Array(Self.capture.utf8))
    let summary = try trace.replay(ReplaySettings(policy: .first, pageSize: 16, pageCount: 64))
    #expect(summary.counts.nullFrees == 1)
    #expect(summary.counts.skippedFrees == 2, "f 3 (never allocated) and the second f 1")
    #expect(summary.counts.reallocsOfNothing == 1)
    #expect(summary.counts.reallocsToZero == 1)
    #expect(summary.counts.zeroSizes == 1)
    #expect(summary.counts.allocsOfLiveIDs == 1)
    #expect(summary.final.liveAllocations == 1, "r 4 32 made the only block left")
    #expect(summary.final.pagesInUse == 2)
    #expect(summary.firstFailureOp == nil && summary.final.failed == 0)
  }

  @Test(arguments: [
    ("f -1", "free of id -1, C's NULL"), ("f 3", "free of id 3, which was never allocated"),
    ("r 4 32", "realloc of id 4, which was never allocated"),
    ("a 0 0", "a size must be at least 1 byte, not 0"),
  ])
  func strictRefusesEachAtItsLine(line: String, message: String) {
    let text = "100\n6\n1\n1\n" + line + "\n"
    #expect((try? Trace(parsing: Array(text.utf8))) != nil, "as it is, \(line) reads")
    do {
      _ = try Trace(parsing: Array(text.utf8), strict: true)
      Issue.record("\(line) read strictly")
    } catch {
      #expect(error.line == 5 && error.message == message)
    }
  }

  @Test func aMalformedLineIsAnErrorInBothModes() {
    for strict in [false, true] {
      #expect(throws: TraceError(line: 5, problem: .unknownOperation("x"))) {
        try Trace(parsing: Array("1\n1\n1\n1\nx 1 2\n".utf8), strict: strict)
      }
      #expect(throws: TraceError(line: 5, problem: .badNumber(what: "a size in bytes", found: "-5"))) {
        try Trace(parsing: Array("1\n1\n1\n1\na 0 -5\n".utf8), strict: strict)
      }
    }
  }

  /// A fifth number after a .rep header is named as one, not as an operation.
  @Test func aFifthHeaderNumberIsSaidToBeOne() {
    #expect(throws: TraceError(line: 5, problem: .extraHeaderNumber("5"))) {
      try Trace(parsing: Array("100\n2\n2\n1\n5\na 0 16\nf 0\n".utf8))
    }
    #expect(
      TraceError(line: 5, problem: .extraHeaderNumber("5")).message
        == "a fifth header number \"5\": a .rep header has 4 (suggested heap size, ids, operations, weight), "
        + "then operations a, f or r")
  }

  /// An empty OSTEP item between two commas is an error; spaces after a comma are not.
  @Test(arguments: ["+10,,+5", "+10, ,+5", "+10,\n,+5"])
  func anEmptyOSTEPItemIsAnError(list: String) {
    #expect(throws: TraceError.self) { try Trace(parsing: Array(list.utf8)) }
  }

  @Test(arguments: ["+10, +5", "+10,\n+5,-0", "+10 +5", "+10,-0,"])
  func separatorsMayBeSpacedOrEndTheList(list: String) throws {
    #expect(try Trace(parsing: Array(list.utf8)).operations.count >= 2)
  }

  /// glibc's mtrace log, recognised by its content: addresses become ids (reused once freed).
  @Test func anMtraceLogIsAThirdFormat() throws {
    let log = """
      = Start
      @ ./prog:[0x4005a6] + 0x1b3e010 0x14
      @ ./prog:[0x4005b4] + 0x1b3e030 0x100
      @ ./prog:(main+0x2a)[0x4005c0] - 0x1b3e010
      @ ./prog:[0x4005c8] < 0x1b3e030
      @ ./prog:[0x4005c8] > 0x1b3e500 0x200
      @ ./prog:[0x4005d0] - 0x7f0000000010
      @ ./prog:[0x4005d8] + 0x1b3e010 0x8
      = End
      """
    let trace = try Trace(parsing: Array(log.utf8))
    #expect(Trace.detectFormat(Array(log.utf8)) == .mtrace)
    #expect(
      trace.operations == [
        .alloc(id: 0, bytes: 20), .alloc(id: 1, bytes: 256), .free(id: 0), .realloc(id: 1, bytes: 512),
        .free(id: 0), .alloc(id: 0, bytes: 8),
      ])
    let summary = try trace.replay(ReplaySettings(pageSize: 16))
    #expect(summary.counts.skippedFrees == 1, "the free of a block from before the log")
  }

  /// `replay` streams: a trace fed a byte at a time reads as the whole.
  @Test func theParserReadsAStreamInAnyChunks() throws {
    var parser = TraceParser(strict: false)
    var operations: [Trace.Operation] = []
    func collect(_ operation: Trace.Operation, _: Int) throws(TraceError) { operations.append(operation) }
    for byte in Array(Self.capture.utf8) {
      try [byte].withUnsafeBufferPointer { buffer throws(TraceError) in try parser.read(buffer, collect) }
    }
    try parser.finish(collect)
    #expect(operations == Array(try Trace(parsing: Array(Self.capture.utf8)).operations))
    #expect(parser.header?.operationCount == 9)
  }

  @Test func aLongTimelineKeepsAtMostItsLimitAndSaysItsInterval() throws {
    let trace = try Trace(operations: (0..<25_000).map { .alloc(id: $0, bytes: 1) })
    let summary = try trace.replay(ReplaySettings(pageSize: 1, pageCount: 30_000, timelineInterval: 1))
    #expect(summary.timeline!.count <= TraceReplayer.maximumTimelinePoints)
    #expect(summary.timelineInterval == 4 && summary.timeline!.first?.op == 4)
  }
}
