import Dispatch
import Testing

@testable import MemallookCore

/// The player: forward is the replay's operation, back restores a checkpoint and plays forward,
/// every step a true state of each heap.
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

  /// The cells kept between frames are always the lane's heap's: after a step forward, a
  /// seek back, and for a copy of the player at another step that asks the same memo.
  @Test func cellsKeptBetweenFramesAreTheHeapsAtEveryStep() throws {
    let trace = try generated(8, operations: 3_000)
    var player = try TracePlayer(
      trace: trace, name: "t", pageSize: 16, pageCount: 600, policies: [.first, .buddy])
    while player.index(operations: 1_000) {}
    // Each step asks the view the step before asked (the memo's), twice, then another view.
    func expectTrue(_ player: TracePlayer, _ why: String) {
      for (index, lane) in player.lanes.enumerated() {
        for (from, perCell, count) in [(0, 3, 200), (0, 3, 200), (100, 1, 50), (0, 3, 200)] {
          let kept = player.shadedCells(ofLane: index, from: from, pagesPerCell: perCell, count: count)
          let isTrue = kept == lane.heap.shadedCells(from: from, pagesPerCell: perCell, count: count)
          #expect(isTrue, "\(lane.policy) \(why), \(count) cells of \(perCell) from \(from)")
        }
      }
    }
    for target in [1_500, 1_501, 1_502, 700, 2_999, 3_000] {
      player.seek(to: target)
      expectTrue(player, "at \(target)")
    }
    var copy = player
    copy.seek(to: 1_000)
    expectTrue(copy, "a copy at 1000")
    expectTrue(player, "the original at 3000 after the copy drew")
    // Forward and back again to a step whose cells were drawn last: they are the heap's.
    player.seek(to: 1_777)
    expectTrue(player, "at 1777")
    player.forward()
    expectTrue(player, "forward to 1778")
    player.back()
    expectTrue(player, "back to 1777")
  }

  /// A race whose lanes are read and seek on several threads at once reaches the states
  /// it reaches one lane after another: the lanes share nothing but the workload.
  @Test func lanesPlayedAtOnceReachTheSameStates() throws {
    let trace = try generated(5, operations: 6_000)
    let policies = Policy.allCases
    var serial = try TracePlayer(trace: trace, name: "t", pageSize: 16, pageCount: 300, policies: policies)
    var parallel = serial
    parallel.runLanes = { count, body in DispatchQueue.concurrentPerform(iterations: count, execute: body) }
    while serial.index(operations: 700) {}
    while parallel.index(operations: 700) {}
    #expect(parallel.checkpointCount == serial.checkpointCount)
    for target in [5_999, 1_234, 4_100, 0, 6_000, 2_048] {
      serial.seek(to: target)
      parallel.seek(to: target)
      for (a, b) in zip(serial.lanes, parallel.lanes) {
        #expect(a.heap.show() == b.heap.show(), "\(a.policy) at \(target)")
        #expect(
          a.metrics == b.metrics && a.last == b.last && a.counts == b.counts, "\(a.policy) at \(target)")
        #expect(a.fragmentation == b.fragmentation && a.landmarks == b.landmarks)
      }
    }
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

  /// Under every policy, TLSF's LIFO lists included, and from checkpoints (5,000 operations:
  /// one every 1,024) as well as from step 0.
  @Test(arguments: [false, true])
  func steppingBackGivesTheHeapOfTheEarlierStep(indexedFirst: Bool) throws {
    let trace = try generated(11, operations: 5_000)
    // Small enough that some ALLOCs fail: going back must restore the failed count too.
    var player = try TracePlayer(
      trace: trace, name: "t", pageSize: 16, pageCount: 120, policies: Policy.allCases)
    if indexedFirst { while player.index(operations: 100_000) {} }
    #expect(player.lanes[0].checkpoints.count == (indexedFirst ? 5 : 1))
    player.seek(to: 4_500)
    #expect(player.lanes[0].metrics.failedAllocations > 0)
    for target in [4_499, 3_100, 2_048, 2_047, 1_200, 7, 0, 1_800] {
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

  /// A long seek leaves a checkpoint `recentDistance` before its target: the steps back
  /// that follow start there, not at step 0, and every step is the fresh replay's.
  @Test func stepsBackAfterALongSeekStartNearItAndAreTrue() throws {
    let trace = try generated(12, operations: 12_000)
    // Nothing read ahead: the only kept checkpoint is step 0's.
    var player = try TracePlayer(
      trace: trace, name: "t", pageSize: 16, pageCount: 300, policies: [.first, .tlsf])
    #expect(player.recentDistance == 1_024)
    player.seek(to: 9_000)
    #expect(player.recentStep == 7_976)
    for step in [8_999, 8_998, 7_976, 7_975, 7_974] {
      let start = player.seekStart(for: step)
      // Below the checkpoint left, from step 0 again, which leaves one before the new target.
      #expect(start == (step >= 7_976 ? 7_976 : step == 7_975 ? 0 : 6_951), "step \(step) starts at \(start)")
      player.seek(to: step)
      for lane in player.lanes {
        let fresh = try replayed(trace, to: step, policy: lane.policy, pageCount: 300)
        #expect(lane.heap.allocationsInAddressOrder() == fresh.allocationsInAddressOrder(), "step \(step)")
        #expect(lane.metrics == fresh.metrics, "step \(step) \(lane.policy)")
      }
    }
  }

  /// A long jump made in pieces longer than `recentDistance`, as the TUI makes it, leaves a
  /// checkpoint at most twice that before its target, whatever the last piece's length, and
  /// only near the target: the pieces before it leave none.
  @Test(arguments: [2_600, 2_500, 3_001])
  func aJumpInPiecesLeavesACheckpointNearItsTarget(target: Int) throws {
    let trace = try generated(13, operations: 4_000)
    var player = try TracePlayer(trace: trace, name: "t", pageSize: 16, pageCount: 300, policies: [.best])
    let piece = 1_500
    #expect(piece > player.recentDistance)
    while !player.seek(toward: target, piece: piece) {
      let left = target - player.position
      #expect(left <= player.recentDistance || player.recentStep == nil, "at \(player.position)")
    }
    let start = player.seekStart(for: target - 1)
    #expect(start < target - 1 && target - 1 - start < 2 * player.recentDistance, "from \(start)")
  }

  @Test func theScoutSamplesTheChartAndFindsTheLandmarksWithoutMovingThePlayer() throws {
    let trace = try generated(3, operations: 50)
    var player = try TracePlayer(trace: trace, name: "t", pageSize: 16, pageCount: 60, policies: [.worst])
    player.seek(to: 20)
    let more = player.index(operations: 30)
    #expect(more, "more to read")
    let rest = player.index(operations: 30)
    #expect(!rest, "all read")
    #expect(player.position == 20 && player.isIndexed)
    #expect(player.lanes[0].fragmentation.count == 51 && player.lanes[0].utilisation.count == 51)
    #expect(player.lanes[0].utilisation[0] == 0)
    let replay = try trace.replay(ReplaySettings(policy: .worst, pageSize: 16, pageCount: 60))
    #expect(player.lanes[0].landmarks.firstFailureOp == replay.firstFailureOp)
    #expect(player.lanes[0].landmarks.peakOp == replay.peakOp)
    #expect(player.lanes[0].landmarks.failureOps?.first == replay.firstFailureOp)
    // Read to the end, the scout is let go; what it found stays.
    #expect(player.lanes[0].scout == nil)
    #expect(player.lanes[0].landmarks.worstFragmentationOp == replay.worstFragmentationOp)
    #expect(player.index(operations: 30) == false)
  }

  /// A checkpoint gives back the replay it was taken of, id table and counts included, but
  /// not the scout's list of every refused operation (each checkpoint held a copy of it).
  @Test func aCheckpointGivesBackTheReplayWithoutTheListOfFailures() throws {
    let trace = try generated(5, operations: 3_000)
    let settings = ReplaySettings(policy: .tlsf, pageSize: 16, pageCount: 300)
    var scout = try TraceReplayer(settings: settings, pageCount: 300, recordingFailures: true)
    for operation in trace.operations.prefix(2_000) { scout.apply(operation) }
    #expect(scout.landmarks.failureOps?.isEmpty == false)
    var restored = scout.checkpoint().restored()
    #expect(restored.landmarks.failureOps == nil)
    #expect(restored.operations == scout.operations && restored.counts == scout.counts)
    #expect(restored.landmarks.firstFailureOp == scout.landmarks.firstFailureOp)
    #expect((0..<trace.idCount).allSatisfy { restored.tag(of: $0) == scout.tag(of: $0) })
    for operation in trace.operations.dropFirst(2_000) {
      #expect(restored.apply(operation) == scout.apply(operation))
    }
    #expect(restored.summary == scout.summary)
  }

  /// A checkpoint of thousands of live ids and allocations, neither in order (their radix
  /// sorts at work), gives back every id's tag and a heap that does what the replay does.
  @Test(arguments: Policy.allCases)
  func aCheckpointOfThousandsOfLiveBlocksComesBackTheSame(policy: Policy) throws {
    let trace = try generated(11, operations: 16_000)
    let pageCount = trace.defaultPageCount(pageSize: 16)
    let settings = ReplaySettings(policy: policy, pageSize: 16, pageCount: pageCount)
    var replay = try TraceReplayer(settings: settings, pageCount: pageCount)
    for operation in trace.operations.prefix(12_000) { replay.apply(operation) }
    #expect(replay.heap.liveAllocationCount >= 1_000)
    var restored = replay.checkpoint().restored()
    #expect(restored.heap.show() == replay.heap.show())
    #expect((0..<trace.idCount).allSatisfy { restored.tag(of: $0) == replay.tag(of: $0) })
    for operation in trace.operations.dropFirst(12_000) {
      #expect(restored.apply(operation) == replay.apply(operation))
    }
    #expect(restored.summary == replay.summary)
  }

  /// A replay restored over itself from a checkpoint of about its size fills its own tag
  /// table and id table again, not copies or new ones (whose memory is faulted in page by
  /// page), and gives the same replay as a fresh restore; a copy taken before is untouched.
  @Test func aReplayRestoredOverItselfFillsItsOwnTables() throws {
    let trace = try generated(11, operations: 16_000)
    let pageCount = trace.defaultPageCount(pageSize: 16)
    let settings = ReplaySettings(policy: .tlsf, pageSize: 16, pageCount: pageCount)
    var replay = try TraceReplayer(settings: settings, pageCount: pageCount)
    for operation in trace.operations.prefix(12_000) { replay.apply(operation) }
    let checkpoint = replay.checkpoint()
    for operation in trace.operations[12_000..<12_100] { replay.apply(operation) }
    let addresses = replay.tableAddresses
    replay.restore(checkpoint)
    #expect(replay.tableAddresses[0] == addresses[0] && replay.tableAddresses[2] == addresses[2])
    try replay.heap.checkInvariants()
    // A copy taken before a restore keeps its own state: the restore writes fresh tables.
    for operation in trace.operations[12_000..<12_100] { replay.apply(operation) }
    let (copy, shown) = (replay, replay.heap.show())
    replay.restore(checkpoint)
    #expect(copy.heap.show() == shown && copy.operations == 12_100 && replay.operations == 12_000)
    var fresh = checkpoint.restored()
    #expect(replay.heap.show() == fresh.heap.show())
    for operation in trace.operations.dropFirst(12_000) {
      #expect(replay.apply(operation) == fresh.apply(operation))
    }
    #expect(replay.summary == fresh.summary)
  }

  /// The scouts' heaps are never shown: they keep no map by first page. The lanes' heaps,
  /// shown, keep it, restored from a checkpoint too.
  @Test func onlyTheShownHeapsKeepTheMapByFirstPage() throws {
    var player = try TracePlayer(
      trace: generated(3, operations: 3_000), name: "t", pageSize: 16, pageCount: 300,
      policies: [.first, .tlsf])
    player.index(operations: 1_000)
    player.seek(to: 2_000)
    player.seek(to: 10)
    for lane in player.lanes {
      #expect(lane.heap.mapsFirstPages)
      #expect(lane.scout?.heap.mapsFirstPages == false)
      try lane.heap.checkInvariants()
    }
  }

  @Test func theLastOperationsOutcomeIsKept() throws {
    // 4 pages of 1 byte: the second ALLOC (5 bytes) fails, its free is skipped.
    let trace = try Trace(parsing: Array("0\n2\n4\n1\na 0 2\na 1 5\nf 1\nf 0\n".utf8))
    var player = try TracePlayer(trace: trace, name: "t", pageSize: 1, pageCount: 4, policies: [.first])
    player.forward()
    guard case .allocated(let allocation)? = player.lanes[0].last else {
      Issue.record("ALLOC should have succeeded")
      return
    }
    #expect(allocation.firstPage == 0)
    player.forward()
    guard case .failed(.allocationFailed)? = player.lanes[0].last else {
      Issue.record("ALLOC of 5 pages in 4 should fail")
      return
    }
    player.forward()
    guard case .skipped? = player.lanes[0].last else {
      Issue.record("the free of the failed ALLOC's id is skipped")
      return
    }
    #expect(player.lanes[0].counts.skippedFrees == 1)
    player.back()
    #expect(player.lanes[0].counts.skippedFrees == 0 && player.lanes[0].metrics.failedAllocations == 1)
    #expect(player.lanes[0].last == nil, "going back replays nothing: no outcome to tell")
    #expect(!player.seek(to: 99) || player.isAtEnd)
  }
}
