import MemallookCore

/// What the player draws: its heap (or the race's panels), the chart, the timeline, the results.
extension Playback {
  /// The title bar's text after the program's name.
  var title: String {
    if quiz != nil { return "  QUIZ  p=\(player.pageSize) N=\(player.pageCount)  \(lane.policy.rule)" }
    return "  \(isRace ? "RACE" : "PLAYER") \(player.name)  p=\(player.pageSize) N=\(player.pageCount)"
      + (isRace ? "" : "  \(lane.policy.title)")
  }

  func draw(_ layout: Layout, _ painter: Painter, into frame: inout Frame) {
    if isRace {
      drawRace(layout, painter, into: &frame)
    } else {
      painter.box(layout.grid, title: "Pages", into: &frame)
      painter.box(layout.allocations, title: "Allocations", into: &frame)
      painter.box(layout.metrics, title: "Metrics (pages)", into: &frame)
      var highlight = highlightedRun
      if let rect = layout.structure {
        let panel = StructurePanel(lane.heap, in: rect)
        // In the quiz the answer stays hidden: no entry is marked as the next ALLOC's.
        let chosen = quiz == nil ? nextPlacement?.lowerBound : nil
        panel.draw(rect, painter, chosen: chosen, selected: grid.selectedRun, into: &frame)
        highlight = grid.selectedRunPages(in: panel.structure) ?? highlight
      }
      painter.grid(
        lane.heap, layout, selected: grid.selectedTag, highlight: highlight, cursor: quiz?.cursor,
        shading: shading(ofLane: 0), into: &frame)
      painter.allocations(lane.heap, layout, selected: grid.selectedTag, empty: "none live", into: &frame)
      painter.metrics(lane.metrics, layout, into: &frame)
    }
    if let chart = layout.chart { drawChart(in: chart, painter, into: &frame) }
    if let row = layout.timeline { drawTimeline(row: row, painter, into: &frame) }
    if isRace, player.isAtEnd { drawResults(painter, into: &frame) }
  }

  /// The timeline row: where the player is, as a bar, then the operation played last and
  /// what it did (in the quiz: the score and its keys).
  private func drawTimeline(row: Int, _ painter: Painter, into frame: inout Frame) {
    let ascii = glyphs == .ascii
    let left =
      (playing ? (ascii ? " > " : " ▶ ") : (ascii ? " || " : " ❚❚ ")) + "\(player.position)/\(player.count) "
    var right = " \(Self.progress(player.position, of: player.count))"
    let text: (text: String, isError: Bool)
    if let quiz {
      right += "  quiz \(quiz.right)/\(quiz.asked) right  "
      text = ("Enter/click: here  x: it fails  Ctrl-Z: back", false)
    } else {
      right += "  \(speed) op/s"
      if isRace { right += "  \(ascii ? "*" : "★") \(metric.rawValue)" }
      if isIndexing { right += "  reading \(Self.progress(player.indexed, of: player.count))" }
      right += "  "
      text = positionText
    }
    painter.timeline(
      row: row, width: frame.width, left: left, position: player.position, total: player.count, right: right,
      text: text, into: &frame)
  }

  /// `position / total` as a percentage rounded down: 100.0% only at the end.
  static func progress(_ position: Int, of total: Int) -> String {
    let tenths = total == 0 ? 1000 : position.saturatingMultiplied(by: 1000) / total
    return "\(tenths / 10).\(tenths % 10)%"
  }

  /// The operation played last and what it did (on the first heap; a race names the
  /// operation only), or the next one after going back.
  var positionText: (text: String, isError: Bool) {
    guard let operation = player.lastOperation, let last = lane.last else {
      if let next = player.nextOperation {
        return ("next: op \(player.position + 1): \(Self.text(of: next))", false)
      }
      return ("the end", false)
    }
    let done = "op \(player.position): \(Self.text(of: operation))"
    if isRace { return (done, false) }
    let arrow = glyphs.arrow
    switch last {
    case .allocated(let allocation): return ("\(done) \(arrow) \(Reply.allocated(allocation).text)", false)
    case .freed(let allocation): return ("\(done) \(arrow) \(Reply.deallocated(allocation).text)", false)
    case .reallocated(let from, let to):
      return ("\(done) \(arrow) \(Reply.reallocated(from: from, to: to).text)", false)
    case .failed(let error): return ("\(done) \(arrow) \(error.fullText)", true)
    case .skipped(let why): return ("\(done) \(arrow) skipped: \(why)", false)
    }
  }

  /// Where the next operation would put pages on the first lane's heap, if it places any
  /// (the question the operation itself will ask).
  var nextPlacement: Range<Int>? {
    guard let next = player.nextOperation else { return nil }
    let heap = lane.heap
    switch next {
    case .alloc(_, let bytes):
      return (try? heap.allocationSpot(bytes: bytes)).map { $0.start..<$0.start + $0.pages }
    case .realloc(let id, let bytes):
      let tag = lane.tag(of: id)
      if tag == 0 { return (try? heap.allocationSpot(bytes: bytes)).map { $0.start..<$0.start + $0.pages } }
      return (try? heap.reallocation(tag: tag, bytes: bytes)).map { $0.start..<$0.start + $0.pages }
    case .free: return nil
    }
  }

