import Testing

@testable import MemallookCore

/// Reading and writing `.rep` and OSTEP traces, and every way a trace can be malformed
/// (read strictly here; `RealTraceTests` reads them as they are).
@Suite struct TraceFormatTests {
  static let small = "100\n3\n5\n1\na 0 16\na 1 32\nf 0\na 2 48\nr 1 64\n"

  func parse(_ text: String, _ format: Trace.Format? = nil, strict: Bool = true) throws(TraceError) -> Trace {
    try Trace(parsing: Array(text.utf8), format: format, strict: strict)
  }

  @Test func aRepTraceReadsItsHeaderAndOperations() throws {
    let trace = try parse(Self.small)
    #expect(trace.suggestedHeapSize == 100 && trace.idCount == 3 && trace.weight == 1)
    #expect(
      trace.operations == [
        .alloc(id: 0, bytes: 16), .alloc(id: 1, bytes: 32), .free(id: 0), .alloc(id: 2, bytes: 48),
        .realloc(id: 1, bytes: 64),
      ])
    #expect(trace.repText == Self.small, "written back byte for byte")
  }

  @Test func crlfBlankLinesAndAHeaderOnOneLineRead() throws {
    let trace = try parse("100 3 2 1\r\n\r\na 0 16\r\n\n  f   0  \r\n")
    #expect(trace.operations == [.alloc(id: 0, bytes: 16), .free(id: 0)])
  }

  @Test func anOSTEPListNumbersAllocationsInOrder() throws {
    let trace = try parse("+10,-0,+20,+5, -2\n,-1")
    #expect(
      trace.operations == [
        .alloc(id: 0, bytes: 10), .free(id: 0), .alloc(id: 1, bytes: 20), .alloc(id: 2, bytes: 5),
        .free(id: 2),
        .free(id: 1),
      ])
    #expect(try trace.ostepText() == "+10,-0,+20,+5,-2,-1")
    let rep = try parse(trace.repText)
    #expect(rep.operations == trace.operations, "OSTEP → .rep → the same operations")
    let settings = ReplaySettings(pageSize: 4, timelineInterval: 1)
    #expect(try rep.replay(settings) == (try trace.replay(settings)), "and the same replay")
  }

  /// A trace keeps its operations in 12 bytes each; every operation comes back as it was,
  /// those that do not fit the words (no parser makes them) too.
  @Test func operationsComeBackAsTheyWere() {
    let operations: [Trace.Operation] = [
      .alloc(id: 0, bytes: 1), .free(id: -1), .realloc(id: -1, bytes: 7), .realloc(id: 3, bytes: 0),
      .alloc(id: Trace.maximumIDs - 1, bytes: Trace.maximumBytes), .free(id: -9),
      .alloc(id: 1 << 40, bytes: 5),
      .alloc(id: 2, bytes: -3), .alloc(id: 4, bytes: Int.max), .free(id: (1 << 30) - 2),
    ]
    let packed = Trace.Operations(operations)
    #expect(Array(packed) == operations)
    #expect(packed == Trace.Operations(operations))
    #expect(packed != Trace.Operations(operations.dropLast()))
  }

  @Test func anIdMayBeAllocatedAgainAfterItsFree() throws {
    let trace = try parse("0\n1\n3\n1\na 0 8\nf 0\na 0 9\n")
    #expect(trace.operations.count == 3)
    #expect(try trace.ostepText() == "+8,-0,+9")
  }

  @Test func aReallocHasNoOSTEPForm() throws {
    #expect(throws: TraceError(line: 2, problem: .notOSTEP("OSTEP's list has no realloc"))) {
      try parse("0\n1\n2\n1\na 0 8\nr 0 9\n").ostepText()
    }
  }

  @Test(
    arguments: [
      ("", nil, "not a trace: expected a .rep header (4 numbers) or an OSTEP list like +10,-0,+20"),
      ("hello\n", 1, "not a trace: expected a .rep header (4 numbers) or an OSTEP list like +10,-0,+20"),
      ("10\n2\nx\n", 3, "expected the header's number of operations, a whole number, found \"x\""),
      ("10\n2\n", 2, "expected the header's number of operations, a whole number, found nothing"),
      ("10\n2\n1\n1\nx 0 5\n", 5, "unknown operation \"x\": expected a (alloc), f (free) or r (realloc)"),
      (
        "10\n2\n1\n1\nalloc 0 5\n", 5,
        "unknown operation \"alloc\": expected a (alloc), f (free) or r (realloc)"
      ),
      ("10\n2\n1\n1\na 0 -5\n", 5, "expected a size in bytes, a whole number, found \"-5\""),
      ("10\n2\n1\n1\na 0 0\n", 5, "a size must be at least 1 byte, not 0"),
      ("10\n2\n1\n1\na 0\n", 5, "expected a size in bytes, a whole number, found nothing"),
      ("10\n2\n1\n1\na x 5\n", 5, "expected an id, a whole number, found \"x\""),
      ("10\n2\n1\n1\na 0 5 7\n", 5, "unexpected \"7\" after the operation"),
      ("10\n2\n1\n1\nf 1\n", 5, "free of id 1, which was never allocated"),
      ("10\n2\n1\n1\nr 1 5\n", 5, "realloc of id 1, which was never allocated"),
      ("10\n2\n2\n1\na 0 5\na 0 5\n", 6, "alloc of id 0, which is already allocated and not freed"),
      ("10\n2\n3\n1\na 0 5\nf 0\nf 0\n", 7, "free of id 0, which is already freed"),
      ("10\n2\n1\n1\na 2 5\n", 5, "id 2 is out of range: the header declares 2 ids"),
      (
        "10\n2\n1\n1\na 0 99999999999999999999999\n", 5,
        "size in bytes 99999999999999999999999 is larger than 1099511627776"
      ),
      ("10\n2\n1\n1\na 0 1099511627777\n", 5, "size in bytes 1099511627777 is larger than 1099511627776"),
      ("10\n99999999\n1\n1\n", 2, "number of ids 99999999 is larger than 10000000"),
      ("10\n2\n3\n1\na 0 5\n", 3, "the header declares 3 operations, the trace has 1"),
      ("10\n2\n1\n1\na 0 5\nf 0\n", 3, "the header declares 1 operation, the trace has 2"),
      ("+10,-1", 1, "free of id 1, which was never allocated"),
      ("+10,\n-0,-0", 2, "free of id 0, which is already freed"),
      ("+10,*3", 1, "expected +size or -index, found \"*3\""),
      ("+10,+0", 1, "a size must be at least 1 byte, not 0"),
      ("+10,-x", 1, "expected an index, a whole number, found \"x\""),
    ] as [(String, Int?, String)])
  func aMalformedTraceSaysWhereAndWhy(text: String, line: Int?, message: String) {
    do {
      _ = try parse(text)
      Issue.record("\(text.debugDescription) was read")
    } catch {
      #expect(error.line == line)
      #expect(error.message == message)
    }
  }

  @Test func aLineOverTheLimitIsRefused() {
    let text = "10\n1\n1\n1\na 0 " + String(repeating: "1", count: Trace.maximumLineLength) + "\n"
    #expect(throws: TraceError(line: 5, problem: .lineTooLong(limit: Trace.maximumLineLength))) {
      try parse(text)
    }
  }

  @Test func aFileOverTheSizeLimitIsRefusedWhole() {
    let text = Array("10\n1\n1\n1\na 0 5\n".utf8)
    #expect(throws: TraceError(line: nil, problem: .fileTooLarge(limit: text.count - 1))) {
      try Trace(parsing: text, format: nil, sizeLimit: text.count - 1)
    }
    #expect((try? Trace(parsing: text, format: nil, sizeLimit: text.count)) != nil)
    #expect(
      TraceError(line: nil, problem: .fileTooLarge(limit: Trace.maximumFileSize)).text(file: "big.rep")
        == "big.rep: the trace is larger than 268435456 bytes")
  }

  @Test func errorsReadAsFileColonLine() {
    let error = TraceError(line: 7, problem: .zeroSize)
    #expect(error.text(file: "t.rep") == "t.rep:7: a size must be at least 1 byte, not 0")
    #expect(TraceError(line: nil, problem: .unknownFormat).text(file: "x").hasPrefix("x: not a trace"))
  }

  @Test func aFormatNamedOverridesDetection() {
    #expect(throws: TraceError.self) { try parse("+10,-0", .rep) }
    #expect(Trace.detectFormat(Array("  \n+1".utf8)) == .ostep)
    #expect(Trace.detectFormat(Array("20000\n".utf8)) == .rep)
  }

  @Test func builtTracesAreCheckedToo() {
    #expect(throws: TraceError(line: 2, problem: .neverAllocated(operation: "free", id: 1))) {
      try Trace(operations: [.alloc(id: 0, bytes: 1), .free(id: 1)])
    }
  }
}
