import MemallookCore

/// A rectangle of the screen.
struct Rect: Equatable {
  var x: Int
  var y: Int
  var width: Int
  var height: Int
}

/// How a heap's pages map onto cells in a box: as many cells a row as fit.
struct GridGeometry: Equatable {
  /// Cells per grid row.
  let columns: Int
  /// Screen columns per cell: 3 or 2 when the whole heap fits that wide, else 1.
  let cellWidth: Int
  let pagesPerCell: Int
  /// Grid rows the whole heap needs at this zoom.
  let totalRows: Int

  /// - Parameters: `width` and `rows`: the room for cells; `zoom`: pages per cell, nil to fit the heap.
  init(pages: Int, width: Int, rows: Int, zoom: Int?) {
    let width = max(1, width)
    let rows = max(1, rows)
    let fits = { (cellWidth: Int) in pages <= (width / cellWidth).saturatingMultiplied(by: rows) }
    cellWidth = zoom ?? 1 == 1 ? [3, 2].first(where: fits) ?? 1 : 1
    let widest = width / cellWidth
    if zoom ?? 1 == 1, pages <= widest.saturatingMultiplied(by: rows) {
      // Rows as even as can be, a multiple of 8 pages each when that still fits (easier addresses).
      let rowsNeeded = (pages - 1) / widest + 1
      let even = (pages - 1) / rowsNeeded + 1
      let rounded = Layout.roundUp(even, to: 8)
      columns = max(1, rounded <= widest ? rounded : even)
      pagesPerCell = 1
    } else {
      columns = widest
      let fitted = (pages - 1) / widest.saturatingMultiplied(by: rows) + 1
      // A zoom past the whole heap in one cell would only overflow the arithmetic below.
      pagesPerCell = max(1, min(zoom ?? fitted, pages))
    }
    let cells = (pages - 1) / pagesPerCell + 1
    totalRows = (cells - 1) / columns + 1
  }
}

/// Where everything goes for a model at its screen size; `view` draws by it and
/// clicks are mapped back through it, so both always agree.
///
/// ```
/// title bar                                                   (row 0)
/// ┌ Pages ───────────────────────┐┌ Free: the policy's ──┐
/// │ scale line                   ││ structure (F11)      │
/// │                              │└──────────────────────┘
/// │                              │┌ Allocations ─────────┐
/// │ grid rows (or race panels)   ││ tag bytes pages first │
/// │                              │└──────────────────────┘
/// └──────────────────────────────┘┌ Metrics ─────────────┐
/// ┌ Chart ───────────────────────┐│                      │
/// └──────────────────────────────┘└──────────────────────┘
/// timeline (player, or the history of what you typed)
/// message line                                                (height - 3)
/// > prompt                                                    (height - 2)
/// F-key bar                                                   (height - 1)
/// ```
/// A race uses the whole width: no side panels, one grid panel per policy.
struct Layout {
  static let minimumWidth = 64
  static let minimumHeight = 18
  static let metricsHeight = 9
  static let chartHeight = 7
  /// The smallest race panel: a title, a summary of two lines and two grid rows.
  static let minimumPanel = (width: 24, height: 6)

  let fits: Bool
  let grid: Rect
  /// The free structure panel, above the allocations; nil when it is off or there is no room.
  let structure: Rect?
  let allocations: Rect
  let metrics: Rect
  /// The chart's box; nil when there is no room (or no heap).
  let chart: Rect?
  /// The timeline's row; nil when there is nothing to travel through.
  let timeline: Int?
  /// The race's panels, one per lane shown (the first lanes that fit); empty outside a race.
  let panels: [Rect]
  let geometry: GridGeometry
  var columns: Int { geometry.columns }
  var cellWidth: Int { geometry.cellWidth }
  var pagesPerCell: Int { geometry.pagesPerCell }
  var totalRows: Int { geometry.totalRows }
  /// Grid rows that fit in the box.
  let gridRows: Int
  let topRow: Int
  /// Tags of the allocations listed, top to bottom.
  let listedTags: [Int]
  /// Pages of the heap, if there is one.
  let pageCount: Int?

