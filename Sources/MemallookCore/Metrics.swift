/// Numbers that describe how well the heap is used, derived from a `Heap`.
public struct Metrics: Sendable, Equatable, Codable {
  public let pageSize: Int
  public let pageCount: Int
  public let pagesUsed: Int
  public let pagesFree: Int
  public let peakPagesUsed: Int
  /// Bytes asked for by live allocations.
  public let bytesRequested: Int
  /// Bytes of the pages they occupy.
  public let bytesReserved: Int
  /// Free runs (maximal runs of free pages).
  public let freeRuns: Int
  public let longestFreeRun: Int
  public let liveAllocations: Int
  public let failedAllocations: Int

  /// Reserved bytes that were not asked for: `bytesReserved - bytesRequested`.
  public var internalFragmentationBytes: Int { bytesReserved - bytesRequested }

  /// `internalFragmentationBytes / bytesReserved`, 0 when nothing is reserved.
  public var internalFragmentation: Double {
    bytesReserved == 0 ? 0 : Double(internalFragmentationBytes) / Double(bytesReserved)
  }

  /// `1 - longestFreeRun / pagesFree`, 0 when no page is free: how much of the
  /// free space an ALLOC cannot use in one piece.
  public var externalFragmentation: Double {
    pagesFree == 0 ? 0 : 1 - Double(longestFreeRun) / Double(pagesFree)
  }
}

extension Heap {
  /// The heap's metrics. - Complexity: O(1).
  public var metrics: Metrics {
    Metrics(
      pageSize: pageSize, pageCount: pageCount, pagesUsed: pagesInUse, pagesFree: pagesFree,
      peakPagesUsed: peakPagesInUse, bytesRequested: bytesInUse, bytesReserved: pagesInUse * pageSize,
      freeRuns: freeRunsByStart.count, longestFreeRun: freeRunsByStart.maxValue ?? 0,
      liveAllocations: allocations.count, failedAllocations: failedAllocations)
  }
}

extension Metrics {
  /// The STATS text, one fact per line.
  public var text: String {
    """
    pages: \(pagesUsed) used, \(pagesFree) free of \(pageCount) (peak \(peakPagesUsed) used)
    bytes: \(bytesRequested) requested, \(bytesReserved) reserved \
    (internal fragmentation \(counted(internalFragmentationBytes, "byte")), \(Self.percent(internalFragmentation)))
    free runs: \(freeRuns), longest \(pages(longestFreeRun)) \
    (external fragmentation \(Self.percent(externalFragmentation)))
    allocations: \(liveAllocations) live, \(failedAllocations) failed
    """
  }
}

extension Metrics {
  /// `0.25` → `"25.0%"`, without Foundation; `fraction` is never negative here.
  public static func percent(_ fraction: Double) -> String {
    let tenths = Int(fraction * 1000 + 0.5)
    return "\(tenths / 10).\(tenths % 10)%"
  }
}
