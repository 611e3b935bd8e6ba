import Testing

@testable import MemallookCore

/// Replaying traces: hand-checked figures, failed ids, timelines, round trips and the generator.
@Suite struct TraceReplayTests {
  func parse(_ text: String) throws -> Trace { try Trace(parsing: Array(text.utf8)) }

  @Test func theSmallTraceReplaysAsWorkedOutByHand() throws {
    // p = 16: pages live peak at 5 + the realloc's 4 held with the old 2 → 9 (2 + 1 after its quarter... 9 + 3 = 12 pages).
    let trace = try parse(TraceFormatTests.small)
    #expect(trace.defaultPageCount(pageSize: 16) == 12)
    let summary = try trace.replay(ReplaySettings(policy: .first, pageSize: 16))
    // 1 2 2 . . . . . . . . .  → f 0 → a 2 (3 pages) at 3 → r 1 to 4 pages cannot grow: moves to 6, old 1-2 freed
    // . . . 3 3 3 2 2 2 2 . .
    #expect(summary.pageCount == 12)
    #expect(summary.final.pagesInUse == 7 && summary.final.peakPagesInUse == 7)
    #expect(summary.final.liveAllocations == 2 && summary.final.failed == 0)
    #expect(summary.final.freeRuns == 2 && summary.final.longestFreeRun == 3)
    #expect(summary.final.externalFragmentation == 1 - 3.0 / 5)
    #expect(summary.final.internalFragmentationBytes == 0)
    #expect(summary.skippedFrees == 0 && summary.operations == 5)
  }

  @Test func aFailedAllocMakesItsFreeSkippedAndItsReallocAnAlloc() throws {
    // 4 pages of 1 byte: id 1 (5 bytes) fails; its free is skipped; id 2's realloc of a failed id allocates.
    let trace = try parse("0\n3\n6\n1\na 0 2\na 1 5\nf 1\na 2 9\nr 2 2\nf 0\n")
    let summary = try trace.replay(ReplaySettings(pageSize: 1, pageCount: 4, timelineInterval: 2))
    #expect(summary.final.failed == 2)
    #expect(summary.skippedFrees == 1)
    #expect(summary.final.liveAllocations == 1 && summary.final.pagesInUse == 2)
    #expect(summary.timeline?.map(\.op) == [2, 4, 6])
    #expect(summary.timeline?.map(\.pagesInUse) == [2, 2, 2])
    #expect(summary.timeline?.map(\.failed) == [1, 2, 2])
  }

  @Test(arguments: Policy.allCases)
  func theJSONOfASummaryIsFlatAndRoundTrips(policy: Policy) throws {
    let summary = try parse(TraceFormatTests.small).replay(
      ReplaySettings(policy: policy, timelineInterval: 2))
    #expect(summary.csv.split(separator: "\n").count == 3)
    #expect(summary.csv.hasPrefix(ReplaySummary.csvHeader + "\n2,0,"))
    #expect(summary.text.contains("with \(policy.title) on 12 pages of 16 bytes"))
  }

  /// A replay whose heap keeps no map by first page (a summary's, a scout's) plays every
  /// operation as one that does, and its heap still walks in address order.
  @Test(arguments: Policy.allCases)
  func aReplayWithoutTheMapByFirstPagePlaysAsOneWithIt(policy: Policy) throws {
    var generator = TraceGenerator(seed: 5, operations: 3_000)
    generator.reallocPercent = 10
    generator.maxBytes = 300
    let trace = try generator.generate()
    let settings = ReplaySettings(policy: policy, pageSize: 16, pageCount: 3_000, timelineInterval: 50)
    var mapped = try TraceReplayer(settings: settings, pageCount: 3_000)
    var unmapped = try TraceReplayer(settings: settings, pageCount: 3_000, mapsFirstPages: false)
    for (step, operation) in trace.operations.enumerated() {
      #expect(mapped.apply(operation) == unmapped.apply(operation), "step \(step)")
    }
    #expect(mapped.heap.mapsFirstPages && !unmapped.heap.mapsFirstPages)
    #expect(mapped.summary == unmapped.summary)
    try unmapped.heap.checkInvariants()
    #expect(unmapped.heap.allocationsInAddressOrder() == mapped.heap.allocationsInAddressOrder())
    #expect(unmapped.heap.show() == mapped.heap.show())
    #expect(unmapped.heap.nextDefragMove() == mapped.heap.nextDefragMove())
  }

