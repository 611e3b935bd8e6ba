import ArgumentParser
import Foundation
import MemallookCore

/// `memallook compare TRACE`: the same trace under every policy, side by side.
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare", abstract: "Replay a trace under several policies and compare them in a table.")
  @OptionGroup var input: TraceOptions
  @Option(
    help: ArgumentHelp(
      "Policies, comma-separated (default: all: \(Policy.allCases.map(\.rawValue).joined(separator: ","))).",
      valueName: "first,next,..."))
  var policies: String?
  @Flag(help: "A JSON array: one object per policy.") var json = false
  @Option(help: "Write a chart of fragmentation and utilization over the trace to this SVG file.") var svg:
    String?

  /// Points a chart line has at most.
  static let chartPoints = 500

  func run() throws {
    let chosen = try parsedPolicies()
    let trace = try TraceInput.read(input.trace, format: input.format)
    let interval = svg == nil ? nil : max(1, trace.operations.count / Self.chartPoints)
    let settings = try input.settings(policy: .first, timeline: interval)
    var summaries: [ReplaySummary] = []
    for policy in chosen {
      var each = settings
      each.policy = policy
      summaries.append(try TraceInput.replay(trace, each, label: "comparing (\(policy.title))"))
    }
    if let svg {
      let name = input.trace == "-" ? "standard input" : URL(fileURLWithPath: input.trace).lastPathComponent
      let chart = ReplayChart(
        title: "\(name): \(counted(trace.operations.count, "operation")) on "
          + "\(counted(summaries.first?.pageCount ?? 0, "page")) of \(counted(settings.pageSize, "byte"))",
        summaries: summaries)
      do {
        try Data(chart.svg.utf8).write(to: URL(fileURLWithPath: svg), options: .atomic)
      } catch {
        Output.error("memallook: cannot write \(svg): \(error.localizedDescription)")
        throw ExitCode(Status.usage)
      }
    }
    if json {
      Output.reply(TraceInput.json(summaries.map { summary in summary.withoutTimeline }))
    } else {
      Output.reply(ReplaySummary.table(summaries))
    }
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
