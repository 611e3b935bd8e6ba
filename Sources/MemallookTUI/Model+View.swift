import MemallookCore

extension Model {
  /// The whole screen as a frame of cells.
  /// - Complexity: O(screen cells + live allocations · log): never O(pages).
  public func view() -> Frame {
    var frame = Frame(width: width, height: height)
    let layout = Layout(model: self)
    guard layout.fits else {
      let times = options.glyphs.times
      frame.put("terminal too small (need \(Layout.minimumWidth)\(times)\(Layout.minimumHeight))", x: 0, y: 0)
      frame.put("now \(width)\(times)\(height); F10 quits", x: 0, y: 1, style: .dim)
      return frame
    }
    drawTitle(into: &frame)
    if let playback, playback.isRace {
      drawRace(playback, layout, into: &frame)
    } else {
      drawBox(layout.grid, title: "Pages", into: &frame)
      drawBox(layout.allocations, title: "Allocations", into: &frame)
      drawBox(layout.metrics, title: "Metrics (pages)", into: &frame)
      if let heap, let metrics {
        drawGrid(heap, layout, into: &frame)
        drawAllocations(heap, layout, into: &frame)
        drawMetrics(metrics, layout, into: &frame)
      } else {
        drawWelcome(layout, into: &frame)
      }
    }
    if let chart = layout.chart { drawChart(in: chart, into: &frame) }
    if let row = layout.timeline { drawTimeline(row: row, into: &frame) }
    if let playback, playback.isRace, playback.player.isAtEnd { drawResults(playback, into: &frame) }
    drawStatus(into: &frame)
    drawPrompt(into: &frame)
    drawHints(into: &frame)
    if showingHelp { drawHelp(into: &frame) }
    return frame
  }

  private func drawTitle(into frame: inout Frame) {
    frame.fill(y: 0, style: .title)
    var text = " memallook"
    if let playback {
      let player = playback.player
      if playback.quiz != nil {
        text += "  QUIZ  p=\(player.pageSize) N=\(player.pageCount)  \(playback.lane.policy.rule)"
      } else {
        text +=
          "  \(playback.isRace ? "RACE" : "PLAYER") \(player.name)  p=\(player.pageSize) N=\(player.pageCount)"
        if !playback.isRace { text += "  \(playback.lane.policy.title)" }
      }
    } else if let heap, let metrics {
      text += "  \(heap.id)  p=\(heap.pageSize) N=\(heap.pageCount)  \(heap.policy.title)"
      text += "  used \(metrics.pagesUsed)  free \(metrics.pagesFree)"
    } else {
      text += "  no heap"
    }
    if let listening = options.listening { text += "  HTTP \(listening)" }
    frame.put(text, x: 0, y: 0, style: .title)
    let keys = "\(KeyTable.firstKey(for: .showHelp)) help  \(KeyTable.firstKey(for: .quit)) quit "
    if frame.width - keys.count > text.count + 1 {
      frame.put(keys, x: frame.width - keys.count, y: 0, style: .title)
    }
  }

  func drawBox(_ rect: Rect, title: String, into frame: inout Frame) {
    guard rect.width >= 2, rect.height >= 2 else { return }
    let glyphs = options.glyphs
    let ascii = glyphs == .ascii
    let corners: [Character] = ascii ? ["+", "+", "+", "+"] : ["┌", "┐", "└", "┘"]
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

  private func drawStatus(into frame: inout Frame) {
    guard let status else { return }
    let firstLine = status.text.split(separator: "\n").first.map(String.init) ?? ""
    frame.put(firstLine, x: 1, y: height - 3, style: status.isError ? .error : .success, limit: width - 2)
  }

  private func drawPrompt(into frame: inout Frame) {
    let y = height - 2
    frame.put("> ", x: 0, y: y, style: .prompt)
    // Columns for the text, the cursor on the last one at most; scrolled (by display
    // width: a wide character takes two) so that the cursor stays in view.
    let room = width - 3
    let text = editor.text
    var start = editor.cursor
    var beforeCursor = 0
    while start > 0, beforeCursor + text[start - 1].displayWidth <= room {
      start -= 1
      beforeCursor += text[start].displayWidth
    }
    frame.put(String(text[start...]), x: 2, y: y, limit: room)
    frame.cursor = (2 + beforeCursor, y)
  }

  private func drawHints(into frame: inout Frame) {
    let y = height - 1
    var entries = KeyTable.bar(in: keyMode)
    // The way out is always on the bar: the last entry (Quit, or Close in the help) goes to the
    // right end when the others do not all fit.
    let total = entries.reduce(0) { $0 + $1.key.count + $1.label.count + 3 }
    let last = total > width ? entries.popLast() : nil
    let lastWidth = last.map { $0.key.count + $0.label.count + 1 } ?? 0
    var x = 0
    for (key, label) in entries {
      guard x + key.count + label.count + 3 <= width - lastWidth else { break }
      x += frame.put(key, x: x, y: y, style: .hintKey)
      x += frame.put(" " + label + "  ", x: x, y: y, style: .hint)
    }
    frame.fill(y: y, from: x, style: .hint)
    if let last {
      let start = width - lastWidth
      frame.put(last.key, x: start, y: y, style: .hintKey)
      frame.put(" " + last.label, x: start + last.key.count, y: y, style: .hint)
    }
  }

}
