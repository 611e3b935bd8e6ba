import MemallookCore
import MemallookTUI

/// The race in the TUI at full speed: a generated workload on every policy, each frame a
/// tick (the operations of one frame on each heap), a view and its diff, as the loop draws it.
enum RaceBench {
  static func run(operations: Int) {
    var generator = TraceGenerator(seed: 1, operations: operations)
    generator.maxBytes = 4096
    generator.maxLive = 2_000
    let trace = try! generator.generate()
    let clock = ContinuousClock()

    // The baseline, in the same run: the same workload replayed on every policy with no screen.
    let headlessStart = clock.now
    for policy in Policy.allCases { _ = try! trace.replay(ReplaySettings(policy: policy)) }
    let headless = seconds(clock.now - headlessStart)

    for lanes in [Policy.allCases, [.first, .next, .best, .worst]] {
      var model = raceModel(trace: trace, policies: lanes, width: 200, height: 60)
      let perFrame = model.playback!.operationsPerTick
      _ = model.update(.key(.function(4)))  // play
      var previous: Frame? = model.view()
      var frames = 0
      var viewTime = Duration.zero
      let start = clock.now
      while model.playback!.playing {
        _ = model.update(.tick)
        let viewStart = clock.now
        let frame = model.view()
        _ = frame.changes(from: previous)
        viewTime += clock.now - viewStart
        previous = frame
        frames += 1
      }
      precondition(model.playback!.player.isAtEnd)
      let total = seconds(clock.now - start)
      print(
        "race of \(lanes.count) policies, \(operations) operations, 200x60, \(perFrame) operations a frame (full speed):"
      )
      print(
        "  \(frames) frames in \(format(total)) s: \(Int(Double(frames) / total)) frames/s of compute"
          + " (\(format(total / Double(frames) * 1000)) ms a frame, of which view + diff \(format(seconds(viewTime) / Double(frames) * 1000)) ms)"
      )
    }
    print("  baseline: the same workload replayed headless on all 5 policies: \(format(headless)) s")

    // One frame of 4 panels at 200x60, mid-workload: view + diff after each single step.
    var model = raceModel(trace: trace, policies: [.first, .next, .best, .worst], width: 200, height: 60)
    model.playback!.player.seek(to: operations / 2)
    var previous = model.view()
    var frameTime = Duration.zero
    let steps = 2_000
    for _ in 0..<steps {
      _ = model.update(.key(.right))
      let frameStart = clock.now
      let frame = model.view()
      _ = frame.changes(from: previous)
      frameTime += clock.now - frameStart
      previous = frame
    }
    print(
      "one frame, 4 panels, 200x60, mid-workload: build + diff \(format(seconds(frameTime) / Double(steps) * 1000)) ms"
    )
  }

  static func raceModel(trace: Trace, policies: [Policy], width: Int, height: Int) -> Model {
    var model = Model(session: Session(seed: 1), width: width, height: height)
    _ = model.update(.traceRead(name: "bench", .success(trace), WorkloadCommand.Heap()))
    _ = model.update(.workload(.race(policies, nil)))
    model.playback!.speedIndex = Playback.speeds.count - 1
    return model
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }

  static func format(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
  }
}
