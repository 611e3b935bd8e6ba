/// The TUI player's own commands: they load and drive a workload in the player and
/// never change the heap you type commands on. Rows of `CommandTable`, offered on the
/// screen only; parsed like every command, with the same errors and columns.
public enum WorkloadCommand: Equatable, Sendable {
  /// `REPLAY file [policy] [p] [N] [strict]`: a `.rep`, OSTEP or mtrace trace, read as it is
  /// (what real traces contain played as C's allocator would) or strictly.
  case replay(path: String, Heap, strict: Bool = false)
  /// `GENERATE seed ops [min-bytes max-bytes alloc-percent realloc-percent sizes max-live policy p N]`.
  case generate(TraceGenerator, Heap)
  /// `RACE [policy ...] [by=METRIC]`: the loaded workload on several policies side by side.
  case race([Policy], RaceMetric?)
  /// `QUIZ`: guess where each ALLOC lands.
  case quiz
  /// `STOP`: leave the player, back to your heap.
  case stop
  /// `JUMP to`: to the moment a workload goes wrong.
  case jump(JumpTarget)

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

    /// The `policy`, `p` and `N` a row's arguments give.
    init(_ arguments: Arguments) throws(ParseError) {
      self.init()
      policy = try arguments.policy("policy") ?? policy
      pageSize = try arguments.positiveInteger("p", Expectation.pageSize) ?? pageSize
      pageCount = try arguments.positiveInteger("N", Expectation.pageCount)
    }
  }

  static let heapParameters: [ParameterSpec] = [.optional("policy"), .optional("p"), .optional("N")]

  /// The player's rows of the command table.
  static let rows: [CommandSpec] = [
    CommandSpec(
      "REPLAY", [.required("file")] + heapParameters + [.flag("strict")],
      "play a .rep, OSTEP or mtrace trace in the player (strict: refuse free(NULL) and the like)",
      fronts: .screen
    ) { arguments throws(ParseError) in
      .screen(
        .replay(path: arguments.word("file")!, try Heap(arguments), strict: try arguments.flag("strict")))
    },
    CommandSpec(
      "GENERATE",
      [
        .required("seed"), .required("ops"), .optional("min-bytes"), .optional("max-bytes"),
        .optional("alloc-percent"), .optional("realloc-percent"), .optional("sizes"), .optional("max-live"),
      ] + heapParameters,
      usage: "GENERATE seed=1 ops=1000 [options]",
      "play a seeded random workload (options as memallook generate's, named as its flags)",
      fronts: .screen
    ) { arguments throws(ParseError) in
      let seed = try arguments.wholeNumber("seed", "a whole number")!
      var generator = TraceGenerator(
        seed: UInt64(seed), operations: try arguments.wholeNumber("ops", "a whole number of operations")!)
      generator.minBytes = try arguments.positiveInteger("min-bytes", Expectation.bytes) ?? generator.minBytes
      generator.maxBytes = try arguments.positiveInteger("max-bytes", Expectation.bytes) ?? generator.maxBytes
      let percentage = "a percentage from 0 to 100"
      generator.allocPercent =
        try arguments.integer("alloc-percent", in: 0...100, percentage) ?? generator.allocPercent
      generator.reallocPercent =
        try arguments.integer("realloc-percent", in: 0...100, percentage) ?? generator.reallocPercent
      generator.maxLive = try arguments.positiveInteger("max-live", "a positive whole number of ids")
      generator.sizes = try arguments.choice("sizes", TraceGenerator.Sizes.self) ?? generator.sizes
      do throws(CommandError) {
        try generator.validate()
      } catch {
        guard case .invalidParameter(let name, let value, let expected) = error else {
          throw ParseError(error.message, column: nil)
        }
        throw ParseError(
          "\(name) must be \(expected), not \"\(value)\"", column: arguments.column(named: name))
      }
      return .screen(.generate(generator, try Heap(arguments)))
    },
    CommandSpec(
      "RACE", [.list("policy"), .optional("by")],
      "the workload on several policies (all by default); by=external|failed|utilisation|runs",
      fronts: .screen
    ) { arguments throws(ParseError) in
      let policies = try arguments.policies()
      return .screen(
        .race(policies.isEmpty ? Policy.allCases : policies, try arguments.choice("by", RaceMetric.self)))
    },
    CommandSpec("QUIZ", "guess where each ALLOC lands (a small workload if none)", fronts: .screen) {
      _ throws(ParseError) in .screen(.quiz)
    },
    CommandSpec(
      "JUMP", [.required("to")],
      "to where the workload goes wrong: failure (the next), -failure (the one before), peak, fragmentation",
      fronts: .screen
    ) { arguments throws(ParseError) in
      .screen(.jump(try arguments.choice("to", JumpTarget.self)!))
    },
    CommandSpec("STOP", "leave the player (your heap is untouched)", fronts: .screen) {
      _ throws(ParseError) in
      .screen(.stop)
    },
  ]
}

/// Where JUMP goes in a workload: the moments it goes wrong.
public enum JumpTarget: String, CaseIterable, Sendable {
  /// The next refused ALLOC or REALLOC after the current operation (in a race: on any policy).
  case failure
  /// The refused ALLOC or REALLOC before the current operation.
  case previousFailure = "-failure"
  /// The first operation after which the pages in use reach their maximum.
  case peak
  /// The first operation after which external fragmentation is highest.
  case fragmentation
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
  public func score(_ metrics: Metrics) -> Double {
    switch self {
    case .failed: Double(metrics.failedAllocations)
    case .utilisation: -Double(metrics.bytesRequested)
    case .external: metrics.externalFragmentation
    case .runs: Double(metrics.freeRuns)
    }
  }
}
