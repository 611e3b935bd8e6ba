import MemallookCore

/// The player's parts of the screen: the timeline, the race's panels, the chart, the results.
extension Model {
  /// The chart's palette entries: a lane's colour, and the single heap's two lines.
  static let fragmentationSeries = 6
  static let utilisationSeries = 2

  /// The timeline row: where the player (or your history) is, as a bar, then the operation
  /// played last and what it did (in the quiz: the score and its keys; for your heap: the keys).
  func drawTimeline(row: Int, into frame: inout Frame) {
    let ascii = options.glyphs == .ascii
    let left: String
    var right = ""
    var text: (text: String, isError: Bool) = ("", false)
    let (position, total): (Int, Int)
    if let playback {
      let player = playback.player
      (position, total) = (player.position, player.count)
      left =
        (playback.playing ? (ascii ? " > " : " ▶ ") : (ascii ? " || " : " ❚❚ ")) + "\(position)/\(total) "
      right = " \(Self.progress(position, of: total))"
      if let quiz = playback.quiz {
        right += "  quiz \(quiz.right)/\(quiz.asked) right  "
        text = ("Enter/click: here  x: it fails  Ctrl-Z: back", false)
      } else {
        right += "  \(playback.speed) op/s"
        if playback.isRace { right += "  \(ascii ? "*" : "★") \(playback.metric.rawValue)" }
        right += "  "
        text = positionText(playback)
      }
    } else {
      let history = session.history
      (position, total) = (history.step - history.base, history.lastStep - history.base)
      left = " history \(history.step)/\(history.lastStep) "
      right = "  "
      text = ("\(KeyTable.firstKey(for: .undo)) back  \(KeyTable.firstKey(for: .redo)) forward", false)
    }
    var x = frame.put(left, x: 0, y: row, style: .prompt)
    let barWidth = max(8, min(30, width / 6))
    let filled = total == 0 ? barWidth : position * barWidth / total
    for column in 0..<barWidth {
      let full = column < filled
      frame[x + column, row] = Cell(
        character: full ? (ascii ? "#" : "█") : (ascii ? "-" : "░"), style: full ? .success : .dim)
    }
    x += barWidth
    x += frame.put(right, x: x, y: row)
    frame.put(text.text, x: x, y: row, style: text.isError ? .error : .dim, limit: width - x)
  }

  /// `position / total` as a percentage rounded down: 100.0% only at the end.
  static func progress(_ position: Int, of total: Int) -> String {
    let tenths = total == 0 ? 1000 : position.saturatingMultiplied(by: 1000) / total
    return "\(tenths / 10).\(tenths % 10)%"
  }

  /// One panel per policy, each with its summary line and its whole heap fitted in; the leader starred.
  func drawRace(_ playback: Playback, _ layout: Layout, into frame: inout Frame) {
    let lanes = playback.player.lanes
    let leaders = playback.leaders
    let star = options.glyphs == .ascii ? "*" : "★"
    for (index, panel) in layout.panels.enumerated() {
      let lane = lanes[index]
      let leads = leaders.contains(index)
      drawBox(panel, title: lane.policy.title + (leads ? " \(star)" : ""), into: &frame)
      // The summary on one line when it fits, else on two: a number is never cut.
      let summary = Self.raceSummary(lane.metrics)
      let inner = panel.width - 2
      let lines = summary.joined(separator: "  ").count <= inner ? [summary.joined(separator: "  ")] : summary
      for (row, line) in lines.enumerated() {
        frame.put(line, x: panel.x + 1, y: panel.y + 1 + row, style: leads ? .prompt : .dim, limit: inner)
      }
      let rows = panel.height - 2 - lines.count
      let geometry = GridGeometry(pages: lane.heap.pageCount, width: inner, rows: rows, zoom: nil)
      drawCells(
        lane.heap, geometry, firstPage: 0, rows: rows, at: (panel.x + 1, panel.y + 1 + lines.count),
        into: &frame)
    }
    if layout.panels.count < lanes.count, let first = layout.panels.first {
      let note = " \(layout.panels.count)/\(lanes.count) shown "
      frame.put(note, x: first.x + 2, y: first.y + first.height - 1, style: .border, limit: first.width - 4)
    }
    if layout.panels.isEmpty {
      frame.put("the race needs a larger terminal", x: 1, y: layout.grid.y + 1, style: .error)
    }
  }

