/// The query parameters of `/replay` and `/compare`, named as the CLI's options.
extension Operation.Parameter {
  static let tracePageSize = Self(
    name: "page-size", description: "bytes per page, default 16", positiveInteger: true)
  static let tracePages = Self(
    name: "pages", description: "pages, default: the trace's peak of live pages plus a quarter",
    positiveInteger: true)
  static let timeline = Self(
    name: "timeline", description: "sample the figures every K operations", positiveInteger: true)
  static let traceFormat = Self(
    name: "trace-format", description: "rep, ostep or mtrace, default: from the trace's first word",
    positiveInteger: false)
  static let strict = Self(
    name: "strict",
    description: "true: refuse what real traces contain (free(NULL), frees of blocks not live, ...)",
    positiveInteger: false)
  static let policies = Self(
    name: "policies", description: "policies separated by commas, default: all", positiveInteger: false)
}
