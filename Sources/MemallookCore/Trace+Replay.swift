extension Trace {
  /// Pages for a replay when none are given: the most pages live at once
  /// (a moving realloc holding old and new), plus a quarter, at least 1.
  /// - Complexity: O(n + ids).
  public func defaultPageCount(pageSize: Int) -> Int {
    guard pageSize > 0 else { return 1 }
    var live = LiveBytes(pageSize: pageSize)
    for operation in operations { live.apply(operation) }
    return live.pageCount
  }

  /// Replays the trace on a fresh heap (`NEW p N policy`) with `TraceReplayer`.
  /// - Throws: what NEW throws for a heap that cannot be made (a page size of 0, too large).
  /// - Complexity: the cost of the heap's operations, plus O(1) per operation.
  public func replay(_ settings: ReplaySettings) throws(CommandError) -> ReplaySummary {
    try replay(settings, goingOn: { true })!
  }

  /// Replays the trace as `replay(_:)` does, asking `goingOn` every 65,536 operations
  /// whether to go on: nil when it said no (a server's time limit).
  public func replay(_ settings: ReplaySettings, goingOn: () -> Bool) throws(CommandError) -> ReplaySummary? {
    var replayer = try TraceReplayer(
      settings: settings, pageCount: settings.pageCount ?? defaultPageCount(pageSize: settings.pageSize),
      mapsFirstPages: false)
    for start in stride(from: 0, to: operations.count, by: 1 << 16) {
      replayer.play(operations, start..<min(operations.count, start + 1 << 16))
      if start + 1 << 16 <= operations.count, !goingOn() { return nil }
    }
    return replayer.summary
  }
}