  /// A race panel's figures, in two halves.
  static func raceSummary(_ metrics: Metrics) -> [String] {
    let used = Metrics.percent(Double(metrics.pagesUsed) / Double(max(1, metrics.pageCount)))
    return [
      "failed \(metrics.failedAllocations)  used \(used)",
      "ext \(Metrics.percent(metrics.externalFragmentation))  runs \(metrics.freeRuns)",
    ]
  }

  /// External fragmentation (and, for one heap, utilisation) over the timeline, the current step marked.
  func drawChart(in rect: Rect, into frame: inout Frame) {
    var series: [Chart.Series] = []
    let steps: Int
    let marker: Int?
    if let playback {
      let player = playback.player
      steps = player.count
      marker = player.position
      if playback.isRace {
        for (index, lane) in player.lanes.enumerated() {
          series.append(
            Chart.Series(name: lane.policy.rawValue, values: lane.fragmentation[...], style: .series(index)))
        }
      } else {
        series = [
          Chart.Series(
            name: "utilisation", values: playback.lane.utilisation[...],
            style: .series(Self.utilisationSeries)),
          Chart.Series(
            name: "external fragmentation", values: playback.lane.fragmentation[...],
            style: .series(Self.fragmentationSeries)),
        ]
      }
    } else {
      steps = max(1, chartHistory.count - 1)
      marker = chartHistory.count - 1
      series = [
        Chart.Series(
          name: "utilisation", values: chartHistory.map(\.utilisation)[...],
          style: .series(Self.utilisationSeries)),
        Chart.Series(
          name: "external fragmentation", values: chartHistory.map(\.fragmentation)[...],
          style: .series(Self.fragmentationSeries)),
      ]
    }
    let isRace = playback?.isRace ?? false
    drawBox(rect, title: isRace ? "External fragmentation" : "Chart", into: &frame)
    // The legend on the top border, each name in its line's colour.
    var x = rect.x + (isRace ? 28 : 11)
    for line in series {
      guard x + line.name.count + 3 < rect.x + rect.width else { break }
      x += frame.put(" " + line.name + " ", x: x, y: rect.y, style: line.style) + 1
    }
    let inside = Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2)
    Chart(series: series, steps: steps, marker: marker).draw(in: inside, glyphs: options.glyphs, into: &frame)
  }

  /// At the end of a race: the results as `memallook compare` prints them, over the panels.
  func drawResults(_ playback: Playback, into frame: inout Frame) {
    let summaries = playback.player.summaries
    var lines = ReplaySummary.table(summaries).split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
    var title = "Results (as memallook compare)"
    if (lines.map(\.count).max() ?? 0) + 6 > width {
      // Too narrow for every column: the main ones, whole (memallook compare prints all).
      lines = Self.shortTable(summaries)
      title = "Results (memallook compare has more)"
    }
    let boxWidth = min(width - 2, (lines.map(\.count).max() ?? 0) + 4)
    let boxHeight = min(height - 4, lines.count + 2)
    let rect = Rect(
      x: (width - boxWidth) / 2, y: max(1, (height - boxHeight) / 2 - 2), width: boxWidth, height: boxHeight)
    for y in rect.y..<rect.y + rect.height {
      frame.fill(y: y, from: rect.x, to: rect.x + rect.width, style: .normal)
    }
    drawBox(rect, title: title, into: &frame)
    for (row, line) in lines.prefix(boxHeight - 2).enumerated() {
      frame.put(line, x: rect.x + 2, y: rect.y + 1 + row, limit: boxWidth - 4)
    }
  }

  /// The results' main columns, for a terminal too narrow for all of them.
  static func shortTable(_ summaries: [ReplaySummary]) -> [String] {
    let header = ["policy", "failed", "use", "ext. frag.", "runs"]
    let rows = summaries.map { summary in
      [
        summary.policy.rawValue, String(summary.final.failed), Metrics.percent(summary.utilization),
        Metrics.percent(summary.final.externalFragmentation), String(summary.final.freeRuns),
      ]
    }
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    return ([header] + rows).map { cells in
      cells.enumerated().map { column, cell in
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        return column == 0 ? cell + padding : padding + cell
      }.joined(separator: "  ")
    }
  }
}
