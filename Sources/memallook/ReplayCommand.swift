import ArgumentParser
import MemallookCore

/// What `replay` and `compare` share: the trace and the heap to replay it on.
struct TraceOptions: ParsableArguments {
  @Argument(help: "The trace (.rep or an OSTEP list), or - for standard input.") var trace: String
  @Option(help: "The trace's format (default: from its first word).") var format: Trace.Format?
  @Option(help: "Bytes per page (default \(ReplaySettings.defaultPageSize)).") var pageSize: Int?
  @Option(help: "Pages (default: the trace's peak of live pages plus a quarter).") var pages: Int?

  func settings(policy: Policy, timeline: Int? = nil) throws -> ReplaySettings {
    if let pageSize, pageSize <= 0 {
      throw ValidationError("--page-size must be a positive whole number of bytes, not \(pageSize)")
    }
    if let pages, pages <= 0 {
      throw ValidationError("--pages must be a positive whole number, not \(pages)")
    }
    return ReplaySettings(
      policy: policy, pageSize: pageSize ?? ReplaySettings.defaultPageSize, pageCount: pages,
      timelineInterval: timeline)
  }
}

/// `memallook replay TRACE`: a trace on a fresh in-memory heap, and what it did.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay", abstract: "Replay a trace on a fresh in-memory heap and summarize it.",
    discussion: """
      Every operation is a command on the heap: alloc → ALLOC, free → DEALLOC, realloc → REALLOC \
      (ALLOC when the id's allocation failed); a free of an id whose allocation failed is skipped. \
      A malformed trace is reported as FILE:LINE: message (exit 64) and nothing is replayed.
      """)
  @OptionGroup var input: TraceOptions
  @Option(help: "The placement policy.") var policy: Policy = .first
  @Flag(help: "One JSON object.") var json = false
  @Flag(help: "CSV: the timeline (or the final figures), a header line first.") var csv = false
  @Option(help: "Sample the figures every K operations.") var timeline: Int?

  func run() throws {
    if let timeline, timeline <= 0 {
      throw ValidationError("--timeline must be a positive number of operations")
    }
    let trace = try TraceInput.read(input.trace, format: input.format)
    let summary = try TraceInput.replay(
      trace, try input.settings(policy: policy, timeline: timeline), label: "replaying (\(policy.title))")
    if json {
      Output.reply(TraceInput.json(summary))
    } else if csv {
      Output.reply(summary.csv)
    } else {
      Output.reply(summary.text)
    }
  }
}
