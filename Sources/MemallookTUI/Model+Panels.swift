import MemallookCore

/// The side panels and the help screen.
extension Model {
  func drawAllocations(_ heap: Heap, _ layout: Layout, into frame: inout Frame) {
    let box = layout.allocations
    let x = box.x + 2
    let inner = box.width - 4
    frame.put(
      "  " + pad("tag", 5) + pad("bytes", 9) + pad("pages", 7) + "first", x: x, y: box.y + 1, style: .dim,
      limit: inner)
    for (row, tag) in layout.listedTags.enumerated() {
      guard let allocation = heap.allocation(tag: tag) else { continue }
      let y = box.y + 2 + row
      let palette = Style.palette(forTag: tag)
      let selected = tag == selectedTag
      let rowStyle: Style = selected ? .selected(palette: palette) : .normal
      frame[x, y] = Cell(character: allocation.glyph, style: .allocation(palette: palette))
      let text =
        " " + pad(allocation.tagText, 5) + pad(String(allocation.bytes), 9)
        + pad(String(allocation.pageCount), 7)
        + String(allocation.firstPage)
      frame.put(text, x: x + 1, y: y, style: rowStyle, limit: inner - 1)
    }
    if heap.liveAllocationCount == 0 {
      frame.put(
        playback == nil ? "none yet: ALLOC M" : "none live", x: x, y: box.y + 2, style: .dim, limit: inner)
    } else if heap.liveAllocationCount > layout.listedTags.count {
      let more = "\(heap.liveAllocationCount) live, Ctrl-N/P"
      frame.put(more, x: x, y: box.y + box.height - 1, style: .border, limit: inner)
    }
  }

  func drawMetrics(_ metrics: Metrics, _ layout: Layout, into frame: inout Frame) {
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

  /// The help screen: every binding of the key table, then the commands; scrolls when it does not fit.
  func drawHelp(into frame: inout Frame) {
    let lines = helpLines(room: width - 6)
    let boxWidth = min(width - 2, (lines.map(\.text.count).max() ?? 0) + 4)
    let boxHeight = min(height - 2, lines.count + 2)
    let rect = Rect(
      x: (width - boxWidth) / 2, y: (height - boxHeight) / 2, width: boxWidth, height: boxHeight)
    for y in rect.y..<rect.y + rect.height {
      frame.fill(y: y, from: rect.x, to: rect.x + rect.width, style: .normal)
    }
    drawBox(rect, title: "Help", into: &frame)
    let top = min(helpTop, helpScrollLimit)
    for (row, line) in lines.dropFirst(top).prefix(boxHeight - 2).enumerated() {
      frame.put(line.text, x: rect.x + 2, y: rect.y + 1 + row, style: line.style, limit: boxWidth - 4)
    }
    if top < helpScrollLimit {
      let more = " \(KeyTable.firstKey(for: .scrollHelp(10))) for more "
      frame.put(more, x: rect.x + 2, y: rect.y + rect.height - 1, style: .border, limit: boxWidth - 4)
    }
  }

  /// The first help line that can be at the top: the last screenful starts there.
  var helpScrollLimit: Int {
    max(0, helpLines(room: width - 6).count - (height - 4))
  }

  /// The help's lines: the key table (in two columns when `room` allows), then the commands.
  func helpLines(room: Int) -> [(text: String, style: Style)] {
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
    let workloads: [String] =
      CommandTable.helpText(
        for: .screen, extra: [("UNDO/REDO [n], GOTO step", "in the player: back, forward, to a step")]
      ).split(separator: "\n").map { "  " + $0 }
    let lines: [(String, Style)] =
      [("Keys: the command line always has the focus, letters type (also during DEFRAG)", .prompt)]
      + (keyRows + [""]).map { ($0, Style.normal) } + [("Commands", .prompt)]
      + commands.map { ($0, .normal) } + [
        ("", .normal), ("Workloads: the player (your heap is untouched)", .prompt),
      ]
      + workloads.map { ($0, .normal) }
    return lines.flatMap { line in Self.wrap(line.0, room: room).map { ($0, line.1) } }
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

func pad(_ text: String, _ width: Int) -> String {
  text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
