import Foundation
import MemallookCore
import MemallookTUI

/// `--player FILE [--race]`: the TUI's player (or race, every policy) on a trace file,
/// headless: how long its scouts take to read the workload, what it keeps resident,
/// and what seeks cost once read (the TUI adds a frame per piece of a long jump, `Playback.seekChunk`).
enum PlayerBench {
  static func run(path: String, race: Bool) {
    let clock = ContinuousClock()
    let baseline = residentBytes()
    let bytes = Array(FileManager.default.contents(atPath: path)!)
    let trace = try! Trace(parsing: bytes)
    let policies = race ? Policy.allCases : [.first]
    var player = try! TracePlayer(trace: trace, name: path, pageSize: 16, policies: policies)
    player.runLanes = Playback.lanesAtOnce  // as the TUI plays it: a race's lanes on every core
    let parsed = residentBytes()
    print(
      "\(path): \(trace.operations.count) operations, \(player.pageCount) pages of 16 bytes, "
        + "\(policies.count) lane(s); trace in memory \(mebibytes(parsed - baseline)) MiB")
    let start = clock.now
    while player.index(operations: 50_000) {}
    print(
      "  read by the scouts: \(format(seconds(clock.now - start), 6)) s; checkpoints: "
        + "\(player.checkpointCount) a lane, every \(player.checkpointInterval) operations, "
        + "\(mebibytes(player.checkpointBytes)) MiB; resident \(mebibytes(residentBytes())) MiB")
    let count = trace.operations.count
    // Seeks, then steps back one at a time from the last, as Left does (the TUI's race goes
    // a piece a tick when a step is long; headless, one seek): each starts from the
    // checkpoint the seek before left near its target.
    // The last but one is the farthest a seek can be from a checkpoint (and the one a long
    // seek left): one operation before the checkpoint after the middle.
    let farthest = (count / 2 / player.checkpointInterval + 1) * player.checkpointInterval - 1
    let seeks = [count, count / 2, count / 8, 0, count * 7 / 10, farthest, count / 3].map {
      (target: $0, isStepBack: false)
    }
    for (target, isStepBack) in seeks + Array(repeating: (target: -1, isStepBack: true), count: 3) {
      let (from, to) = (player.position, isStepBack ? player.position - 1 : target)
      let replayed = to - player.seekStart(for: to)
      let seekStart = clock.now
      player.seek(to: to)
      print(
        (isStepBack ? "  step back to \(to)" : "  seek \(from) → \(to)")
          + ": \(format(seconds(clock.now - seekStart) * 1000, 6)) ms (\(replayed) operations replayed a lane)"
      )
    }
    print("  resident at the end: \(mebibytes(residentBytes())) MiB")
    // What a seek pays on every lane before it replays anything: the rebuild of a kept heap.
    for lane in player.lanes {
      let compact = lane.heap.compact
      let start = clock.now
      let rebuilt = Heap(compact)
      precondition(rebuilt.liveAllocationCount == lane.heap.liveAllocationCount)
      print(
        "  rebuilt, \(lane.policy.rawValue): \(format(seconds(clock.now - start) * 1000, 6)) ms "
          + "(\(rebuilt.liveAllocationCount) allocations)")
    }
    let heap = player.lanes[0].heap
    let keepStart = clock.now
    let compact = heap.compact
    let rebuildStart = clock.now
    let rebuilt = Heap(compact)
    let rebuildEnd = clock.now
    precondition(rebuilt.liveAllocationCount == heap.liveAllocationCount)
    for (name, walked) in [("kept", heap), ("rebuilt", rebuilt)] {
      let walkStart = clock.now
      let cells = walked.shadedCells(from: 0, pagesPerCell: walked.pageCount / 4000 + 1, count: 4000)
      print(
        "  shading the \(name) heap: \(format(seconds(clock.now - walkStart) * 1000, 6)) ms (\(cells.count) cells)"
      )
    }
    print(
      "  a heap of \(heap.liveAllocationCount) allocations kept small: \(format(seconds(rebuildStart - keepStart) * 1000, 6)) ms, "
        + "\(compact.approximateBytes >> 10) KiB; rebuilt: \(format(seconds(rebuildEnd - rebuildStart) * 1000, 6)) ms"
    )

    // What a key costs on the screen at 120x40, mid-workload: its update, the frame, the diff.
    var model = Model(session: Session(seed: 1), width: 120, height: 40)
    _ = model.update(.traceRead(name: path, .success(trace), WorkloadCommand.Heap()))
    if race { _ = model.update(.workload(.race(policies, nil))) }
    model.playback!.player = player
    let viewStart = clock.now
    for _ in 0..<10 { _ = model.view() }
    print("  a frame alone: \(format(seconds(clock.now - viewStart) * 100, 6)) ms")
    print("  a typed key, 120x40, at step \(player.position): \(format(typedKey(&model), 6)) ms")
    // The same with the list scrolled: the 60th allocation by tag selected.
    if !race {
      for _ in 0..<60 { _ = model.update(.key(.control("n"))) }
      print("  the same, the list scrolled to the 60th allocation: \(format(typedKey(&model), 6)) ms")
    }
  }

  /// Milliseconds a typed key costs on `model`'s screen: its update, the frame and the diff.
  static func typedKey(_ model: inout Model) -> Double {
    let clock = ContinuousClock()
    let keys = Array("GOTO 12345")
    var previous = model.view()
    var total = Duration.zero
    for key in keys {
      let start = clock.now
      _ = model.update(.key(.character(key)))
      let frame = model.view()
      _ = frame.changes(from: previous)
      total += clock.now - start
      previous = frame
    }
    return seconds(total) * 1000 / Double(keys.count)
  }

  static func mebibytes(_ bytes: Int) -> Int { bytes >> 20 }
  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }
}
