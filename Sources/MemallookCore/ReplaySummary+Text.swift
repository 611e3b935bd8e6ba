/// Replay results as text: the summary, a comparison table and CSV.
extension ReplaySummary {
  /// The summary, one fact a line.
  public var text: String {
    let end = final
    return """
      replayed \(counted(operations, "operation")) with \(policy.title) on \(counted(pageCount, "page")) \
      of \(counted(pageSize, "byte"))
      failed allocations: \(end.failed)\(firstFailureOp.map { ", the first at operation \($0)" } ?? "")
      frees skipped (not live): \(skippedFrees)\(countsText)
      pages in use: \(end.pagesInUse) (\(Metrics.percent(utilization))), \
      peak \(end.peakPagesInUse) (\(Metrics.percent(peakUtilization)))
      live allocations: \(end.liveAllocations)
      free runs: \(end.freeRuns), longest \(counted(end.longestFreeRun, "page"))
      external fragmentation: \(Metrics.percent(end.externalFragmentation)) at the end, \
      \(Metrics.percent(meanExternalFragmentation)) on average
      internal fragmentation: \(counted(end.internalFragmentationBytes, "byte"))
      most pages in use after operation \(peakOp); \(worstFragmentationText)
      """
  }

  var worstFragmentationText: String {
    worstFragmentationOp == 0
      ? "never fragmented" : "worst external fragmentation after operation \(worstFragmentationOp)"
  }

  /// What else the trace had that a tidy one has not, one clause each (nothing when none).
  var countsText: String {
    let parts = [
      (counts.nullFrees, "free(NULL)"), (counts.reallocsOfNothing, "realloc of nothing (an ALLOC)"),
      (counts.reallocsToZero, "realloc to 0 (a free)"), (counts.zeroSizes, "request of 0 bytes (1 byte)"),
      (counts.allocsOfLiveIDs, "alloc of a live id (freed first)"),
    ].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
    return parts.isEmpty ? "" : "\nalso read as C's allocator would: " + parts.joined(separator: ", ")
  }

  /// The columns of `csv`.
  public static let csvHeader =
    "op,failed,peakPagesInUse,pagesInUse,liveAllocations,freeRuns,longestFreeRun,"
    + "externalFragmentation,internalFragmentationBytes"

  /// The timeline (or only the final figures without one) as CSV, a header line first.
  public var csv: String {
    var lines = [Self.csvHeader]
    for point in timeline ?? [final] {
      lines.append(
        "\(point.op),\(point.failed),\(point.peakPagesInUse),\(point.pagesInUse),\(point.liveAllocations),"
          + "\(point.freeRuns),\(point.longestFreeRun),\(Self.decimal(point.externalFragmentation)),"
          + "\(point.internalFragmentationBytes)")
    }
    return lines.joined(separator: "\n")
  }

  /// `0.123456` → `"0.1235"`: four decimals, no Foundation.
  static func decimal(_ value: Double) -> String {
    let scaled = Int((value * 10_000).rounded())
    let digits = String(scaled % 10_000)
    return "\(scaled / 10_000)." + String(repeating: "0", count: 4 - digits.count) + digits
  }

  /// Summaries of one trace under several policies, as a table for a slide.
  /// - Complexity: O(summaries).
  public static func table(_ summaries: [ReplaySummary]) -> String {
    let header = [
      "policy", "failed", "1st failure", "peak use", "peak at", "final use", "mean ext. frag.",
      "final ext. frag.", "worst at", "free runs", "int. frag. (bytes)",
    ]
    let rows = summaries.map { summary in
      [
        summary.policy.title, String(summary.final.failed), summary.firstFailureOp.map(String.init) ?? "-",
        Metrics.percent(summary.peakUtilization), String(summary.peakOp),
        Metrics.percent(summary.utilization),
        Metrics.percent(summary.meanExternalFragmentation),
        Metrics.percent(summary.final.externalFragmentation),
        summary.worstFragmentationOp == 0 ? "-" : String(summary.worstFragmentationOp),
        String(summary.final.freeRuns), String(summary.final.internalFragmentationBytes),
      ]
    }
    let widths = header.indices.map { column in
      ([header] + rows).map { $0[column].count }.max() ?? 0
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { column, cell in
        let pad = String(repeating: " ", count: widths[column] - cell.count)
        return column == 0 ? cell + pad : pad + cell
      }.joined(separator: "  ")
    }
    var lines: [String] = []
    if let first = summaries.first {
      lines.append(
        "\(counted(first.operations, "operation")) on \(counted(first.pageCount, "page")) "
          + "of \(counted(first.pageSize, "byte"))")
      lines.append("")
    }
    lines.append(line(header))
    lines += rows.map(line)
    return lines.joined(separator: "\n")
  }
}
