import MemallookCore

/// `--replay`: a generated trace of `operations` operations (~10^4 live, 2^20 pages),
/// parsed and replayed per policy, against applying the same commands directly.
enum ReplayBench {
  static func run(operations: Int) {
    var generator = TraceGenerator(seed: 2026, operations: operations)
    generator.maxBytes = 1024
    generator.maxLive = 10_000
    let text = Array(try! generator.generate().repText.utf8)
    let clock = ContinuousClock()
    let parseStart = clock.now
    let trace = try! Trace(parsing: text)
    let parsing = clock.now - parseStart
    print(
      "replay of a generated trace: \(operations) operations, \(text.count) bytes of .rep, 2^20 pages of 16 bytes"
    )
    print("  parsing alone: \(perOperation(parsing, operations)) ns per operation")
    let commands = directCommands(trace)
    var total = Duration.zero
    for policy in Policy.allCases {
      let settings = ReplaySettings(policy: policy, pageSize: 16, pageCount: 1 << 20)
      let start = clock.now
      let summary = try! Trace(parsing: text).replay(settings)
      let replay = clock.now - start
      total += replay
      precondition(summary.final.failed == 0, "the baseline assumes no refused ALLOC")
      var session = Session(seed: 1)
      let baselineStart = clock.now
      _ = try! session.apply(.new(pageSize: 16, pageCount: 1 << 20, policy: policy))
      for command in commands { _ = try! session.apply(command) }
      let baseline = clock.now - baselineStart
      precondition(session.heap!.pagesInUse == summary.final.pagesInUse)
      print(
        "  \(pad(policy.title, 10)) replay (parsing included) \(perOperation(replay, operations)) ns/op = "
          + "\(Int(Double(operations) / seconds(replay))) ops/s (\(format(seconds(replay), 5)) s); "
          + "same commands applied directly \(perOperation(baseline, operations)) ns/op")
    }
    let compareStart = clock.now
    let once = try! Trace(parsing: text)
    for policy in Policy.allCases {
      _ = try! once.replay(ReplaySettings(policy: policy, pageSize: 16, pageCount: 1 << 20))
    }
    let compare = clock.now - compareStart
    print(
      "  compare over \(Policy.allCases.count) policies (one parse, \(Policy.allCases.count) replays): "
        + "\(format(seconds(compare), 5)) s (sum of the replays above: \(format(seconds(total), 5)) s)")
  }

  /// The commands the replay makes when nothing fails: tags are given in ALLOC order from 1.
  static func directCommands(_ trace: Trace) -> [Command] {
    var tags = [Int](repeating: 0, count: trace.idCount)
    var next = 1
    return trace.operations.map { operation in
      switch operation {
      case .alloc(let id, let bytes):
        tags[id] = next
        next += 1
        return .alloc(bytes: bytes)
      case .free(let id): return .dealloc(tag: String(tags[id]))
      case .realloc(let id, let bytes): return .realloc(tag: String(tags[id]), bytes: bytes)
      }
    }
  }

  static func seconds(_ duration: Duration) -> Double { nanoseconds(duration) / 1e9 }

  static func perOperation(_ duration: Duration, _ operations: Int) -> String {
    format(nanoseconds(duration) / Double(operations), 6)
  }
}
