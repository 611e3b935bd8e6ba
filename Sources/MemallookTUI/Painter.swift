import MemallookCore

/// Draws what both screens show: boxes, page grids, the allocations and metrics panels, charts.
struct Painter {
  let glyphs: GlyphSet

  func box(_ rect: Rect, title: String, into frame: inout Frame) {
    guard rect.width >= 2, rect.height >= 2 else { return }
    let corners: [Character] = glyphs == .ascii ? ["+", "+", "+", "+"] : ["┌", "┐", "└", "┘"]
    let right = rect.x + rect.width - 1
    let bottom = rect.y + rect.height - 1
    for x in rect.x...right {
      frame[x, rect.y] = Cell(character: glyphs.horizontal, style: .border)
      frame[x, bottom] = Cell(character: glyphs.horizontal, style: .border)
    }
    for y in rect.y...bottom {
      frame[rect.x, y] = Cell(character: glyphs.vertical, style: .border)
      frame[right, y] = Cell(character: glyphs.vertical, style: .border)
    }
    frame[rect.x, rect.y] = Cell(character: corners[0], style: .border)
    frame[right, rect.y] = Cell(character: corners[1], style: .border)
    frame[rect.x, bottom] = Cell(character: corners[2], style: .border)
    frame[right, bottom] = Cell(character: corners[3], style: .border)
    frame.put(" \(title) ", x: rect.x + 2, y: rect.y, style: .border, limit: rect.width - 4)
  }

  /// A box over whatever was drawn there: its inside blanked first.
  func overlay(_ rect: Rect, title: String, into frame: inout Frame) {
    for y in rect.y..<rect.y + rect.height {
      frame.fill(y: y, from: rect.x, to: rect.x + rect.width, style: .normal)
    }
    box(rect, title: title, into: &frame)
  }

  /// The grid box's scale line and the cells in view.
  func grid(
    _ heap: Heap, _ layout: Layout, selected: Int?, moving: Int? = nil, highlight: Range<Int>? = nil,
    preview: Range<Int>? = nil, cursor: Int? = nil, shading: Shading? = nil, into frame: inout Frame
  ) {
    let origin = layout.gridOrigin
    let cellsShown = layout.gridRows * layout.columns
    let firstPage = (layout.topRow * layout.columns).saturatingMultiplied(by: layout.pagesPerCell)
    let lastPage =
      min(
        heap.pageCount, firstPage.saturatingAdding(cellsShown.saturatingMultiplied(by: layout.pagesPerCell)))
      - 1
    let range = "\(firstPage)\(glyphs.dash)\(lastPage)"
    var scale = "pages \(range) of \(heap.pageCount)"
    scale += layout.pagesPerCell == 1 ? ", 1 cell = 1 page" : ", 1 cell = \(layout.pagesPerCell) pages"
    if heap.policy == .buddy, layout.pagesPerCell == 1 { scale += ", buddy blocks alternate" }
    if layout.totalRows > layout.gridRows { scale += "  PgUp/PgDn" }
    // Narrow: shorter forms, so that no number is cut: the range and the scale, then the scale alone.
    let perCell = "\(layout.pagesPerCell) page\(layout.pagesPerCell == 1 ? "" : "s")/cell"
    for shorter in ["\(range)/\(heap.pageCount), \(perCell)", perCell]
    where scale.count > layout.grid.width - 2 {
      scale = shorter
    }
    frame.put(scale, x: origin.x, y: layout.grid.y + 1, style: .dim, limit: layout.grid.width - 2)
    cells(
      heap, layout.geometry, firstPage: firstPage, rows: layout.gridRows, at: origin, selected: selected,
      moving: moving, highlight: highlight, preview: preview, shading: shading, into: &frame)
    if let cursor, let (x, y) = layout.position(ofPage: cursor) {
      let glyph = frame[x + layout.cellWidth / 2, y].character
      for offset in 0..<layout.cellWidth {
        frame[x + offset, y] = Cell(character: offset == layout.cellWidth / 2 ? glyph : " ", style: .cursor)
      }
    }
  }

  /// Where the cells of a view come from when not from `Heap.shadedCells`: the player's,
  /// kept between frames (`TracePlayer.shadedCells`). Given the first page, pages a cell and cells.
  typealias Shading = (_ firstPage: Int, _ pagesPerCell: Int, _ count: Int) -> [ShadedCell]

