import MemallookCore

/// The screen's own commands: they load and drive a workload in the player and
/// never change the heap you type commands on (`Command` is the language of every front;
/// these exist only where something can be watched).
public enum WorkloadCommand: Equatable, Sendable {
  /// `REPLAY file [policy=P] [p=BYTES] [N=PAGES]`: a `.rep` or OSTEP trace.
  case replay(path: String, Heap)
  /// `GENERATE seed=S ops=N [min-bytes= max-bytes= alloc-percent= realloc-percent= sizes= max-live=] [policy= p= N=]`.
  case generate(TraceGenerator, Heap)
  /// `RACE [policy ...] [by=METRIC]`: the loaded workload on several policies side by side.
  case race([Policy], RaceMetric?)
  /// `QUIZ`: guess where each ALLOC lands.
  case quiz
  /// `STOP`: leave the player, back to your heap.
  case stop

  /// The heap a workload plays on.
  public struct Heap: Equatable, Sendable {
    public var policy: Policy
    public var pageSize: Int
    /// nil: sized for the workload.
    public var pageCount: Int?

    public init(
      policy: Policy = .first, pageSize: Int = ReplaySettings.defaultPageSize, pageCount: Int? = nil
    ) {
      self.policy = policy
      self.pageSize = pageSize
      self.pageCount = pageCount
    }
  }

  /// The keywords, for HELP and Tab.
  public static let keywords = ["REPLAY", "GENERATE", "RACE", "QUIZ", "STOP"]

  /// What the help lists under "Workloads".
  public static let helpText = """
    REPLAY file [policy=P] [p=16] [N=pages]   play a .rep or OSTEP trace in the player
    GENERATE seed=1 ops=1000 [options]        play a seeded random workload; options: min-bytes=1
      max-bytes=4096 alloc-percent=60 realloc-percent=0 sizes=uniform max-live=K policy=P p=16 N=pages
    RACE [policies] [by=external|failed|utilisation|runs]   the workload on several policies at once
    QUIZ                                      guess where each ALLOC lands (a small workload if none)
    STOP                                      leave the player (your heap is untouched)
    UNDO/REDO [n], GOTO step                  in the player: back, forward, to a step
    """

  /// Parses `line` if it is one of these commands; nil when its keyword is another.
  /// - Throws: a message for a malformed one.
  public static func parse(_ line: String) throws(WorkloadError) -> WorkloadCommand? {
    let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
    guard let keyword = words.first?.uppercased(), keywords.contains(keyword) else { return nil }
    var options: [String: (name: String, value: String)] = [:]
    var positional: [String] = []
    for word in words.dropFirst() {
      if let equals = word.firstIndex(of: "="), equals != word.startIndex {
        let name = String(word[..<equals])
        guard options[name.lowercased()] == nil else {
          throw WorkloadError("\(keyword): \(name) given twice")
        }
        options[name.lowercased()] = (name, String(word[word.index(after: equals)...]))
      } else {
        positional.append(word)
      }
    }
    var reader = OptionReader(keyword: keyword, options: options)
    let command: WorkloadCommand
    switch keyword {
    case "REPLAY":
      guard positional.count == 1 else {
        throw WorkloadError("REPLAY needs one trace file: REPLAY file [policy=P] [p=16] [N=pages]")
      }
      command = .replay(path: positional[0], try reader.heap())
    case "GENERATE":
      try noPositional(positional, keyword)
      guard let seed = try reader.int("seed", 0...Int.max), let ops = try reader.int("ops", 0...Int.max)
      else {
        throw WorkloadError("GENERATE needs seed= and ops=, e.g. GENERATE seed=1 ops=1000")
      }
      var generator = TraceGenerator(seed: UInt64(seed), operations: ops)
      generator.minBytes = try reader.int("min-bytes", 1...Int.max) ?? generator.minBytes
      generator.maxBytes = try reader.int("max-bytes", 1...Int.max) ?? generator.maxBytes
      generator.allocPercent = try reader.int("alloc-percent", 0...100) ?? generator.allocPercent
      generator.reallocPercent = try reader.int("realloc-percent", 0...100) ?? generator.reallocPercent
      generator.maxLive = try reader.int("max-live", 1...Int.max)
      if let sizes = reader.take("sizes") {
        guard let value = TraceGenerator.Sizes(rawValue: sizes.lowercased()) else {
          throw WorkloadError("GENERATE: sizes=\(sizes): expected uniform, exponential or powers")
        }
        generator.sizes = value
      }
      do {
        try generator.validate()
      } catch {
        throw WorkloadError("GENERATE: \(error.message)")
      }
      command = .generate(generator, try reader.heap())
    case "RACE":
      var policies: [Policy] = []
      for word in positional {
        guard let policy = Policy(rawValue: word.lowercased()) else {
          throw WorkloadError("RACE: \(word) is not a policy (first, next, best, worst, buddy)")
        }
        guard !policies.contains(policy) else { throw WorkloadError("RACE: \(word) given twice") }
        policies.append(policy)
      }
      var metric: RaceMetric?
      if let by = reader.take("by") {
        guard let value = RaceMetric(rawValue: by.lowercased()) else {
          throw WorkloadError("RACE: by=\(by): expected failed, utilisation, external or runs")
        }
        metric = value
      }
      command = .race(policies.isEmpty ? Policy.allCases : policies, metric)
    case "QUIZ":
      try noPositional(positional, keyword)
      command = .quiz
    default:
      try noPositional(positional, keyword)
      command = .stop
    }
    try reader.finish()
    return command
  }

