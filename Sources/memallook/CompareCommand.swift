import ArgumentParser
import Dispatch
import Foundation
import MemallookCore

/// `memallook compare TRACE`: the same trace under every policy, side by side.
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Replay a trace under several policies and compare them in a table.",
    discussion: """
      The policies replay in parallel, one per core, each streaming the trace (see replay for how \\
      real traces are read).
      """)
  @OptionGroup var input: TraceOptions
  @Option(
    help: ArgumentHelp(
      "Policies, comma-separated (default: all: \(Policy.allCases.map(\.rawValue).joined(separator: ","))).",
      valueName: "first,next,..."))
  var policies: String?
  @Flag(help: "A JSON array: one object per policy.") var json = false
  @Option(
    help: "Write a chart of fragmentation and utilization over the trace to this SVG file (- for stdout).")
  var svg: String?

  /// Points a chart line has at most.
  static let chartPoints = 500

  func run() throws {
    let chosen = try parsedPolicies()
    let file = try TraceFile.open(input.trace)
    defer { file.close() }
    let base = try input.settings(policy: .first)
    var pageCount = base.pageCount
    var interval: Int?
    if pageCount == nil || svg != nil {
      let survey = try TraceInput.survey(
        file, format: input.format, strict: input.strict, pageSize: base.pageSize)
      pageCount = pageCount ?? survey.pageCount
      if svg != nil { interval = max(1, survey.operations / Self.chartPoints) }
    }
    let summaries = try Self.replayInParallel(
      file, input: input, policies: chosen, settings: base, pageCount: pageCount!, timeline: interval)
    if let svg {
      let name = input.trace == "-" ? "standard input" : URL(fileURLWithPath: input.trace).lastPathComponent
      let operations = summaries.first?.operations ?? 0
      let chart = ReplayChart(
        title: "\(name): \(counted(operations, "operation")) on "
          + "\(counted(pageCount!, "page")) of \(counted(base.pageSize, "byte"))",
        summaries: summaries)
      guard OutputFile.write(Array(chart.svg.utf8), to: svg) else { throw ExitCode(Status.cannotCreate) }
    }
    if let svg, OutputFile.descriptor(named: svg) == STDOUT_FILENO { return }  // the chart is the output
    if json {
      Output.reply(TraceInput.json(summaries.map { summary in summary.withoutTimeline }))
    } else {
      Output.reply(ReplaySummary.table(summaries))
    }
  }

  /// Each policy's replay on a thread of its own, as many at once as there are cores
  /// (each streams the file: nothing is shared but the file). The first failure wins.
  static func replayInParallel(
    _ file: TraceFile, input: TraceOptions, policies: [Policy], settings: ReplaySettings, pageCount: Int,
    timeline: Int?
  ) throws -> [ReplaySummary] {
    let results = Results(count: policies.count)
    DispatchQueue.concurrentPerform(iterations: policies.count) { index in
      var each = settings
      each.policy = policies[index]
      each.timelineInterval = timeline
      // One progress bar, the first policy's: the others keep pace with it.
      results.set(
        index,
        Result {
          try TraceInput.replay(
            file, format: input.format, strict: input.strict, each, pageCount: pageCount,
            label: "comparing \(policies.count) policies", showsProgress: index == 0)
        })
    }
    return try results.values.map { try $0!.get() }
  }

  /// `--policies first,best` read through `Policy`, so every policy there is can be named.
  func parsedPolicies() throws -> [Policy] {
    guard let policies else { return Policy.allCases }
    switch Policy.list(policies) {
    case .success(let chosen): return chosen
    case .failure(let error): throw ValidationError("--policies: \(error.message)")
    }
  }
}

/// The results of parallel replays, each set once from its own thread.
private final class Results: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<ReplaySummary, any Error>?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ result: Result<ReplaySummary, any Error>) {
    lock.lock()
    defer { lock.unlock() }
    slots[index] = result
  }

  var values: [Result<ReplaySummary, any Error>?] {
    lock.lock()
    defer { lock.unlock() }
    return slots
  }
}