  /// Draws `rows` rows of cells of `heap` from `firstPage` with their top-left at `origin`.
  /// - Complexity: O(cells) when `shading` has them kept; else `Heap.shadedCells`'s:
  ///   O(cells + allocations in view) for a small view, O(cells + allocations) for a
  ///   quarter of the heap or more; never O(pages).
  func cells(
    _ heap: Heap, _ geometry: GridGeometry, firstPage: Int, rows: Int, at origin: (x: Int, y: Int),
    selected: Int? = nil, moving: Int? = nil, highlight: Range<Int>? = nil, preview: Range<Int>? = nil,
    shading: Shading? = nil, into frame: inout Frame
  ) {
    let count = rows * geometry.columns
    let pagesPerCell = geometry.pagesPerCell
    let cells =
      shading?(firstPage, pagesPerCell, count)
      ?? heap.shadedCells(from: firstPage, pagesPerCell: pagesPerCell, count: count)
    let shownPages =
      firstPage..<min(
        heap.pageCount, firstPage.saturatingAdding(cells.count.saturatingMultiplied(by: pagesPerCell)))
    // Under buddy, free blocks alternate styles so that neighbours show apart (one page a cell only).
    let blocks = pagesPerCell == 1 ? heap.freeBuddyBlocks(overlapping: shownPages) : []
    var block = 0
    for (index, cell) in cells.enumerated() {
      let page = firstPage.saturatingAdding(index.saturatingMultiplied(by: pagesPerCell))
      var drawn = self.cell(for: cell, selected: selected, moving: moving)
      if cell.usedPages == 0 {
        while block < blocks.count, blocks[block].start + blocks[block].pages <= page { block += 1 }
        // Every other free block in view: neighbours always differ.
        if block < blocks.count, blocks[block].start <= page, block % 2 == 1 { drawn.style = .freeBlock }
      }
      let cellPages = page..<page.saturatingAdding(pagesPerCell)
      if let highlight, highlight.overlaps(cellPages) { drawn.style = .highlight }
      if let preview, preview.overlaps(cellPages) { drawn.style = .preview }
      let x = origin.x + index % geometry.columns * geometry.cellWidth
      let y = origin.y + index / geometry.columns
      // Wide cells: the glyph in the middle, its style's colour on either side.
      for offset in 0..<geometry.cellWidth {
        let isGlyph = offset == geometry.cellWidth / 2
        frame.place(
          isGlyph ? drawn : Cell(character: " ", style: drawn.style == .free ? .normal : drawn.style),
          x: x + offset, y: y)
      }
    }
  }

  /// A cell's look: free, the owner's glyph when one allocation fills it, else a shade of
  /// how full it is (`░▒▓`, `█` when full but shared) in the colour of the owner holding most of it.
  private func cell(for cell: ShadedCell, selected: Int?, moving: Int?) -> Cell {
    guard let owner = cell.owner else { return Cell(character: glyphs.freePage, style: .free) }
    let palette = Style.palette(forTag: owner.tag)
    let style: Style =
      owner.tag == moving
      ? .moving : owner.tag == selected ? .selected(palette: palette) : .allocation(palette: palette)
    let shades = glyphs.shades
    let character: Character
    if cell.usedPages == cell.pages {
      character = cell.isShared ? shades[shades.count - 1] : owner.glyph
    } else {
      character = shades[min(shades.count - 2, Int(cell.fullness * Double(shades.count - 1)))]
    }
    return Cell(character: character, style: style)
  }

