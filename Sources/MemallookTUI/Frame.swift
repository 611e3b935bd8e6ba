/// What a cell means; the terminal adapter alone decides how that looks.
public enum Style: Hashable, Sendable {
  case normal
  /// The title/status bar.
  case title
  case border
  /// Labels and secondary text.
  case dim
  /// A free page.
  case free
  /// A page of an allocation; the palette entry is stable for the allocation's life.
  case allocation(palette: Int)
  /// A page of the selected allocation.
  case selected(palette: Int)
  /// A page of the allocation that the defrag animation is moving.
  case moving
  /// Free pages of every other buddy block, so that adjacent free blocks show apart.
  case freeBlock
  /// Pages to look at: the longest free run after an ALLOC it could not hold.
  case highlight
  /// The quiz's cursor on the grid.
  case cursor
  /// The pages a command being typed would take, and the free run or block it would take them from.
  case preview
  /// A line of a chart: the palette entry of the policy (or figure) it draws.
  case series(Int)
  case error
  case success
  case prompt
  /// The F-key bar: the key, then its label.
  case hintKey
  case hint

  /// How many allocation colours there are; tag `t` uses `(t - 1) % paletteSize`.
  public static let paletteSize = 12

  public static func palette(forTag tag: Int) -> Int { (tag - 1) % paletteSize }
}

/// One character cell of the screen.
public struct Cell: Equatable, Sendable {
  public var character: Character
  public var style: Style

  public static let blank = Cell(character: " ", style: .normal)
  /// The right half of a wide character (the cell to its left): the terminal fills it, nothing is written.
  public static let continuation = Cell(character: "\u{0}", style: .normal)

  public var isContinuation: Bool { character == "\u{0}" }
  /// Whether the character takes this cell and the next.
  var isWide: Bool { !character.isASCII && character.displayWidth == 2 }
}

/// A screenful of cells: what `view` returns and the adapter draws.
public struct Frame: Equatable, Sendable {
  public let width: Int
  public let height: Int
  public private(set) var cells: [Cell]
  /// Where the terminal cursor goes (the prompt's insertion point), if shown.
  public var cursor: (x: Int, y: Int)?

  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: .blank, count: self.width * self.height)
  }

  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * width + x] }
    set {
      guard x >= 0, y >= 0, x < width, y < height else { return }
      let index = y * width + x
      // Writing over half of a wide character blanks its other half.
      if cells[index].isContinuation, x > 0 {
        cells[index - 1] = Cell(character: " ", style: cells[index - 1].style)
      } else if cells[index].isWide, x + 1 < width {
        cells[index + 1] = Cell(character: " ", style: cells[index].style)
      }
      cells[index] = newValue
    }
  }

  /// Writes `text` from (x, y), clipped to `limit` columns and to the frame: a wide
  /// character takes two cells (the second a continuation), a combining mark none.
  /// Returns the columns used.
  @discardableResult
  public mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, limit: Int? = nil) -> Int {
    guard y >= 0, y < height else { return 0 }
    let end = min(width, x + (limit ?? width))
    var column = x
    for character in text {
      let columns = character.displayWidth
      guard columns > 0 else { continue }  // a mark with nothing before it to combine with
      guard column + columns <= end else { break }
      self[column, y] = Cell(character: character, style: style)
      if columns == 2 { self[column + 1, y] = Cell(character: Cell.continuation.character, style: style) }
      column += columns
    }
    return column - x
  }

  /// Writes a one-column cell where only one-column cells can be: the grid and the charts,
  /// drawn over their empty boxes, skip the subscript's care for wide characters (the frame's
  /// hottest path). Out of the frame, nothing is written.
  public mutating func place(_ cell: Cell, x: Int, y: Int) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    cells[y * width + x] = cell
  }

  /// Fills a row segment with one style (for bars).
  public mutating func fill(y: Int, from x: Int = 0, to end: Int? = nil, style: Style) {
    for column in max(0, x)..<min(width, end ?? width) {
      self[column, y] = Cell(character: " ", style: style)
    }
  }

  /// The cells that differ from `previous` (all of them when there is none or
  /// its size differs), in row order: what a terminal must write to show this frame.
  /// - Complexity: O(width × height).
  public func changes(from previous: Frame?) -> [(x: Int, y: Int, cell: Cell)] {
    let whole = previous.map { $0.width != width || $0.height != height } ?? true
    var changed: [(x: Int, y: Int, cell: Cell)] = []
    for index in cells.indices where whole || previous!.cells[index] != cells[index] {
      changed.append((index % width, index / width, cells[index]))
    }
    return changed
  }

  /// The frame as text, one string per row, trailing spaces kept, as a terminal shows
  /// it (a wide character once, its continuation cell left out): what tests compare.
  public var lines: [String] {
    (0..<height).map { y in
      String(cells[(y * width)..<((y + 1) * width)].lazy.filter { !$0.isContinuation }.map(\.character))
    }
  }

  public static func == (a: Frame, b: Frame) -> Bool {
    a.width == b.width && a.height == b.height && a.cells == b.cells && a.cursor?.x == b.cursor?.x
      && a.cursor?.y == b.cursor?.y
  }
}

/// The characters the screen is drawn with: Unicode, or plain ASCII for a
/// non-UTF-8 locale or `--ascii`.
public struct GlyphSet: Sendable, Equatable {
  public let freePage: Character
  public let horizontal: Character
  public let vertical: Character
  /// A zoomed cell by how full it is: partly (three steps), then full but shared by several allocations.
  public let shades: [Character]
  /// From what was done to what came of it ("op 5: free id 2 → deallocation succeeded").
  public let arrow: String
  /// Between the ends of a range ("pages 0–63") and the sides of a size ("64×18").
  public let dash: Character
  public let times: Character

  public static let unicode = GlyphSet(
    freePage: "·", horizontal: "─", vertical: "│",
    shades: ["░", "▒", "▓", "█"], arrow: "→", dash: "–", times: "×")
  public static let ascii = GlyphSet(
    freePage: ".", horizontal: "-", vertical: "|",
    shades: [":", "+", "%", "*"],
    arrow: "->", dash: "-", times: "x")
}
