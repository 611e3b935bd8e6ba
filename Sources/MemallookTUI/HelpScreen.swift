import MemallookCore

/// The help, over the screen: every binding of the key table, then the commands of the
/// command table; it scrolls when it does not fit.
public struct HelpScreen: Sendable, Equatable {
  /// First help line shown.
  public var top = 0

  /// Scrolls by `rows` (negative: back), no further than the last screenful.
  mutating func scroll(by rows: Int, width: Int, height: Int) {
    top = max(0, min(top + rows, Self.scrollLimit(width: width, height: height)))
  }

  /// The first help line that can be at the top: the last screenful starts there.
  static func scrollLimit(width: Int, height: Int) -> Int {
    max(0, lines(room: width - 6).count - (height - 4))
  }

  func draw(_ painter: Painter, into frame: inout Frame) {
    let (width, height) = (frame.width, frame.height)
    let lines = Self.lines(room: width - 6)
    let boxWidth = min(width - 2, (lines.map(\.text.count).max() ?? 0) + 4)
    let boxHeight = min(height - 2, lines.count + 2)
    let rect = Rect(
      x: (width - boxWidth) / 2, y: (height - boxHeight) / 2, width: boxWidth, height: boxHeight)
    painter.overlay(rect, title: "Help", into: &frame)
    let limit = Self.scrollLimit(width: width, height: height)
    let first = min(top, limit)
    for (row, line) in lines.dropFirst(first).prefix(boxHeight - 2).enumerated() {
      frame.put(line.text, x: rect.x + 2, y: rect.y + 1 + row, style: line.style, limit: boxWidth - 4)
    }
    if first < limit {
      let more = " \(KeyTable.firstKey(for: .scrollHelp(10))) for more "
      frame.put(more, x: rect.x + 2, y: rect.y + rect.height - 1, style: .border, limit: boxWidth - 4)
    }
  }

  /// The help's lines: the key table (in two columns when `room` allows), then the commands.
  static func lines(room: Int) -> [(text: String, style: Style)] {
    let namesWidth = (KeyTable.bindings.map(\.names.count).max() ?? 0) + 2
    let entries = KeyTable.bindings.map { "  " + pad($0.names, namesWidth) + $0.description }
    let entryWidth = entries.map(\.count).max() ?? 0
    var keyRows: [String]
    if 2 * entryWidth + 2 <= room {
      let half = (entries.count + 1) / 2
      keyRows = (0..<half).map { row in
        let right = row + half < entries.count ? entries[row + half] : ""
        return pad(entries[row], entryWidth + 2) + right
      }
    } else {
      keyRows = entries
    }
    let commands: [String] = Reply.helpText.split(separator: "\n").map { "  " + $0 }
    let workloads: [String] = CommandTable.helpText(
      for: .screen, extra: [("UNDO/REDO [n], GOTO step", "in the player: back, forward, to a step")]
    ).split(separator: "\n").map { "  " + $0 }
    var lines: [(String, Style)] = [
      ("Keys: the command line always has the focus, letters type (also during DEFRAG)", .prompt)
    ]
    lines += (keyRows + [""]).map { ($0, Style.normal) }
    lines.append(("Commands", .prompt))
    lines += commands.map { ($0, Style.normal) }
    lines += [("", .normal), ("Workloads: the player (your heap is untouched)", .prompt)]
    lines += workloads.map { ($0, Style.normal) }
    return lines.flatMap { line in wrap(line.0, room: room).map { ($0, line.1) } }
  }

  /// `line` in lines of at most `room` columns, broken at spaces; the continuations are
  /// indented to where the line's description starts (after its first gap of two spaces).
  static func wrap(_ line: String, room: Int) -> [String] {
    guard line.count > room, room > 20 else { return [line] }
    let characters = Array(line)
    let leading = characters.prefix { $0 == " " }.count
    var indent = 4
    if let gap = (leading..<characters.count - 1).first(where: {
      characters[$0] == " " && characters[$0 + 1] == " "
    }) {
      let start = characters[gap...].firstIndex { $0 != " " } ?? gap
      if start < room / 2 { indent = start }
    }
    var lines: [String] = []
    var current = String(repeating: " ", count: leading)
    var atStart = true
    for word in line.dropFirst(leading).split(separator: " ", omittingEmptySubsequences: false) {
      let piece = atStart ? String(word) : " " + word
      atStart = false
      if !word.isEmpty, current.count + piece.count > room {
        lines.append(current)
        current = String(repeating: " ", count: indent) + word
      } else {
        current += piece
      }
    }
    lines.append(current)
    return lines
  }
}
