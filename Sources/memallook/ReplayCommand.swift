import ArgumentParser
import MemallookCore

/// What `replay` and `compare` share: the trace and the heap to replay it on.
struct TraceOptions: ParsableArguments {
  @Argument(help: "The trace (.rep, an OSTEP list or an mtrace log), or - for standard input.") var trace:
    String
  @Option(help: "The trace's format: rep, ostep or mtrace (default: from its first word).") var format:
    Trace.Format?
  @Flag(
    help:
      "Refuse what real traces contain (free(NULL), frees of blocks not live, reallocs of nothing, size 0, allocs of live ids) as errors."
  )
  var strict = false
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
      Every operation is played on the heap: alloc → ALLOC, free → DEALLOC, realloc → REALLOC. \
      Real traces are read as C's allocator would: free(NULL) (f -1) and frees of blocks that are not \
      live are skipped, a realloc of nothing allocates, a realloc to 0 frees, 0 bytes are 1, an alloc \
      of a live id frees it first; each is counted. --strict refuses them instead. The trace streams \
      (memory is the live blocks). A malformed trace is FILE:LINE: message (exit 64).
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
    let file = try TraceFile.open(input.trace)
    defer { file.close() }
    let settings = try input.settings(policy: policy, timeline: timeline)
    let pageCount =
      try settings.pageCount
      ?? TraceInput.survey(file, format: input.format, strict: input.strict, pageSize: settings.pageSize)
      .pageCount
    let summary = try TraceInput.replay(
      file, format: input.format, strict: input.strict, settings, pageCount: pageCount,
      label: "replaying (\(policy.title))", parsesAside: true)
    if json {
      Output.reply(TraceInput.json(summary))
    } else if csv {
      Output.reply(summary.csv)
    } else {
      Output.reply(summary.text)
    }
  }
}