  /// `play` warms the cache ahead of each operation; it plays exactly what `apply` would,
  /// free(NULL), frees of nothing and reallocs included, from any batch boundary.
  @Test(arguments: Policy.allCases)
  func playingABatchIsApplyingEachOfItsOperations(policy: Policy) throws {
    var generator = TraceGenerator(seed: 8, operations: 2_000)
    generator.reallocPercent = 10
    generator.maxBytes = 300
    var operations = try generator.generate().operations.map { $0 }
    operations.insert(contentsOf: [.free(id: -1), .free(id: 999_999), .realloc(id: 5, bytes: 0)], at: 700)
    let settings = ReplaySettings(policy: policy, pageSize: 16, pageCount: 3_000, timelineInterval: 50)
    var oneByOne = try TraceReplayer(settings: settings, pageCount: 3_000)
    for operation in operations { oneByOne.apply(operation) }
    var inBatches = try TraceReplayer(settings: settings, pageCount: 3_000)
    for start in stride(from: 0, to: operations.count, by: 333) {
      inBatches.play(Array(operations[start..<min(operations.count, start + 333)]))
    }
    var held = try TraceReplayer(settings: settings, pageCount: 3_000)
    held.play(Trace.Operations(operations), 0..<1_000)
    held.play(Trace.Operations(operations), 1_000..<operations.count)
    for replayer in [inBatches, held] {
      #expect(replayer.summary == oneByOne.summary)
      #expect(replayer.heap.allocationsInAddressOrder() == oneByOne.heap.allocationsInAddressOrder())
      #expect((0..<3_000).allSatisfy { replayer.tag(of: $0) == oneByOne.tag(of: $0) })
      #expect(replayer.operations == operations.count)
    }
  }

  /// `replay` streams a real program's millions of ids in memory of its live blocks: the
  /// table of ids keeps the live ones alone.
  @Test func theTableOfIdsFollowsTheLiveIdsNotEveryIdSeen() throws {
    var replayer = try TraceReplayer(
      settings: ReplaySettings(pageSize: 16), pageCount: 100, mapsFirstPages: false)
    for id in 0..<100_000 {
      replayer.apply(.alloc(id: id, bytes: 16))
      if id >= 3 { replayer.apply(.free(id: id - 3)) }
    }
    #expect(replayer.heap.liveAllocationCount == 3)
    #expect(replayer.tag(of: 99_999) != 0 && replayer.tag(of: 99_996) == 0)
    #expect(replayer.idTableSlots <= 64)
  }

  @Test(arguments: [1 as UInt64, 2, 99])
  func generateReplayExportReplayGivesTheSameTimeline(seed: UInt64) throws {
    var generator = TraceGenerator(seed: seed, operations: 2000)
    generator.reallocPercent = 10
    generator.maxBytes = 300
    let trace = try generator.generate()
    for policy in Policy.allCases {
      let settings = ReplaySettings(policy: policy, pageSize: 16, pageCount: 20000, timelineInterval: 50)
      let first = try trace.replay(settings)
      // The same trace, typed: every operation a command on a session; its history exported as .rep.
      var session = Session(seed: 3)
      _ = try session.apply(.new(pageSize: 16, pageCount: 20000, policy: policy))
      var tags = [Int](repeating: 0, count: trace.idCount)
      for operation in trace.operations {
        switch operation {
        case .alloc(let id, let bytes):
          if case .allocated(let a)? = try? session.apply(.alloc(bytes: bytes)) { tags[id] = a.tag }
        case .free(let id) where tags[id] > 0: _ = try session.apply(.dealloc(tag: String(tags[id])))
        case .realloc(let id, let bytes) where tags[id] > 0:
          _ = try? session.apply(.realloc(tag: String(tags[id]), bytes: bytes))
        default: break
        }
      }
      let exported = try session.history.trace()
      #expect(exported.skippedChanges == 0 && exported.allocatedAtStart == 0)
      let again = try Trace(parsing: Array(exported.trace.repText.utf8)).replay(settings)
      #expect(first.final.failed == 0, "a heap large enough for the whole trace")
      #expect(first.timeline == again.timeline)
      #expect(first.final == again.final)
    }
  }

