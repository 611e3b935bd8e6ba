/// How to replay a trace: the heap to make and whether to sample a timeline.
public struct ReplaySettings: Sendable, Equatable {
  public var policy: Policy
  public var pageSize: Int
  /// Pages of the heap; nil derives it from the trace (`Trace.defaultPageCount`).
  public var pageCount: Int?
  /// Sample the figures after every `timelineInterval` operations; nil for no timeline.
  public var timelineInterval: Int?

  public init(
    policy: Policy = .first, pageSize: Int = defaultPageSize, pageCount: Int? = nil,
    timelineInterval: Int? = nil
  ) {
    self.policy = policy
    self.pageSize = pageSize
    self.pageCount = pageCount
    self.timelineInterval = timelineInterval
  }

  /// 16 bytes a page, as in the exercise's `NEW 16 64`.
  public static let defaultPageSize = 16
}
