/// The heap's figures after `op` operations of a replay: one point of a timeline.
public struct ReplayPoint: Codable, Sendable, Equatable {
  /// Operations (trace lines) replayed so far, skipped frees included.
  public let op: Int
  /// ALLOCs and REALLOCs refused so far.
  public let failed: Int
  public let peakPagesInUse: Int
  public let pagesInUse: Int
  public let liveAllocations: Int
  public let freeRuns: Int
  public let longestFreeRun: Int
  public let externalFragmentation: Double
  public let internalFragmentationBytes: Int

  init(op: Int, _ metrics: Metrics) {
    self.op = op
    failed = metrics.failedAllocations
    peakPagesInUse = metrics.peakPagesUsed
    pagesInUse = metrics.pagesUsed
    liveAllocations = metrics.liveAllocations
    freeRuns = metrics.freeRuns
    longestFreeRun = metrics.longestFreeRun
    externalFragmentation = metrics.externalFragmentation
    internalFragmentationBytes = metrics.internalFragmentationBytes
  }
}