  /// A trace operation as the timeline writes it.
  static func text(of operation: Trace.Operation) -> String {
    switch operation {
    case .alloc(let id, let bytes): "alloc id \(id), \(bytes) B"
    case .free(let id): "free id \(id)"
    case .realloc(let id, let bytes): "realloc id \(id) to \(bytes) B"
    }
  }

  /// One panel per policy, each with its summary line and its whole heap fitted in; the leader starred.
  private func drawRace(_ layout: Layout, _ painter: Painter, into frame: inout Frame) {
    let lanes = player.lanes
    let leaders = self.leaders
    let star = glyphs == .ascii ? "*" : "★"
    for (index, panel) in layout.panels.enumerated() {
      let lane = lanes[index]
      let leads = leaders.contains(index)
      painter.box(panel, title: lane.policy.title + (leads ? " \(star)" : ""), into: &frame)
      // The figures on one line when they fit, else a half a line, else a figure a line:
      // a figure is never cut (unless it alone is wider than the panel).
      let inner = panel.width - 2
      let lines = Self.wrapped(Self.raceFigures(lane.metrics), width: inner)
      for (row, line) in lines.enumerated() {
        frame.put(line, x: panel.x + 1, y: panel.y + 1 + row, style: leads ? .prompt : .dim, limit: inner)
      }
      let rows = panel.height - 2 - lines.count
      let geometry = GridGeometry(pages: lane.heap.pageCount, width: inner, rows: rows, zoom: nil)
      painter.cells(
        lane.heap, geometry, firstPage: 0, rows: rows, at: (panel.x + 1, panel.y + 1 + lines.count),
        shading: shading(ofLane: index), into: &frame)
    }
    if layout.panels.count < lanes.count, let first = layout.panels.first {
      let note = " \(layout.panels.count)/\(lanes.count) shown "
      frame.put(note, x: first.x + 2, y: first.y + first.height - 1, style: .border, limit: first.width - 4)
    }
    if layout.panels.isEmpty {
      frame.put("the race needs a larger terminal", x: 1, y: layout.grid.y + 1, style: .error)
    }
  }

  /// Lane `index`'s cells as the player keeps them between frames.
  private func shading(ofLane index: Int) -> Painter.Shading {
    { [player] in player.shadedCells(ofLane: index, from: $0, pagesPerCell: $1, count: $2) }
  }

  /// A race panel's figures, in two halves.
  static func raceFigures(_ metrics: Metrics) -> [[String]] {
    let used = Metrics.percent(Double(metrics.pagesUsed) / Double(max(1, metrics.pageCount)))
    return [
      ["failed \(metrics.failedAllocations)", "used \(used)"],
      ["ext \(Metrics.percent(metrics.externalFragmentation))", "runs \(metrics.freeRuns)"],
    ]
  }

  /// `groups` two spaces apart on one line of at most `width` columns if they fit, else a
  /// group a line, and a group that does not fit an item a line.
  static func wrapped(_ groups: [[String]], width: Int) -> [String] {
    let all = groups.joined().joined(separator: "  ")
    if all.count <= width { return [all] }
    return groups.flatMap { group in
      let line = group.joined(separator: "  ")
      return line.count <= width ? [line] : group
    }
  }

  /// External fragmentation (and, for one heap, utilisation) over the timeline, the current step marked.
  private func drawChart(in rect: Rect, _ painter: Painter, into frame: inout Frame) {
    let series: [Chart.Series]
    if isRace {
      series = player.lanes.enumerated().map { index, lane in
        Chart.Series(
          name: lane.policy.rawValue, values: lane.fragmentation[...], style: .series(index),
          stride: player.sampleInterval)
      }
    } else {
      series = [
        Chart.Series(
          name: "utilisation", values: lane.utilisation[...], style: .series(HeapScreen.utilisationSeries),
          stride: player.sampleInterval),
        Chart.Series(
          name: "external fragmentation", values: lane.fragmentation[...],
          style: .series(HeapScreen.fragmentationSeries), stride: player.sampleInterval),
      ]
    }
    painter.chart(
      series, steps: player.count, marker: player.position,
      title: isRace ? "External fragmentation" : "Chart",
      in: rect, into: &frame)
  }

  /// At the end of a race: the results as `memallook compare` prints them, over the panels.
  private func drawResults(_ painter: Painter, into frame: inout Frame) {
    let (width, height) = (frame.width, frame.height)
    let summaries = player.summaries
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
    painter.overlay(rect, title: title, into: &frame)
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
