extension Trace {
  /// Pages for a replay when none are given: the most pages live at once
  /// (a moving realloc holding old and new), plus a quarter, at least 1.
  /// - Complexity: O(n + ids).
  public func defaultPageCount(pageSize: Int) -> Int {
    guard pageSize > 0 else { return 1 }
    let peak = peakLiveBytes(pageSize: pageSize) / pageSize
    return max(1, peak.saturatingAdding((peak + 3) / 4))
  }

  /// Replays the trace on a fresh session (`NEW p N policy`), every operation a
  /// `Command` through `Session.apply`: alloc → ALLOC, free → DEALLOC of the
  /// id's tag, realloc → REALLOC (ALLOC when the id's allocation had failed, as
  /// C's `realloc(NULL, n)`). A free of an id whose allocation failed is skipped
  /// and counted; refused ALLOCs and REALLOCs count as failed.
  /// - Parameter progress: told the operations done every 65,536 operations.
  /// - Throws: what NEW throws for a heap that cannot be made (a page size of 0, too large).
  /// - Complexity: the cost of the commands, plus O(1) per operation.
  public func replay(_ settings: ReplaySettings, progress: ((Int) -> Void)? = nil) throws(CommandError)
    -> ReplaySummary
  {
    let pageCount = settings.pageCount ?? defaultPageCount(pageSize: settings.pageSize)
    var session = Session(seed: 0)
    _ = try session.apply(.new(pageSize: settings.pageSize, pageCount: pageCount, policy: settings.policy))
    let interval = settings.timelineInterval.map { max(1, $0) } ?? Int.max
    var timeline: [ReplayPoint] = []
    var tags = [Int](repeating: 0, count: idCount)  // 0: no allocation (its ALLOC failed)
    var skipped = 0
    var fragmentationSum = 0.0
    var untilSample = interval
    for (index, operation) in operations.enumerated() {
      switch operation {
      case .alloc(let id, let bytes):
        tags[id] = Self.tag(try? session.apply(.alloc(bytes: bytes)))
      case .free(let id):
        if tags[id] == 0 {
          skipped += 1
        } else {
          _ = try? session.apply(.dealloc(tag: String(tags[id])))
          tags[id] = 0
        }
      case .realloc(let id, let bytes):
        if tags[id] == 0 {
          tags[id] = Self.tag(try? session.apply(.alloc(bytes: bytes)))
        } else {
          _ = try? session.apply(.realloc(tag: String(tags[id]), bytes: bytes))
        }
      }
      fragmentationSum += session.heap?.externalFragmentation ?? 0
      untilSample -= 1
      if untilSample == 0 {
        untilSample = interval
        timeline.append(ReplayPoint(op: index + 1, session.heap!.metrics))
      }
      if index & 0xFFFF == 0xFFFF { progress?(index + 1) }
    }
    return ReplaySummary(
      policy: settings.policy, pageSize: settings.pageSize, pageCount: pageCount,
      operations: operations.count,
      skippedFrees: skipped,
      meanExternalFragmentation: operations.isEmpty ? 0 : fragmentationSum / Double(operations.count),
      final: ReplayPoint(op: operations.count, session.heap!.metrics),
      timeline: settings.timelineInterval == nil ? nil : timeline)
  }

  /// The tag an ALLOC's reply gave, 0 when it failed.
  private static func tag(_ reply: Reply?) -> Int {
    if case .allocated(let allocation)? = reply { return allocation.tag }
    return 0
  }
}

extension Heap {
  /// `metrics.externalFragmentation` without the rest of the metrics: the replay's per-operation figure.
  /// - Complexity: O(1).
  var externalFragmentation: Double {
    pagesFree == 0 ? 0 : 1 - Double(freeRunsByStart.maxValue ?? 0) / Double(pagesFree)
  }
}
