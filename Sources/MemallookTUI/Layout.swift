import MemallookCore

/// A rectangle of the screen.
struct Rect: Equatable {
  var x: Int
  var y: Int
  var width: Int
  var height: Int
}

/// Where everything goes for a model at its screen size; `view` draws by it and
/// clicks are mapped back through it, so both always agree.
///
/// ```
/// title bar                                                   (row 0)
/// ┌ Pages ───────────────────────┐┌ Allocations ─────────┐
/// │ scale line                   ││ tag bytes pages first │
/// │ grid rows                    │└──────────────────────┘
/// │                              │┌ Metrics ─────────────┐
/// └──────────────────────────────┘└──────────────────────┘
/// message line                                                (height - 3)
/// > prompt                                                    (height - 2)
/// F-key bar                                                   (height - 1)
/// ```
struct Layout {
  static let minimumWidth = 64
  static let minimumHeight = 18
  static let metricsHeight = 10

  let fits: Bool
  let grid: Rect
  let allocations: Rect
  let metrics: Rect
  /// Cells per grid row.
  let columns: Int
  /// Screen columns per cell: 3 or 2 when the row fits that wide, else 1.
  let cellWidth: Int
  /// Grid rows that fit in the box.
  let gridRows: Int
  /// Grid rows the whole heap needs at this zoom.
  let totalRows: Int
  let pagesPerCell: Int
  let topRow: Int
  /// Tags of the allocations listed, top to bottom.
  let listedTags: [Int]
  /// Pages of the heap, if there is one.
  let pageCount: Int?

  init(model: Model) {
    let width = model.width
    let height = model.height
    fits = width >= Self.minimumWidth && height >= Self.minimumHeight
    let side = min(40, max(30, width / 3))
    let body = max(0, height - 4)
    grid = Rect(x: 0, y: 1, width: max(0, width - side), height: body)
    allocations = Rect(x: width - side, y: 1, width: side, height: max(0, body - Self.metricsHeight))
    metrics = Rect(x: width - side, y: 1 + allocations.height, width: side, height: Self.metricsHeight)
    gridRows = max(1, grid.height - 3)
    let inner = max(8, grid.width - 2)
    guard let heap = model.heap else {
      columns = 16
      cellWidth = 1
      pagesPerCell = 1
      totalRows = 0
      topRow = 0
      listedTags = []
      pageCount = nil
      return
    }
    let pages = heap.pageCount
    pageCount = pages
    let natural = Self.roundUp(Self.squareRoot(2 * min(pages, 1 << 40)), to: 8)
    let perRow = max(1, min(max(16, natural), inner / 8 * 8))
    columns = perRow
    cellWidth = [3, 2, 1].first { perRow * $0 <= inner } ?? 1
    let fitted = pages <= columns * gridRows ? 1 : (pages - 1) / (columns * gridRows) + 1
    // A zoom past the whole heap in one cell would only overflow the arithmetic below.
    pagesPerCell = min(model.zoom ?? fitted, pages)
    let cells = (pages - 1) / pagesPerCell + 1
    totalRows = (cells - 1) / columns + 1
    topRow = max(0, min(model.gridTopRow, totalRows - gridRows))
    let rows = max(0, allocations.height - 3)
    let tags = heap.allocationsInTagOrder.map(\.tag)
    var offset = 0
    if let selected = model.selectedTag, let index = tags.firstIndex(of: selected), index >= rows {
      offset = index - rows + 1
    }
    listedTags = Array(tags.dropFirst(offset).prefix(rows))
  }

  /// The first cell of the grid (below the box's scale line).
  var gridOrigin: (x: Int, y: Int) { (grid.x + 1, grid.y + 2) }

  /// The page under a screen cell of the grid, if any.
  func page(atX x: Int, y: Int) -> Int? {
    let column = (x - gridOrigin.x) / cellWidth
    let row = y - gridOrigin.y
    guard x >= gridOrigin.x, column < columns, row >= 0, row < gridRows else { return nil }
    let cell = (topRow + row).saturatingMultiplied(by: columns).saturatingAdding(column)
    let page = cell.saturatingMultiplied(by: pagesPerCell)
    return page < (pageCount ?? .max) ? page : nil
  }

  /// The tag listed on a screen row of the allocations panel, if any.
  func tag(atX x: Int, y: Int) -> Int? {
    let row = y - (allocations.y + 2)
    guard x >= allocations.x, x < allocations.x + allocations.width, row >= 0, row < listedTags.count
    else { return nil }
    return listedTags[row]
  }

  static func roundUp(_ value: Int, to step: Int) -> Int { (value + step - 1) / step * step }

  static func squareRoot(_ value: Int) -> Int { Int(Double(value).squareRoot()) }
}
