import MemallookCore

/// The free structure panel: the policy's own structure of the free pages
/// (`FreeStructure`), one group a line (its label, then its entries as `start+length`,
/// wrapped), the notes at the bottom. Where each entry lands is computed once, for
/// drawing and for clicks alike.
struct StructurePanel {
  /// A piece of text at a place; an entry's piece knows its entry.
  struct Piece {
    let x: Int
    let y: Int
    let text: String
    let entry: FreeStructure.Entry?
    let isLabel: Bool
  }

  let structure: FreeStructure
  let pieces: [Piece]

  /// The structure laid out inside `rect` (a box: its border left out).
  init(_ heap: Heap, in rect: Rect) {
    let inner = Rect(
      x: rect.x + 1, y: rect.y + 1, width: max(0, rect.width - 2), height: max(0, rect.height - 2))
    // As many entries as could ever show: the panel's cells.
    structure = heap.freeStructure(limit: max(1, inner.width * inner.height / 3))
    // Notes (wrapped at spaces) go under the groups, in the rows the groups leave.
    let wrappedNotes = structure.notes.flatMap { HelpScreen.wrap($0, room: max(21, inner.width)) }
      .map { String($0.trimmingPrefix(" ")) }
    let rows = inner.height
    let longestLabel = structure.groups.map(\.label.count).max() ?? 0
    let labelWidth = longestLabel == 0 ? 0 : min(inner.width / 3, longestLabel + 1)
    var pieces: [Piece] = []
    var y = 0
    groups: for group in structure.groups {
      guard y < rows else { break }
      // A label wider than the label column gets a row of its own: a number is never cut.
      let ownRow = !group.label.isEmpty && group.label.count > labelWidth - 1
      pieces.append(Piece(x: inner.x, y: inner.y + y, text: group.label, entry: nil, isLabel: true))
      if ownRow {
        y += 1
        guard y < rows else { break }
      }
      var x = labelWidth
      for (index, entry) in group.entries.enumerated() {
        let text = "\(entry.start)+\(entry.length)"
        let hidden = group.count - index - 1
        // The last one on the last row leaves room to say how many more there are.
        let reserve = y == rows - 1 && hidden > 0 ? " +\(hidden) more".count : 0
        if x + text.count + reserve > inner.width {
          y += 1
          x = labelWidth
          guard y < rows else {
            break groups
          }
        }
        pieces.append(Piece(x: inner.x + x, y: inner.y + y, text: text, entry: entry, isLabel: false))
        x += text.count + 1
      }
      let more = group.count - group.entries.count
      if more > 0, x + " +\(more) more".count <= inner.width + 1 {
        pieces.append(Piece(x: inner.x + x, y: inner.y + y, text: "+\(more) more", entry: nil, isLabel: true))
      }
      y += 1
    }
    for (offset, note) in wrappedNotes.prefix(max(0, rows - y)).enumerated() {
      pieces.append(Piece(x: inner.x, y: inner.y + y + offset, text: note, entry: nil, isLabel: true))
    }
    self.pieces = pieces
  }

  /// Every entry shown, in the panel's order (Shift-Up/Down go through them).
  var entries: [FreeStructure.Entry] { pieces.compactMap(\.entry) }

  /// The entry under a screen cell, if any.
  func entry(atX x: Int, y: Int) -> FreeStructure.Entry? {
    pieces.first { $0.entry != nil && $0.y == y && x >= $0.x && x < $0.x + $0.text.count }?.entry
  }

  /// Draws the panel: the entry holding `chosen` (where the next ALLOC goes) in the preview's
  /// style, the entry starting at `selected` highlighted.
  func draw(_ rect: Rect, _ painter: Painter, chosen: Int?, selected: Int?, into frame: inout Frame) {
    painter.box(rect, title: structure.title, into: &frame)
    let limit = rect.x + rect.width - 1
    for piece in pieces {
      var style: Style = piece.isLabel ? .dim : .normal
      if let entry = piece.entry {
        if entry.start == selected { style = .highlight }
        if let chosen, entry.pages.contains(chosen) { style = .preview }
      }
      frame.put(piece.text, x: piece.x, y: piece.y, style: style, limit: limit - piece.x)
    }
    if structure.groups.isEmpty {
      frame.put("no free pages", x: rect.x + 2, y: rect.y + 1, style: .dim, limit: rect.width - 4)
    }
  }
}
