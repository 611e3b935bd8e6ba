/// What a replay did: the heap it ran on, the figures at the end (flat in JSON,
/// beside the others), the mean external fragmentation and, if asked, a timeline.
public struct ReplaySummary: Codable, Sendable, Equatable {
  public let policy: Policy
  public let pageSize: Int
  public let pageCount: Int
  /// Operations in the trace.
  public let operations: Int
  /// Frees of ids whose allocation had failed: skipped, as `free(NULL)`.
  public let skippedFrees: Int
  /// External fragmentation after each operation, averaged over the operations (0 for none).
  public let meanExternalFragmentation: Double
  /// The figures after the last operation.
  public let final: ReplayPoint
  /// The figures after operations K, 2K, 3K, ... when a timeline was asked for.
  public let timeline: [ReplayPoint]?

  /// Pages in use at the end over pages.
  public var utilization: Double { Double(final.pagesInUse) / Double(pageCount) }
  /// The most pages in use at once over pages.
  public var peakUtilization: Double { Double(final.peakPagesInUse) / Double(pageCount) }

  public init(
    policy: Policy, pageSize: Int, pageCount: Int, operations: Int, skippedFrees: Int,
    meanExternalFragmentation: Double, final: ReplayPoint, timeline: [ReplayPoint]?
  ) {
    self.policy = policy
    self.pageSize = pageSize
    self.pageCount = pageCount
    self.operations = operations
    self.skippedFrees = skippedFrees
    self.meanExternalFragmentation = meanExternalFragmentation
    self.final = final
    self.timeline = timeline
  }

  /// The same summary without its timeline.
  public var withoutTimeline: ReplaySummary {
    ReplaySummary(
      policy: policy, pageSize: pageSize, pageCount: pageCount, operations: operations,
      skippedFrees: skippedFrees,
      meanExternalFragmentation: meanExternalFragmentation, final: final, timeline: nil)
  }

  private enum CodingKeys: String, CodingKey {
    case policy, pageSize, pageCount, operations, skippedFrees, meanExternalFragmentation, timeline
    case utilization, peakUtilization
  }

  public func encode(to encoder: any Encoder) throws {
    try final.encode(to: encoder)
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(policy, forKey: .policy)
    try container.encode(pageSize, forKey: .pageSize)
    try container.encode(pageCount, forKey: .pageCount)
    try container.encode(operations, forKey: .operations)
    try container.encode(skippedFrees, forKey: .skippedFrees)
    try container.encode(meanExternalFragmentation, forKey: .meanExternalFragmentation)
    try container.encode(utilization, forKey: .utilization)
    try container.encode(peakUtilization, forKey: .peakUtilization)
    try container.encodeIfPresent(timeline, forKey: .timeline)
  }

  public init(from decoder: any Decoder) throws {
    final = try ReplayPoint(from: decoder)
    let container = try decoder.container(keyedBy: CodingKeys.self)
    policy = try container.decode(Policy.self, forKey: .policy)
    pageSize = try container.decode(Int.self, forKey: .pageSize)
    pageCount = try container.decode(Int.self, forKey: .pageCount)
    operations = try container.decode(Int.self, forKey: .operations)
    skippedFrees = try container.decode(Int.self, forKey: .skippedFrees)
    meanExternalFragmentation = try container.decode(Double.self, forKey: .meanExternalFragmentation)
    timeline = try container.decodeIfPresent([ReplayPoint].self, forKey: .timeline)
  }
}
