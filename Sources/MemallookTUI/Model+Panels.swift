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
      frame.put("none yet: ALLOC M", x: x, y: box.y + 2, style: .dim, limit: inner)
    } else if heap.liveAllocationCount > layout.listedTags.count {
      let more = "\(heap.liveAllocationCount) live, Ctrl-N/P to select"
      frame.put(more, x: x, y: box.y + box.height - 1, style: .border, limit: inner)
    }
  }

  func drawMetrics(_ heap: Heap, _ layout: Layout, into frame: inout Frame) {
    let box = layout.metrics
    let metrics = heap.metrics
    let x = box.x + 2
    let inner = box.width - 4
    let usedShare = Metrics.percent(Double(metrics.pagesUsed) / Double(max(1, metrics.pageCount)))
    let lines = [
      ("used", "\(metrics.pagesUsed) pages (\(usedShare)), peak \(metrics.peakPagesUsed)"),
      ("free", "\(metrics.pagesFree) pages in \(metrics.freeRuns) run\(metrics.freeRuns == 1 ? "" : "s")"),
      ("longest", "\(metrics.longestFreeRun) pages"),
      (
        "internal",
        "\(metrics.internalFragmentationBytes) B (\(Metrics.percent(metrics.internalFragmentation)))"
      ),
      ("external", Metrics.percent(metrics.externalFragmentation)),
      ("allocs", "\(metrics.liveAllocations) live, \(metrics.failedAllocations) failed"),
    ]
    for (row, line) in lines.enumerated() {
      frame.put(pad(line.0, 9), x: x, y: box.y + 1 + row, style: .dim)
      frame.put(line.1, x: x + 9, y: box.y + 1 + row, limit: inner - 9)
    }
    frame.put("external fragmentation:", x: x, y: box.y + 7, style: .dim, limit: inner)
    let sparks = options.glyphs.sparks
    let recent = fragmentationHistory.suffix(inner)
    for (offset, value) in recent.enumerated() {
      let level = min(sparks.count - 1, Int(value * Double(sparks.count)))
      frame[x + offset, box.y + 8] = Cell(character: sparks[level], style: value > 0.5 ? .error : .success)
    }
  }

  func drawHelp(into frame: inout Frame) {
    let keys = [
      "Keys (the command line always has the focus: letters type)",
      "  Enter        run the command typed      Tab   complete keyword or tag",
      "  Up/Down      history                    Ctrl-A/E/U/W/K  edit the line",
      "  F1 or ?      this help (? on an empty line)",
      "  F2           DEFRAG, animated (Esc skips to the end)",
      "  F3           next placement policy      F5/F6 zoom out/in",
      "  F7/F8        animation slower/faster    PgUp/PgDn scroll the pages",
      "  Ctrl-N/P     select next/previous allocation (or click it)",
      "  Esc          clear the selection        F10, Ctrl-C or QUIT  leave",
      "",
      "Commands",
    ]
    let lines =
      keys + Reply.helpText.split(separator: "\n").map { "  " + $0 } + ["", "Any key closes this help."]
    let boxWidth = min(width - 2, (lines.map(\.count).max() ?? 0) + 4)
    let boxHeight = min(height - 2, lines.count + 2)
    let rect = Rect(
      x: (width - boxWidth) / 2, y: (height - boxHeight) / 2, width: boxWidth, height: boxHeight)
    for y in rect.y..<rect.y + rect.height {
      frame.fill(y: y, from: rect.x, to: rect.x + rect.width, style: .normal)
    }
    drawBox(rect, title: "Help", into: &frame)
    for (row, line) in lines.prefix(boxHeight - 2).enumerated() {
      frame.put(
        line, x: rect.x + 2, y: rect.y + 1 + row, style: row == 0 || line == "Commands" ? .prompt : .normal,
        limit: boxWidth - 4)
    }
  }
}

func pad(_ text: String, _ width: Int) -> String {
  text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
