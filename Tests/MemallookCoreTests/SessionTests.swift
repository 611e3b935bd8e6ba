import Testing

@testable import MemallookCore

@Suite struct SessionTests {
  /// The exercise's example, command by command, with the replies of its CLI twin.
  @Test func theExercisesExampleReplyByReply() throws {
    var session = Session(seed: 7)
    let steps: [(String, String)] = [
      ("NEW p=16 N=64", "ok, buffer of size 1024 bytes created"),
      ("ALLOC 16", "ok, tag = \"1\""),
      ("ALLOC 2048", "allocation failed"),
      (
        "SHOW",
        "1...............\n................\n................\n................\n\n<Allocations by tag>\n1: 16 bytes"
      ),
      ("ALLOC 32", "ok, tag = \"2\""),
      (
        "SHOW",
        "122.............\n................\n................\n................\n\n<Allocations by tag>\n1: 16 bytes\n2: 32 bytes"
      ),
      ("DEALLOC tag=1", "deallocation succeeded"),
      ("DEALLOC tag=99", "deallocation failed, unknown tag"),
      (
        "SHOW",
        ".22.............\n................\n................\n................\n\n<Allocations by tag>\n2: 32 bytes"
      ),
      ("DEFRAG", "defragmentation complete"),
      (
        "SHOW",
        "22..............\n................\n................\n................\n\n<Allocations by tag>\n2: 32 bytes"
      ),
    ]
    for (line, expected) in steps {
      let text: String
      do {
        text = try #require(try session.execute(line)).text
      } catch let error as CommandError {
        text = error.message
      }
      #expect(text == expected, "\(line)")
      try session.heap?.checkInvariants()
    }
  }

  @Test(arguments: ["ALLOC 16", "DEALLOC 1", "SHOW", "DEFRAG", "STATS", "POLICY best"])
  func everyOperationBeforeNewIsAnError(line: String) {
    var session = Session(seed: 1)
    #expect(throws: CommandError.noHeap) { try session.execute(line) }
  }

  @Test func resetAndHelpWorkWithoutAHeap() throws {
    var session = Session(seed: 1)
    #expect(try session.execute("RESET") == .cleared(hadHeap: false))
    #expect(try session.execute("HELP") == .help)
  }

  @Test func aSecondNewIsANoOpThatNamesTheExistingHeap() throws {
    var session = Session(seed: 3)
    guard case .created(let first) = try session.execute("NEW 16 64") else { Issue.record(); return }
    _ = try session.execute("ALLOC 16")
    #expect(try session.execute("NEW 32 8 policy=best") == .alreadyCreated(first))
    #expect(session.heap?.liveAllocationCount == 1)
    #expect(session.heap?.policy == .first)
  }

  @Test func heapIdsAreInRangeAndReproducibleFromTheSeed() throws {
    var ids: Set<String> = []
    for seed in 0..<200 as Range<UInt64> {
      var a = Session(seed: seed)
      var b = Session(seed: seed)
      guard case .created(let heap) = try a.execute("NEW 1 1"),
        case .created(let same) = try b.execute("NEW 1 1")
      else { Issue.record(); return }
      #expect(heap.id == same.id)
      let number = try #require(Int(heap.id.dropFirst(5)))
      #expect(heap.id.hasPrefix("HEAP-") && (100...999).contains(number))
      ids.insert(heap.id)
    }
    #expect(ids.count > 100)
  }

  @Test func tagsRestartAtOneAfterReset() throws {
    var session = Session(seed: 1)
    _ = try session.execute("NEW 16 64")
    _ = try session.execute("ALLOC 1")
    _ = try session.execute("ALLOC 1")
    _ = try session.execute("RESET")
    #expect(throws: CommandError.noHeap) { try session.execute("ALLOC 1") }
    _ = try session.execute("NEW 16 64")
    guard case .allocated(let allocation) = try session.execute("ALLOC 1") else { Issue.record(); return }
    #expect(allocation.tag == 1)
  }

  @Test func tagsAreNeverReusedWithinAHeap() throws {
    var session = Session(seed: 1)
    _ = try session.execute("NEW 1 4")
    for expected in 1...20 {
      guard case .allocated(let allocation) = try session.execute("ALLOC 4") else { Issue.record(); return }
      #expect(allocation.tag == expected)
      _ = try session.execute("DEALLOC \(expected)")
    }
  }

  @Test(arguments: ["abc", "0", "-1", "1.0"])
  func aTagThatIsNotANumberIsUnknown(tag: String) throws {
    var session = Session(seed: 1)
    _ = try session.execute("NEW 16 64")
    #expect(throws: CommandError.unknownTag(tag)) { try session.apply(.dealloc(tag: tag)) }
  }

  @Test func aParseErrorIsReportedAsSyntax() {
    var session = Session(seed: 1)
    #expect(throws: CommandError.syntax(ParseError("ALLOC needs M (usage: ALLOC M)", column: 6))) {
      try session.execute("ALLOC")
    }
  }

  @Test(arguments: ["+1", "01", "0003", "1.0", " 1", "1 ", "-1", "0"])
  func aTagIsMatchedAsTheStringItIs(text: String) throws {
    var session = Session(seed: 1)
    _ = try session.execute("NEW 16 64")
    for _ in 1...3 { _ = try session.execute("ALLOC 16") }
    #expect(throws: CommandError.unknownTag(text)) { try session.apply(.dealloc(tag: text)) }
    #expect(session.heap?.liveAllocationCount == 3)
  }

  /// A tag's text is a positive number as `String(tag)` writes it, up to the largest `Int`.
  @Test(
    arguments: [
      ("1", 1), ("42", 42), ("9223372036854775807", Int.max), ("9223372036854775808", nil),
      ("99999999999999999999", nil), ("", nil), ("0", nil), ("+1", nil), ("01", nil), ("-1", nil),
      ("1.0", nil), ("1 ", nil), ("\u{661}", nil), ("1\u{300}", nil),
    ] as [(String, Int?)])
  func theTagATextNames(text: String, tag: Int?) {
    #expect(Allocation.tag(named: text) == tag)
  }
}