  /// The allocations panel: the listed tags, the selected one marked.
  func allocations(_ heap: Heap, _ layout: Layout, selected: Int?, empty: String, into frame: inout Frame) {
    let box = layout.allocations
    let x = box.x + 2
    let inner = box.width - 4
    // Columns as wide as their widest value, two spaces apart: large numbers never run
    // together; when they are too wide for the panel, the pages column goes (bytes say it).
    let listed = layout.listedTags.compactMap { heap.allocation(tag: $0) }
    var titles = ["tag", "bytes", "pages", "first"]
    var rows = listed.map { [$0.tagText, String($0.bytes), String($0.pageCount), String($0.firstPage)] }
    var minimum = [3, 7, 5, 5]  // the header's widths
    func widths() -> [Int] {
      titles.indices.map { column in max(minimum[column], rows.map { $0[column].count }.max() ?? 0) + 2 }
    }
    func line(_ values: [String], _ widths: [Int]) -> String {
      zip(values, widths).dropLast().map { pad($0, $1) }.joined() + values[values.count - 1]
    }
    if let widest = rows.map({ line($0, widths()).count }).max(), widest + 2 > inner {
      titles.remove(at: 2)
      minimum.remove(at: 2)
      rows = rows.map { row in row.enumerated().filter { $0.offset != 2 }.map(\.element) }
    }
    let columnWidths = widths()
    frame.put("  " + line(titles, columnWidths), x: x, y: box.y + 1, style: .dim, limit: inner)
    for (row, allocation) in listed.enumerated() {
      let y = box.y + 2 + row
      let palette = Style.palette(forTag: allocation.tag)
      let rowStyle: Style = allocation.tag == selected ? .selected(palette: palette) : .normal
      frame[x, y] = Cell(character: allocation.glyph, style: .allocation(palette: palette))
      frame.put(" " + line(rows[row], columnWidths), x: x + 1, y: y, style: rowStyle, limit: inner - 1)
    }
    if heap.liveAllocationCount == 0 {
      frame.put(empty, x: x, y: box.y + 2, style: .dim, limit: inner)
    } else if heap.liveAllocationCount > layout.listedTags.count {
      let more = "\(heap.liveAllocationCount) live, Ctrl-N/P"
      frame.put(more, x: x, y: box.y + box.height - 1, style: .border, limit: inner)
    }
  }

  func metrics(_ metrics: Metrics, _ layout: Layout, into frame: inout Frame) {
    let box = layout.metrics
    let x = box.x + 2
    let inner = box.width - 4
    for (row, line) in Self.metricLines(metrics).enumerated() {
      frame.put(pad(line.label, 9), x: x, y: box.y + 1 + row, style: .dim)
      frame.put(line.value, x: x + 9, y: box.y + 1 + row, limit: inner - 9)
    }
  }

  /// The metrics panel's lines: short ones, each number whole (the panel is laid out for the
  /// widest); counts of pages unless a unit says otherwise (the box's title says so).
  static func metricLines(_ metrics: Metrics) -> [(label: String, value: String)] {
    let usedShare = Metrics.percent(Double(metrics.pagesUsed) / Double(max(1, metrics.pageCount)))
    return [
      ("used", "\(metrics.pagesUsed) (\(usedShare))"),
      ("peak", "\(metrics.peakPagesUsed)"),
      ("free", "\(metrics.pagesFree), \(metrics.freeRuns) run\(metrics.freeRuns == 1 ? "" : "s")"),
      ("longest", "\(metrics.longestFreeRun)"),
      (
        "internal",
        "\(metrics.internalFragmentationBytes) B (\(Metrics.percent(metrics.internalFragmentation)))"
      ),
      ("external", Metrics.percent(metrics.externalFragmentation)),
      ("allocs", "\(metrics.liveAllocations) live, \(metrics.failedAllocations) failed"),
    ]
  }

  /// A chart in its box, the legend on the top border (each name in its line's colour).
  func chart(
    _ series: [Chart.Series], steps: Int, marker: Int?, title: String, in rect: Rect, into frame: inout Frame
  ) {
    box(rect, title: title, into: &frame)
    var x = rect.x + title.count + 6
    for line in series {
      guard x + line.name.count + 3 < rect.x + rect.width else { break }
      x += frame.put(" " + line.name + " ", x: x, y: rect.y, style: line.style) + 1
    }
    let inside = Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2)
    Chart(series: series, steps: steps, marker: marker).draw(in: inside, glyphs: glyphs, into: &frame)
  }

  /// The timeline row: `left`, a bar of how far `position` is in `total`, `right`, then `text`.
  func timeline(
    row: Int, width: Int, left: String, position: Int, total: Int, right: String,
    text: (text: String, isError: Bool), into frame: inout Frame
  ) {
    let ascii = glyphs == .ascii
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
}

func pad(_ text: String, _ width: Int) -> String {
  text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
