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
    let typed = typedPreview
    if let playback {
      playback.draw(layout, painter, into: &frame)
    } else {
      heapScreen.draw(layout, painter, preview: try? typed?.result.get(), into: &frame)
    }
    if let typed {
      drawPreview(typed, into: &frame)
    } else {
      drawStatus(into: &frame)
    }
    drawPrompt(into: &frame)
    drawHints(into: &frame)
    help?.draw(painter, into: &frame)
    return frame
  }

  private func drawTitle(into frame: inout Frame) {
    frame.fill(y: 0, style: .title)
    var text = " memallook" + (playback?.title ?? heapScreen.title)
    if let listening = options.listening { text += "  HTTP \(listening)" }
    frame.put(text, x: 0, y: 0, style: .title)
    let keys = "\(KeyTable.firstKey(for: .showHelp)) help  \(KeyTable.firstKey(for: .quit)) quit "
    if frame.width - keys.count > text.count + 1 {
      frame.put(keys, x: frame.width - keys.count, y: 0, style: .title)
    }
  }

  /// What the ALLOC or REALLOC being typed would do to your heap, asked of the core
  /// (`Session.preview`) before Enter; nil for any other line, in the player, and while a
  /// DEFRAG animation moves the heap under it (its message stays).
  var typedPreview: (command: Command, result: Result<Preview, CommandError>)? {
    guard playback == nil, help == nil, heapScreen.animation == nil, !editor.isEmpty,
      case .command(let command)? = try? CommandParser.parseLine(editor.line),
      let result = session.preview(command)
    else { return nil }
    return (command, result)
  }

  /// The message line while a command is typed: where it would land, or why it would fail.
  private func drawPreview(
    _ typed: (command: Command, result: Result<Preview, CommandError>), into frame: inout Frame
  ) {
    let dash = options.glyphs.dash
    let text: String
    let isError: Bool
    switch typed.result {
    case .success(.allocation(let start, let pages)):
      (text, isError) = ("\(typed.command.line): would take pages \(start)\(dash)\(start + pages - 1)", false)
    case .success(.reallocation(let plan)):
      let pages = "pages \(plan.start)\(dash)\(plan.start + plan.pages - 1)"
      (text, isError) = (
        "\(typed.command.line): would \(plan.inPlace ? "stay in place, " : "move to ")\(pages)", false
      )
    case .failure(let error):
      // The policy's own reason first: the line is short.
      (text, isError) = ("would fail: \(error.policyNote ?? error.fullText)", true)
    }
    frame.put(text, x: 1, y: height - 3, style: isError ? .error : .preview, limit: width - 2)
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
