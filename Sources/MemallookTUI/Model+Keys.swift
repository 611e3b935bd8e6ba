import MemallookCore

/// Keys go through the one key table (`KeyTable`): the command line always has
/// the focus, so every printable key types; actions live on F-keys and Ctrl.
extension Model {
  mutating func press(_ key: Key) -> [Effect] {
    guard let binding = KeyTable.binding(for: key, in: keyMode, lineIsEmpty: editor.isEmpty) else {
      return []
    }
    return perform(binding.action, key: key)
  }

  /// Does what a key table entry says; `key` is the key pressed (the character to type).
  /// The command line, the grid and the help are the top model's; the rest goes to the mode.
  mutating func perform(_ action: KeyAction, key: Key) -> [Effect] {
    // Keys that edit the command line need no layout (a paste is millions of them).
    switch action {
    case .type:
      if case .character(let character) = key, !editor.insert(character) {
        return [.say("the command line holds at most \(LineEditor.maximumLength) characters", isError: true)]
      }
      return []
    case .edit(let edit):
      editor.apply(edit)
      return []
    default: break
    }
    let layout = Layout(model: self)
    switch action {
    case .quit: return [.quit]
    case .showHelp: help = HelpScreen()
    case .closeHelp: help = nil
    case .scrollHelp(let rows): help?.scroll(by: rows, width: width, height: height)
    case .submit: return submit()
    case .complete: return complete()
    case .type, .edit: return []  // above
    case .zoomOut: return [grid.zoom(by: 2, pages: heap?.pageCount ?? 1, current: layout.pagesPerCell)]
    case .zoomIn: return [grid.zoom(by: -2, pages: heap?.pageCount ?? 1, current: layout.pagesPerCell)]
    case .scrollPages(let screens): grid.topRow += screens * max(1, layout.gridRows - 1)
    case .selectNext, .selectPrevious:
      grid.selectNeighbour(action == .selectNext ? 1 : -1, in: heap)
      grid.revealSelection(in: heap, layout)
    case .clearSelection:
      grid.selectedTag = nil
      grid.selectedRun = nil
    case .toggleStructure:
      structurePanel = !showsStructure
      return [
        .say(
          "free structure panel \(showsStructure ? "on" : "off") (\(KeyTable.firstKey(for: .toggleStructure)))"
        )
      ]
    case .selectEntry(let step):
      guard let rect = layout.structure, let heap else {
        return [.say("the free structure panel is off: \(KeyTable.firstKey(for: .toggleStructure)) shows it")]
      }
      grid.selectEntry(step, among: StructurePanel(heap, in: rect).entries)
    case .undo: return run(.undo(), line: "UNDO")
    case .redo: return run(.redo(), line: "REDO")
    case .leavePlayer: return run(.stop)
    default:
      return playback != nil ? playback!.perform(action, layout) : heapScreen.perform(action)
    }
    return []
  }

  /// Tab: completes what the candidates share; when several remain, lists them on the message line.
  private mutating func complete() -> [Effect] {
    let matches = editor.complete(from: completions())
    if matches.count > 1 { return [.say(matches.joined(separator: " "))] }
    // An earlier list of candidates would be stale.
    return status?.isError == false ? [.status(nil)] : []
  }

  /// Tab completion: keywords first, then live tags or policies by context.
  private func completions() -> [String] {
    let context = editor.wordContext
    let rows = CommandTable.rows(for: [.script, .screen])
    if context.index == 0 { return rows.map(\.keyword) }
    guard let row = rows.first(where: { $0.names.contains(context.keyword) }) else { return [] }
    // The parameter the word would bind to by position (a list takes every word).
    let positional = row.parameters.filter { $0.kind != .flag }
    let parameter = positional.first { $0.kind == .list } ?? positional.dropFirst(context.index - 1).first
    switch parameter?.nameText {
    case "tag": return heap?.allocationsInTagOrder.map(\.tagText) ?? []
    case "policy": return Policy.allCases.map(\.rawValue)
    default: return []
    }
  }
}