  private static func noPositional(_ words: [String], _ keyword: String) throws(WorkloadError) {
    if let word = words.first { throw WorkloadError("\(keyword): unexpected \(word) (see HELP)") }
  }
}

/// What a RACE marks as best.
public enum RaceMetric: String, CaseIterable, Sendable {
  /// Fewest refused ALLOCs.
  case failed
  /// Most bytes in use (asked for: the buddy system's rounding up does not count as use).
  case utilisation
  /// Least external fragmentation.
  case external
  /// Fewest free runs.
  case runs

  /// The next metric (a key cycles through them).
  public var next: RaceMetric {
    let all = Self.allCases
    return all[(all.firstIndex(of: self)! + 1) % all.count]
  }

  /// The lanes' scores, lower is better.
  func score(_ metrics: Metrics) -> Double {
    switch self {
    case .failed: Double(metrics.failedAllocations)
    case .utilisation: -Double(metrics.bytesRequested)
    case .external: metrics.externalFragmentation
    case .runs: Double(metrics.freeRuns)
    }
  }
}

/// A malformed screen command.
public struct WorkloadError: Error, Equatable, Sendable {
  public let message: String
  init(_ message: String) { self.message = message }
}

/// Reads `key=value` options once each; what is left over is an error.
private struct OptionReader {
  let keyword: String
  /// By lowercased name: the name as typed (for messages) and the value.
  var options: [String: (name: String, value: String)]

  mutating func take(_ key: String) -> String? { options.removeValue(forKey: key)?.value }

  /// `key` as the user typed it (`N`, not `n`).
  func name(_ key: String) -> String { options[key]?.name ?? key }

  mutating func int(_ key: String, _ range: ClosedRange<Int>) throws(WorkloadError) -> Int? {
    let typed = name(key)
    guard let text = take(key) else { return nil }
    guard let value = Int(text), range.contains(value) else {
      let bound =
        range.upperBound == .max
        ? "at least \(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
      throw WorkloadError("\(keyword): \(typed)=\(text): expected a whole number, \(bound)")
    }
    return value
  }

  mutating func heap() throws(WorkloadError) -> WorkloadCommand.Heap {
    var heap = WorkloadCommand.Heap()
    if let text = take("policy") {
      guard let policy = Policy(rawValue: text.lowercased()) else {
        throw WorkloadError("\(keyword): policy=\(text): expected first, next, best, worst or buddy")
      }
      heap.policy = policy
    }
    heap.pageSize = try int("p", 1...Int.max) ?? heap.pageSize
    heap.pageCount = try int("n", 1...Int.max)
    return heap
  }

  func finish() throws(WorkloadError) {
    if let key = options.keys.sorted().first {
      throw WorkloadError("\(keyword): unknown option \(name(key))= (see HELP)")
    }
  }
}
