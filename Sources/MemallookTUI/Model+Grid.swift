import MemallookCore

/// The page grid: one cell per page, or per several pages shaded by how full they are.
extension Model {
  func drawGrid(_ heap: Heap, _ layout: Layout, into frame: inout Frame) {
    let origin = layout.gridOrigin
    let geometry = layout.geometry
    let cellsShown = layout.gridRows * layout.columns
    let firstPage = (layout.topRow * layout.columns).saturatingMultiplied(by: layout.pagesPerCell)
    let lastPage =
      min(
        heap.pageCount, firstPage.saturatingAdding(cellsShown.saturatingMultiplied(by: layout.pagesPerCell)))
      - 1
    let range = "\(firstPage)\(options.glyphs.dash)\(lastPage)"
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
    drawCells(
      heap, geometry, firstPage: firstPage, rows: layout.gridRows, at: origin,
      highlight: playback?.highlightedRun,
      into: &frame)
    if let quiz = playback?.quiz, let (x, y) = layout.position(ofPage: quiz.cursor) {
      let glyph = frame[x + layout.cellWidth / 2, y].character
      for offset in 0..<layout.cellWidth {
        frame[x + offset, y] = Cell(character: offset == layout.cellWidth / 2 ? glyph : " ", style: .cursor)
      }
    }
  }

  /// Draws `rows` rows of cells of `heap` from `firstPage` with their top-left at `origin`.
  /// - Complexity: O(cells + allocations in view) after `Heap.AddressWalk`'s start, never O(pages).
  func drawCells(
    _ heap: Heap, _ geometry: GridGeometry, firstPage: Int, rows: Int, at origin: (x: Int, y: Int),
    highlight: Range<Int>? = nil, into frame: inout Frame
  ) {
    let count = rows * geometry.columns
    let pagesPerCell = geometry.pagesPerCell
    let cells = heap.shadedCells(from: firstPage, pagesPerCell: pagesPerCell, count: count)
    let shownPages =
      firstPage..<min(
        heap.pageCount, firstPage.saturatingAdding(cells.count.saturatingMultiplied(by: pagesPerCell)))
    // Under buddy, free blocks alternate styles so that neighbours show apart (one page a cell only).
    let blocks = pagesPerCell == 1 ? heap.freeBuddyBlocks(overlapping: shownPages) : []
    var block = 0
    let moving = animation?.movingTag
    for (index, cell) in cells.enumerated() {
      let page = firstPage.saturatingAdding(index.saturatingMultiplied(by: pagesPerCell))
      var drawn = self.cell(for: cell, movingTag: moving)
      if cell.usedPages == 0 {
        while block < blocks.count, blocks[block].start + blocks[block].pages <= page { block += 1 }
        // Every other free block in view: neighbours always differ.
        if block < blocks.count, blocks[block].start <= page, block % 2 == 1 { drawn.style = .freeBlock }
      }
      if let highlight, highlight.overlaps(page..<page.saturatingAdding(pagesPerCell)) {
        drawn.style = .highlight
      }
      let x = origin.x + index % geometry.columns * geometry.cellWidth
      let y = origin.y + index / geometry.columns
      // Wide cells: the glyph in the middle, its style's colour on either side.
      for offset in 0..<geometry.cellWidth {
        let isGlyph = offset == geometry.cellWidth / 2
        frame.place(
          isGlyph ? drawn : Cell(character: " ", style: drawn.style == .free ? .normal : drawn.style),
          x: x + offset,
          y: y)
      }
    }
  }

  /// A cell's look: free, the owner's glyph when one allocation fills it, else a shade of
  /// how full it is (`░▒▓`, `█` when full but shared) in the colour of the owner holding most of it.
  private func cell(for cell: ShadedCell, movingTag: Int?) -> Cell {
    guard let owner = cell.owner else { return Cell(character: options.glyphs.freePage, style: .free) }
    let palette = Style.palette(forTag: owner.tag)
    let style: Style =
      owner.tag == movingTag
      ? .moving : owner.tag == selectedTag ? .selected(palette: palette) : .allocation(palette: palette)
    let shades = options.glyphs.shades
    let character: Character
    if cell.usedPages == cell.pages {
      character = cell.isShared ? shades[shades.count - 1] : owner.glyph
    } else {
      character = shades[min(shades.count - 2, Int(cell.fullness * Double(shades.count - 1)))]
    }
    return Cell(character: character, style: style)
  }
}