  init(model: Model) {
    let width = model.width
    let height = model.height
    fits = width >= Self.minimumWidth && height >= Self.minimumHeight
    let heap = model.heap
    let race = model.playback?.isRace ?? false
    timeline = heap != nil && (model.playback != nil || model.session.history.lastStep > 0) ? height - 4 : nil
    let body = max(0, height - 4 - (timeline == nil ? 0 : 1))
    // The side panels are as wide as the widest metric needs (the grid keeps 30 columns at least).
    let side = race ? 0 : min(width - 30, max(min(40, max(30, width / 3)), Self.metricsWidth(model) + 4))
    let chartShown = heap != nil && body >= 19
    let gridHeight = chartShown ? body - Self.chartHeight : body
    grid = Rect(x: 0, y: 1, width: max(0, width - side), height: gridHeight)
    chart = chartShown ? Rect(x: 0, y: 1 + gridHeight, width: grid.width, height: Self.chartHeight) : nil
    // The free structure panel takes half the room above the metrics, when it leaves the list 5 rows.
    let above = max(0, body - Self.metricsHeight)
    let structureShown = !race && heap != nil && model.showsStructure && above >= 10
    let structureHeight = structureShown ? above / 2 : 0
    structure = structureShown ? Rect(x: width - side, y: 1, width: side, height: structureHeight) : nil
    allocations = Rect(x: width - side, y: 1 + structureHeight, width: side, height: above - structureHeight)
    metrics = Rect(
      x: width - side, y: allocations.y + allocations.height, width: side, height: Self.metricsHeight)
    gridRows = max(1, grid.height - 3)
    panels =
      race
      ? Self.panels(in: grid, lanes: model.playback!.player.lanes.count, pages: heap?.pageCount ?? 1) : []
    guard let heap else {
      geometry = GridGeometry(pages: 16, width: 16, rows: 1, zoom: nil)
      topRow = 0
      listedTags = []
      pageCount = nil
      return
    }
    let pages = heap.pageCount
    pageCount = pages
    geometry = GridGeometry(pages: pages, width: grid.width - 2, rows: gridRows, zoom: model.grid.zoom)
    topRow = max(0, min(model.grid.topRow, geometry.totalRows - gridRows))
    let rows = max(0, allocations.height - 3)
    // A race lists no allocations. A list shows the lowest tags, or scrolls to end at the
    // selected one: the rows in view, not every tag sorted (10^5 live made each key 50 ms).
    var tags = race ? [] : heap.tagsInOrder(rows)
    if let selected = model.grid.selectedTag, let shown = tags.last, selected > shown,
      heap.allocation(tag: selected) != nil
    {
      tags = heap.tagsInOrder(rows, endingAt: selected)
    }
    listedTags = tags
  }

  /// Splits `area` into one panel per lane, as many as fit, in the arrangement
  /// (columns × rows) whose grids need the fewest pages a cell, then have the widest cells,
  /// then the squarest panels (a cell is about twice as high as wide).
  static func panels(in area: Rect, lanes: Int, pages: Int) -> [Rect] {
    var best: (shown: Int, pagesPerCell: Int, cellWidth: Int, skew: Int, columns: Int, rows: Int)?
    for shown in stride(from: lanes, through: 1, by: -1) {
      for columns in 1...shown {
        let rows = (shown - 1) / columns + 1
        let width = area.width / columns
        let height = area.height / rows
        guard width >= minimumPanel.width, height >= minimumPanel.height else { continue }
        let grid = GridGeometry(pages: pages, width: width - 2, rows: height - 4, zoom: nil)
        let skew = abs(width / 2 - height)
        if let current = best,
          (current.pagesPerCell, -current.cellWidth, current.skew) <= (
            grid.pagesPerCell, -grid.cellWidth, skew
          )
        {
          continue
        }
        best = (shown, grid.pagesPerCell, grid.cellWidth, skew, columns, rows)
      }
      if best != nil { break }
    }
    guard let best else { return [] }
    let width = area.width / best.columns
    let height = area.height / best.rows
    return (0..<best.shown).map { index in
      Rect(
        x: area.x + index % best.columns * width, y: area.y + index / best.columns * height, width: width,
        height: height)
    }
  }

  /// The widest value of the metrics panel, so that no number is ever cut.
  static func metricsWidth(_ model: Model) -> Int {
    guard let metrics = model.metrics else { return 0 }
    return Painter.metricLines(metrics).map { 9 + $0.value.count }.max() ?? 0
  }

  /// The first cell of the grid (below the box's scale line).
  var gridOrigin: (x: Int, y: Int) { (grid.x + 1, grid.y + 2) }

  /// The page under a screen cell of the grid, if any.
  func page(atX x: Int, y: Int) -> Int? {
    guard panels.isEmpty else { return nil }
    let column = (x - gridOrigin.x) / cellWidth
    let row = y - gridOrigin.y
    guard x >= gridOrigin.x, column < columns, row >= 0, row < gridRows else { return nil }
    let cell = (topRow + row).saturatingMultiplied(by: columns).saturatingAdding(column)
    let page = cell.saturatingMultiplied(by: pagesPerCell)
    return page < (pageCount ?? .max) ? page : nil
  }

  /// The screen cell showing `page`, if it is in view.
  func position(ofPage page: Int) -> (x: Int, y: Int)? {
    let cell = page / pagesPerCell
    let row = cell / columns - topRow
    guard row >= 0, row < gridRows else { return nil }
    return (gridOrigin.x + cell % columns * cellWidth, gridOrigin.y + row)
  }

  /// The tag listed on a screen row of the allocations panel, if any.
  func tag(atX x: Int, y: Int) -> Int? {
    let row = y - (allocations.y + 2)
    guard x >= allocations.x, x < allocations.x + allocations.width, row >= 0, row < listedTags.count
    else { return nil }
    return listedTags[row]
  }

  static func roundUp(_ value: Int, to step: Int) -> Int { (value + step - 1) / step * step }
}
