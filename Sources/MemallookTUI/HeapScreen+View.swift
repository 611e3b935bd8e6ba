import MemallookCore

/// What your heap's screen draws: the grid, the allocations and metrics, the chart of
/// what you did, and your history's timeline.
extension HeapScreen {
  /// The title bar's text after the program's name.
  var title: String {
    guard let heap else { return "  no heap" }
    let metrics = heap.metrics
    return "  \(heap.id)  p=\(heap.pageSize) N=\(heap.pageCount)  \(heap.policy.title)"
      + "  used \(metrics.pagesUsed)  free \(metrics.pagesFree)"
  }

  /// Draws the screen; `preview` is where the command being typed would put its pages.
  func draw(_ layout: Layout, _ painter: Painter, preview: Preview?, into frame: inout Frame) {
    painter.box(layout.grid, title: "Pages", into: &frame)
    painter.box(layout.allocations, title: "Allocations", into: &frame)
    painter.box(layout.metrics, title: "Metrics (pages)", into: &frame)
    guard let heap else { return drawWelcome(layout, into: &frame) }
    var chosenRun: Range<Int>?
    if let rect = layout.structure {
      let panel = StructurePanel(heap, in: rect)
      panel.draw(rect, painter, chosen: preview?.pages.lowerBound, selected: grid.selectedRun, into: &frame)
      chosenRun = grid.selectedRunPages(in: panel.structure)
    }
    painter.grid(
      heap, layout, selected: grid.selectedTag, moving: animation?.movingTag, highlight: chosenRun,
      preview: preview?.pages, into: &frame)
    painter.allocations(heap, layout, selected: grid.selectedTag, empty: "none yet: ALLOC M", into: &frame)
    painter.metrics(heap.metrics, layout, into: &frame)
    if let chart = layout.chart {
      let steps = max(1, chartHistory.count - 1)
      let series = [
        Chart.Series(
          name: "utilisation", values: chartHistory.map { Float($0.utilisation) }[...],
          style: .series(Self.utilisationSeries)),
        Chart.Series(
          name: "external fragmentation", values: chartHistory.map { Float($0.fragmentation) }[...],
          style: .series(Self.fragmentationSeries)),
      ]
      painter.chart(
        series, steps: steps, marker: chartHistory.count - 1, title: "Chart", in: chart, into: &frame)
    }
    if let row = layout.timeline {
      let history = session.history
      painter.timeline(
        row: row, width: frame.width, left: " history \(history.step)/\(history.lastStep) ",
        position: history.step - history.base, total: history.lastStep - history.base, right: "  ",
        text: ("\(KeyTable.firstKey(for: .undo)) back  \(KeyTable.firstKey(for: .redo)) forward", false),
        into: &frame)
    }
  }

  /// The chart's palette entries for the two lines of one heap.
  static let fragmentationSeries = 6
  static let utilisationSeries = 2

  private func drawWelcome(_ layout: Layout, into frame: inout Frame) {
    let lines: [(String, Style)] = [
      ("No heap yet.", .normal),
      ("", .normal),
      ("Type  NEW 16 64  and press Enter:", .normal),
      ("64 pages of 16 bytes, first fit.", .dim),
      ("", .normal),
      ("Then ALLOC 100, DEALLOC 1, DEFRAG ...", .dim),
      ("F1 lists every key and command.", .dim),
    ]
    let top = layout.grid.y + max(1, (layout.grid.height - lines.count) / 2)
    for (offset, line) in lines.enumerated() {
      let x = layout.grid.x + max(1, (layout.grid.width - line.0.count) / 2)
      frame.put(line.0, x: x, y: top + offset, style: line.1, limit: layout.grid.width - 2)
    }
  }
}
