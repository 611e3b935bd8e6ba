import Testing

@testable import MemallookCore

/// The player: forward is the replay's command, back is UNDO, every step a true state.
@Suite struct TracePlayerTests {
  func generated(_ seed: UInt64, operations: Int = 400) throws -> Trace {
    var generator = TraceGenerator(seed: seed, operations: operations)
    generator.maxBytes = 200
    generator.reallocPercent = 10
    return try generator.generate()
  }

  /// The heap a fresh replay of the first `step` operations leaves.
  func replayed(_ trace: Trace, to step: Int, policy: Policy, pageCount: Int) throws -> Heap {
    var player = try TracePlayer(
      trace: Trace(operations: Array(trace.operations.prefix(step)), idCount: trace.idCount), name: "prefix",
      pageSize: 16, pageCount: pageCount, policies: [policy])
    player.seek(to: step)
    return player.lanes[0].heap
  }

  @Test(arguments: Policy.allCases)
  func atTheEndEveryLaneReportsWhatCompareReports(policy: Policy) throws {
    let trace = try generated(7)
    var player = try TracePlayer(trace: trace, name: "t", pageSize: 16, pageCount: 200, policies: [policy])
    while player.forward() {}
    let replay = try trace.replay(ReplaySettings(policy: policy, pageSize: 16, pageCount: 200))
    #expect(player.summaries == [replay])
    try player.lanes[0].heap.checkInvariants()
  }

  @Test func steppingBackGivesTheHeapOfTheEarlierStep() throws {
    let trace = try generated(11)
    // Small enough that some ALLOCs fail: going back must restore the failed count too.
    var player = try TracePlayer(
      trace: trace, name: "t", pageSize: 16, pageCount: 120, policies: [.first, .best])
    player.seek(to: 300)
    #expect(player.lanes[0].failed > 0)
    for target in [299, 250, 120, 121, 7, 0, 180] {
      player.seek(to: target)
      #expect(player.position == target)
      for lane in player.lanes {
        let fresh = try replayed(trace, to: target, policy: lane.policy, pageCount: 120)
        #expect(lane.heap.allocationsInAddressOrder() == fresh.allocationsInAddressOrder(), "step \(target)")
        #expect(lane.metrics == fresh.metrics, "step \(target) \(lane.policy)")
        try lane.heap.checkInvariants()
      }
    }
  }

  @Test func samplesAreKeptForEveryStepReachedAndNotRecountedGoingBack() throws {
    var player = try TracePlayer(
      trace: try generated(3, operations: 50), name: "t", pageSize: 16, policies: [.worst])
    player.seek(to: 30)
    player.seek(to: 10)
    player.seek(to: 20)
    #expect(player.lanes[0].fragmentation.count == 31 && player.lanes[0].utilisation.count == 31)
    #expect(player.lanes[0].utilisation[0] == 0)
  }

  @Test func theLastOperationsOutcomeIsKept() throws {
    // 4 pages of 1 byte: the second ALLOC (5 bytes) fails, its free is skipped.
    let trace = try Trace(parsing: Array("0\n2\n4\n1\na 0 2\na 1 5\nf 1\nf 0\n".utf8))
    var player = try TracePlayer(trace: trace, name: "t", pageSize: 1, pageCount: 4, policies: [.first])
    player.forward()
    guard case .reply(.allocated(let allocation))? = player.lanes[0].last else {
      Issue.record("ALLOC should have succeeded")
      return
    }
    #expect(allocation.firstPage == 0)
    player.forward()
    guard case .failure(.allocationFailed)? = player.lanes[0].last else {
      Issue.record("ALLOC of 5 pages in 4 should fail")
      return
    }
    player.forward()
    #expect(player.lanes[0].last == .skipped && player.lanes[0].skippedFrees == 1)
    player.back()
    #expect(player.lanes[0].skippedFrees == 0 && player.lanes[0].failed == 1)
    #expect(player.lanes[0].last == nil, "going back replays nothing: no outcome to tell")
    #expect(!player.seek(to: 99) || player.isAtEnd)
  }
}
