import MemallookCore

/// A line chart of fractions (0...1) over a timeline, in braille dots (2 × 4 a
/// cell) or, with ASCII glyphs, one `*` a cell; a labelled axis and the current step marked.
struct Chart {
  /// One line of the chart: `values[i]` is the fraction after step `i × stride`.
  struct Series {
    let name: String
    let values: ArraySlice<Float>
    let style: Style
    var stride = 1
  }

  let series: [Series]
  /// Steps the x axis spans (the timeline's length; the values may cover fewer).
  let steps: Int
  /// The step marked on the axis.
  let marker: Int?

  /// Draws into `rect` (the inside of a box): a label column, the plot, the axis row.
  /// - Complexity: O(series × rect.width × rect.height): never O(steps).
  func draw(in rect: Rect, glyphs: GlyphSet, into frame: inout Frame) {
    let labelWidth = 5
    let plotRows = rect.height - 1
    let plotWidth = rect.width - labelWidth
    guard plotRows >= 1, plotWidth >= 4 else { return }
    let braille = glyphs != .ascii
    let dotsAcross = plotWidth * (braille ? 2 : 1)
    let dotsUp = plotRows * (braille ? 4 : 1)
    var bits = [UInt8](repeating: 0, count: plotWidth * plotRows)
    var styles = [Style?](repeating: nil, count: plotWidth * plotRows)
    let span = max(1, steps)
    for line in series where !line.values.isEmpty {
      var previous: Int?
      for x in 0..<dotsAcross {
        // The value at the end of the steps this dot column stands for, if reached.
        let step = (x + 1) * span / dotsAcross / line.stride
        guard step < line.values.count else { break }
        let value = Double(min(1, max(0, line.values[line.values.startIndex + step])))
        let y = Int((value * Double(dotsUp - 1)).rounded())
        let from = braille ? min(previous ?? y, y) : y
        let to = braille ? max(previous ?? y, y) : y
        for dot in from...to {
          let row = plotRows - 1 - dot / (braille ? 4 : 1)
          let column = x / (braille ? 2 : 1)
          let index = row * plotWidth + column
          if braille { bits[index] |= Self.brailleBit(x: x % 2, y: 3 - dot % 4) }
          styles[index] = line.style
        }
        previous = y
      }
    }
    let plotX = rect.x + labelWidth
    for row in 0..<plotRows {
      for column in 0..<plotWidth {
        let index = row * plotWidth + column
        guard let style = styles[index] else { continue }
        let character =
          braille ? Character(Unicode.Scalar(0x2800 + UInt32(bits[index]))!) : Character("*")
        frame.place(Cell(character: character, style: style), x: plotX + column, y: rect.y + row)
      }
    }
    frame.put("100%", x: rect.x, y: rect.y, style: .dim)
    if plotRows > 2 { frame.put(" 50%", x: rect.x, y: rect.y + plotRows / 2, style: .dim) }
    frame.put("  0%", x: rect.x, y: rect.y + plotRows - 1, style: .dim)
    let axis = rect.y + plotRows
    frame.put("0", x: plotX, y: axis, style: .dim)
    let end = String(steps)
    frame.put(end, x: plotX + plotWidth - end.count, y: axis, style: .dim)
    if let marker {
      let column = min(plotWidth - 1, max(0, marker) * plotWidth / span)
      let label = "\(glyphs == .ascii ? "^" : "▲")\(marker)"
      let x = min(plotX + column, plotX + plotWidth - label.count)
      frame.put(label, x: max(plotX, x), y: axis, style: .prompt)
    }
  }

  /// The bit of a braille character for the dot at column `x` (0, 1) and row `y` (0 top ... 3).
  static func brailleBit(x: Int, y: Int) -> UInt8 {
    let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
    return bits[x][y]
  }
}