  @Test func theSameSeedGivesTheSameBytes() throws {
    var generator = TraceGenerator(seed: 42, operations: 20)
    generator.maxBytes = 100
    let text = try generator.generate().repText
    #expect(text == (try generator.generate().repText))
    // Fixed here so that a change to the generator (or to splitmix64) cannot pass unnoticed:
    // the header's first number is the peak of live bytes (16 + 4 + 81 + ... ).
    #expect(
      text
        == "659\n16\n20\n1\na 0 16\na 1 4\na 2 81\nf 0\na 3 53\na 4 11\na 5 69\na 6 60\na 7 28\nf 7\nf 6\n"
        + "f 4\na 8 27\na 9 54\na 10 78\na 11 9\na 12 97\na 13 16\na 14 83\na 15 88\n")
    generator.seed = 43
    #expect(text != (try generator.generate().repText))
  }

  @Test(arguments: TraceGenerator.Sizes.allCases)
  func generatedSizesStayInRange(sizes: TraceGenerator.Sizes) throws {
    var generator = TraceGenerator(seed: 7, operations: 5000)
    generator.minBytes = 5
    generator.maxBytes = 1000
    generator.sizes = sizes
    generator.maxLive = 30
    let trace = try generator.generate()
    var live = 0
    for operation in trace.operations {
      switch operation {
      case .alloc(_, let bytes), .realloc(_, let bytes):
        #expect((5...1000).contains(bytes))
        if sizes == .powers { #expect(bytes.nonzeroBitCount == 1) }
      case .free: break
      }
      if case .alloc = operation { live += 1 }
      if case .free = operation { live -= 1 }
      #expect(live <= 30)
    }
    _ = try Trace(parsing: Array(trace.repText.utf8))
  }

  @Test func badGeneratorSettingsNameTheOption() {
    var generator = TraceGenerator(seed: 1, operations: 10)
    generator.minBytes = 10
    generator.maxBytes = 5
    #expect(throws: CommandError.self) { try generator.generate() }
    generator.maxBytes = 15
    generator.sizes = .powers
    #expect(throws: CommandError.self) { try generator.generate() }
  }

  @Test func aHistoryWithADefragLeavesItOutAndSaysSo() throws {
    var session = Session(seed: 1)
    _ = try session.apply(.new(pageSize: 1, pageCount: 8))
    for line in ["ALLOC 2", "ALLOC 3", "DEALLOC 1", "DEFRAG", "REALLOC 2 4", "POLICY best"] {
      _ = try session.execute(line)
    }
    let exported = try session.history.trace()
    #expect(exported.skippedChanges == 2)
    #expect(exported.trace.repText == "7\n3\n4\n1\na 1 2\na 2 3\nf 1\nr 2 4\n")
  }

  @Test func aTrimmedHistoryAllocatesWhatItFreesBeforeItsFirstStep() throws {
    var session = Session(seed: 1)
    _ = try session.apply(.new(pageSize: 1, pageCount: 8))
    for line in ["ALLOC 2", "ALLOC 3", "DEALLOC 1", "REALLOC 2 4"] { _ = try session.execute(line) }
    session.history.trim(to: 2)
    let exported = try session.history.trace()
    #expect(exported.allocatedAtStart == 2)
    #expect(
      exported.trace.operations == [
        .alloc(id: 1, bytes: 2), .alloc(id: 2, bytes: 3), .free(id: 1), .realloc(id: 2, bytes: 4),
      ])
  }

  @Test func aChartHasALinePerPolicyPerPanelAndALegend() throws {
    let trace = try parse(TraceFormatTests.small)
    let summaries = try Policy.allCases.map {
      try trace.replay(ReplaySettings(policy: $0, timelineInterval: 1))
    }
    let svg = ReplayChart(title: "small <trace>", summaries: summaries).svg
    #expect(svg.components(separatedBy: "<polyline").count - 1 == 2 * Policy.allCases.count)
    #expect(svg.contains("small &lt;trace&gt;"))
    for policy in Policy.allCases { #expect(svg.contains(">\(policy.title)</text>")) }
    #expect(ReplayChart.tickStep(1_000_000) == 200_000 && ReplayChart.tickStep(7) == 2)
  }
}
