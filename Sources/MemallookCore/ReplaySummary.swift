/// What a replay did: the heap it ran on, the figures at the end (flat in JSON,
/// beside the others), the mean external fragmentation and, if asked, a timeline.
public struct ReplaySummary: Codable, Sendable, Equatable {
  public let policy: Policy
  public let pageSize: Int
  public let pageCount: Int
  /// Operations in the trace.
  public let operations: Int
  /// Frees of ids that were not live (their allocation had failed, or a real capture's
  /// free of a block from before it): skipped.
  public var skippedFrees: Int { counts.skippedFrees }
  /// What else the trace had that a tidy one does not (`TraceReplayer.Counts`).
  public let counts: TraceReplayer.Counts
  /// The first refused ALLOC or REALLOC (operations counted from 1), if any.
  public let firstFailureOp: Int?
  /// The first operation after which pages in use reach their maximum.
  public let peakOp: Int
  /// The first operation after which external fragmentation is highest.
  public let worstFragmentationOp: Int
  /// Operations between two timeline points (more than asked when the trace was long:
  /// a timeline keeps at most `TraceReplayer.maximumTimelinePoints`).
  public let timelineInterval: Int?
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
    policy: Policy, pageSize: Int, pageCount: Int, operations: Int, counts: TraceReplayer.Counts,
    landmarks: TraceReplayer.Landmarks, meanExternalFragmentation: Double, final: ReplayPoint,
    timeline: [ReplayPoint]?, timelineInterval: Int?
  ) {
    self.policy = policy
    self.pageSize = pageSize
    self.pageCount = pageCount
    self.operations = operations
    self.counts = counts
    firstFailureOp = landmarks.firstFailureOp
    peakOp = landmarks.peakOp
    worstFragmentationOp = landmarks.worstFragmentationOp
    self.meanExternalFragmentation = meanExternalFragmentation
    self.final = final
    self.timeline = timeline
    self.timelineInterval = timelineInterval
  }

  /// The same summary without its timeline.
  public var withoutTimeline: ReplaySummary {
    var landmarks = TraceReplayer.Landmarks()
    landmarks.firstFailureOp = firstFailureOp
    landmarks.peakOp = peakOp
    landmarks.worstFragmentationOp = worstFragmentationOp
    return ReplaySummary(
      policy: policy, pageSize: pageSize, pageCount: pageCount, operations: operations, counts: counts,
      landmarks: landmarks, meanExternalFragmentation: meanExternalFragmentation, final: final, timeline: nil,
      timelineInterval: nil)
  }

  private enum CodingKeys: String, CodingKey {
    case policy, pageSize, pageCount, operations, skippedFrees, meanExternalFragmentation, timeline
    case utilization, peakUtilization, firstFailureOp, peakOp, worstFragmentationOp, timelineInterval
    case nullFrees, reallocsOfNothing, reallocsToZero, zeroSizes, allocsOfLiveIDs
  }

  public func encode(to encoder: any Encoder) throws {
    try final.encode(to: encoder)
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(policy, forKey: .policy)
    try container.encode(pageSize, forKey: .pageSize)
    try container.encode(pageCount, forKey: .pageCount)
    try container.encode(operations, forKey: .operations)
    try container.encode(counts.skippedFrees, forKey: .skippedFrees)
    try container.encode(counts.nullFrees, forKey: .nullFrees)
    try container.encode(counts.reallocsOfNothing, forKey: .reallocsOfNothing)
    try container.encode(counts.reallocsToZero, forKey: .reallocsToZero)
    try container.encode(counts.zeroSizes, forKey: .zeroSizes)
    try container.encode(counts.allocsOfLiveIDs, forKey: .allocsOfLiveIDs)
    // null when nothing failed, as the clients expect the key always there.
    try container.encode(firstFailureOp, forKey: .firstFailureOp)
    try container.encode(peakOp, forKey: .peakOp)
    try container.encode(worstFragmentationOp, forKey: .worstFragmentationOp)
    try container.encodeIfPresent(timelineInterval, forKey: .timelineInterval)
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
    var counts = TraceReplayer.Counts()
    counts.skippedFrees = try container.decode(Int.self, forKey: .skippedFrees)
    counts.nullFrees = try container.decodeIfPresent(Int.self, forKey: .nullFrees) ?? 0
    counts.reallocsOfNothing = try container.decodeIfPresent(Int.self, forKey: .reallocsOfNothing) ?? 0
    counts.reallocsToZero = try container.decodeIfPresent(Int.self, forKey: .reallocsToZero) ?? 0
    counts.zeroSizes = try container.decodeIfPresent(Int.self, forKey: .zeroSizes) ?? 0
    counts.allocsOfLiveIDs = try container.decodeIfPresent(Int.self, forKey: .allocsOfLiveIDs) ?? 0
    self.counts = counts
    firstFailureOp = try container.decodeIfPresent(Int.self, forKey: .firstFailureOp)
    peakOp = try container.decodeIfPresent(Int.self, forKey: .peakOp) ?? 0
    worstFragmentationOp = try container.decodeIfPresent(Int.self, forKey: .worstFragmentationOp) ?? 0
    timelineInterval = try container.decodeIfPresent(Int.self, forKey: .timelineInterval)
    meanExternalFragmentation = try container.decode(Double.self, forKey: .meanExternalFragmentation)
    timeline = try container.decodeIfPresent([ReplayPoint].self, forKey: .timeline)
  }
}
