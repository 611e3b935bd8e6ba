import MemallookCore

/// The player's parts of the screen: the timeline, the race's panels, the chart, the results.
extension Model {
  /// The chart's palette entries: a lane's colour, and the single heap's two lines.
  static let fragmentationSeries = 6
  static let utilisationSeries = 2

  /// The timeline row: where the player (or your history) is, as a bar, with the keys that move it.
  func drawTimeline(row: Int, into frame: inout Frame) {
    let ascii = options.glyphs == .ascii
    let (left, right, hint): (String, String, String)
    let (position, total): (Int, Int)
    if let playback {
      let player = playback.player
      (position, total) = (player.position, player.count)
      left =
        (playback.playing ? (ascii ? " > " : " ▶ ") : (ascii ? " || " : " ❚❚ ")) + "\(position)/\(total) "
      var tail = " \(Metrics.percent(total == 0 ? 1 : Double(position) / Double(total)))"
      if let quiz = playback.quiz {
        tail += "  quiz \(quiz.right)/\(quiz.asked) right"
      } else {
        tail += "  \(playback.speed) op/s"
      }
      right = tail
      hint =
        playback.quiz != nil
        ? "  arrows + Enter (or a click): it lands there  x: it fails  Ctrl-Z: the question before"
        : "  \(KeyTable.firstKey(for: .playPause)) play  Left/Right step  [ ] 10%  Home/End"
    } else {
      let history = session.history
      (position, total) = (history.step - history.base, history.lastStep - history.base)
      left = " history \(history.step)/\(history.lastStep) "
      right = ""
      hint =
        "  \(KeyTable.firstKey(for: .undo)) back  \(KeyTable.firstKey(for: .redo)) forward  (UNDO, REDO, GOTO, HISTORY)"
    }
    var x = frame.put(left, x: 0, y: row, style: .prompt)
    let barWidth = max(8, min(40, width - x - right.count - hint.count - 2))
    let filled = total == 0 ? barWidth : position * barWidth / total
    for column in 0..<barWidth {
      let full = column < filled
      frame[x + column, row] = Cell(
        character: full ? (ascii ? "#" : "█") : (ascii ? "-" : "░"), style: full ? .success : .dim)
    }
    x += barWidth
    x += frame.put(right, x: x, y: row)
    frame.put(hint, x: x, y: row, style: .dim, limit: width - x)
  }

  /// One panel per policy, each with its summary line and its whole heap fitted in; the leader starred.
  func drawRace(_ playback: Playback, _ layout: Layout, into frame: inout Frame) {
    let lanes = playback.player.lanes
    let leaders = playback.leaders
    let star = options.glyphs == .ascii ? "*" : "★"
    for (index, panel) in layout.panels.enumerated() {
      let lane = lanes[index]
      let leads = leaders.contains(index)
      drawBox(
        panel, title: lane.policy.title + (leads ? " \(star) \(playback.metric.rawValue)" : ""), into: &frame)
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
      let note = " \(layout.panels.count) of \(lanes.count) policies fit: a larger terminal shows more "
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
      marker = nil
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
    let lines = ReplaySummary.table(playback.player.summaries).split(
      separator: "\n", omittingEmptySubsequences: false)
    let boxWidth = min(width - 2, (lines.map(\.count).max() ?? 0) + 4)
    let boxHeight = min(height - 4, lines.count + 2)
    let rect = Rect(
      x: (width - boxWidth) / 2, y: max(1, (height - boxHeight) / 2 - 2), width: boxWidth, height: boxHeight)
    for y in rect.y..<rect.y + rect.height {
      frame.fill(y: y, from: rect.x, to: rect.x + rect.width, style: .normal)
    }
    drawBox(rect, title: "Results (as memallook compare)", into: &frame)
    for (row, line) in lines.prefix(boxHeight - 2).enumerated() {
      frame.put(String(line), x: rect.x + 2, y: rect.y + 1 + row, limit: boxWidth - 4)
    }
  }
}
