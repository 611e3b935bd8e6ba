import Testing

@testable import MemallookCore

@Suite struct ReplyTests {
  static let heap = HeapSummary(id: "HEAP-123", pageSize: 16, pageCount: 64, policy: .first)
  static let allocation = Allocation(tag: 1, bytes: 16, firstPage: 0, pageCount: 1, glyph: "1")

  @Test(
    arguments: [
      (
        Reply.created(heap), "ok, buffer of size 1024 bytes created",
        "heap HEAP-123: 64 pages of 16 bytes, first fit"
      ),
      (
        .alreadyCreated(heap), "ok, heap HEAP-123 already exists (buffer of size 1024 bytes); NEW ignored",
        "heap HEAP-123: 64 pages of 16 bytes, first fit"
      ),
      (.allocated(allocation), "ok, tag = \"1\"", "1 page from page 0"),
      (
        .allocated(Allocation(tag: 10, bytes: 40, firstPage: 3, pageCount: 3, glyph: "a")),
        "ok, tag = \"10\"",
        "3 pages from page 3, drawn as \"a\""
      ),
      (.deallocated(allocation), "deallocation succeeded", "tag 1: 1 page freed from page 0"),
      (.cleared(hadHeap: true), "ok, heap cleared", nil),
      (.cleared(hadHeap: false), "ok, there was no heap to clear", nil),
      (.defragmented([], complete: true), "defragmentation complete", "nothing to move"),
      (
        .defragmented([Move(tag: 2, from: 10, to: 0, pageCount: 2)], complete: true),
        "defragmentation complete", "1 allocation moved"
      ),
      (
        .defragmented([Move(tag: 2, from: 10, to: 0, pageCount: 2)], complete: false),
        "defragmentation in progress", "1 allocation moved; more to move (DEFRAG again)"
      ),
      (.policySet(.best), "ok, policy = best fit", nil),
    ] as [(Reply, String, String?)])
  func replyWording(reply: Reply, text: String, detail: String?) {
    #expect(reply.text == text)
    #expect(reply.detail == detail)
    var bytes: [UInt8] = []
    reply.appendText(to: &bytes)
    #expect(bytes == Array(text.utf8), "the bytes `run` writes are the text")
    var detailBytes: [UInt8] = []
    #expect(reply.appendDetail(to: &detailBytes, prefix: "  ") == (detail != nil))
    #expect(detailBytes == (detail.map { Array("  \($0)".utf8) } ?? []))
  }

  /// The longest details (every number as long as an `Int` is written) after no prefix,
  /// `run`'s prefix, the longest prefix that shares their line, and one byte longer.
  @Test(arguments: [Int.max, Int.min])
  func theLongestDetailsAfterAnyPrefix(number: Int) {
    let allocation = Allocation(tag: number, bytes: number, firstPage: number, pageCount: number, glyph: "A")
    #expect(Reply.deallocated(allocation).detail!.utf8.count <= Reply.longestShortDetail)
    #expect(Reply.allocated(allocation).detail!.utf8.count <= Reply.longestShortDetail)
    let prefixes: [StaticString] = [
      "", "  ", "> > > > > > > > > > > > > > > > > > > >", "> > > > > > > > > > > > > > > > > > > > ",
    ]
    #expect(prefixes[2].utf8CodeUnitCount == ShortLine.capacity - Reply.longestShortDetail)
    for reply in [Reply.allocated(allocation), .deallocated(allocation)] {
      for prefix in prefixes {
        var bytes: [UInt8] = []
        #expect(reply.appendDetail(to: &bytes, prefix: prefix))
        #expect(String(decoding: bytes, as: UTF8.self) == "\(prefix)" + reply.detail!)
      }
    }
  }

  /// The bytes `run` writes for the replies it writes most are `text` and `detail`, for every
  /// glyph case: tags drawn as their digit, as a letter, and a digit glyph taken by another tag.
  @Test func appendedBytesAreTheTextAndDetailOfEveryAllocation() throws {
    var session = Session(seed: 3)
    _ = try session.apply(.new(pageSize: 16, pageCount: 4096))
    var replies: [Reply] = []
    for round in 0..<3 {
      for bytes in 1...80 { replies.append(try session.apply(.alloc(bytes: bytes * (round + 1)))) }
      for tag in stride(from: 1 + 80 * round, through: 80 * (round + 1), by: 3) {
        replies.append(try session.apply(.dealloc(tag: String(tag))))
      }
    }
    for reply in replies {
      var text: [UInt8] = []
      reply.appendText(to: &text)
      #expect(text == Array(reply.text.utf8))
      var detail: [UInt8] = []
      #expect(reply.appendDetail(to: &detail))
      #expect(detail == Array((reply.detail ?? "").utf8))
    }
  }

  @Test(
    arguments: [
      (CommandError.noHeap, "no heap: run NEW p N first", nil, false, "no_heap"),
      (
        .allocationFailed(bytes: 2048, pagesNeeded: 128, pagesFree: 63, longestFreeRun: 60),
        "allocation failed",
        "2048 bytes need 128 pages; 63 pages free, longest free run 60 pages", false, "allocation_failed"
      ),
      (
        .allocationFailed(bytes: 1, pagesNeeded: 1, pagesFree: 0, longestFreeRun: 0),
        "allocation failed", "1 byte needs 1 page; 0 pages free, longest free run 0 pages", false,
        "allocation_failed"
      ),
      (
        .unknownTag("99"), "deallocation failed, unknown tag", "no live allocation has tag \"99\"", false,
        "unknown_tag"
      ),
      (
        .unknownTag("\u{1B}]0;x\u{07}"), "deallocation failed, unknown tag",
        "no live allocation has tag \"\\x1B]0;x\\x07\"", false, "unknown_tag"
      ),
      (
        .invalidParameter(name: "M", value: "0", expected: Expectation.bytes),
        "invalid M \"0\": expected a positive whole number of bytes", nil, true, "invalid_parameter"
      ),
      (
        .heapTooLarge(pageSize: 16, pageCount: 1 << 62),
        "heap too large: 16 bytes * 4611686018427387904 pages overflows a 64-bit size", nil, true,
        "heap_too_large"
      ),
      (
        .syntax(ParseError("unknown command \"X\"", column: 1)), "unknown command \"X\"", nil, true,
        "syntax_error"
      ),
    ] as [(CommandError, String, String?, Bool, String)])
  func errorWording(error: CommandError, message: String, detail: String?, isUsage: Bool, code: String) {
    #expect(error.message == message)
    #expect(error.detail == detail)
    #expect(error.isUsageError == isUsage)
    #expect(error.code == code)
  }

  @Test func statsText() throws {
    var session = Session(seed: 1)
    _ = try session.execute("NEW 16 64")
    _ = try session.execute("ALLOC 20")
    _ = try session.execute("ALLOC 16")
    _ = try session.execute("DEALLOC 1")
    _ = try? session.execute("ALLOC 4096")
    let reply = try #require(try session.execute("STATS"))
    let id = try #require(session.heap?.id)
    #expect(
      reply.text == """
        heap \(id): 64 pages of 16 bytes, first fit
        pages: 1 used, 63 free of 64 (peak 3 used)
        bytes: 16 requested, 16 reserved (internal fragmentation 0 bytes, 0.0%)
        free runs: 2, longest 61 pages (external fragmentation 3.2%)
        allocations: 1 live, 1 failed
        """)
  }
}
