import MemallookCore

/// Keys go through the one key table (`KeyTable`): the command line always has
/// the focus, so every printable key types; actions live on F-keys and Ctrl.
extension Model {
  /// Where keys are now: in the help, during a DEFRAG animation, or normal.
  public var keyMode: KeyModes {
    if showingHelp { return .help }
    if let playback { return playback.quiz != nil ? .quiz : playback.isRace ? .race : .player }
    return animation != nil ? .animation : .normal
  }

  mutating func press(_ key: Key) -> [Effect] {
    guard let binding = KeyTable.binding(for: key, in: keyMode, lineIsEmpty: editor.isEmpty) else {
      return []
    }
    return perform(binding.action, key: key)
  }

  /// Does what a key table entry says; `key` is the key pressed (the character to type).
  mutating func perform(_ action: KeyAction, key: Key) -> [Effect] {
    switch action {
    case .quit: return [.quit]
    case .showHelp:
      showingHelp = true
      helpTop = 0
    case .closeHelp: showingHelp = false
    case .scrollHelp(let rows): helpTop = max(0, min(helpTop + rows, helpScrollLimit))
    case .submit: return submit()
    case .complete: complete()
    case .type:
      if case .character(let character) = key { editor.insert(character) }
    case .edit(let edit): editor.apply(edit)
    case .defrag: return run(.defrag(), line: "DEFRAG")
    case .skipAnimation: return skipAnimation()
    case .nextPolicy:
      if let playback {
        let all = Policy.allCases
        let next = all[(all.firstIndex(of: playback.lane.policy)! + 1) % all.count]
        return run(.race([next], nil))
      }
      guard let heap else { return run(.policy(.first), line: "POLICY first") }
      let all = Policy.allCases
      let next = all[(all.firstIndex(of: heap.policy)! + 1) % all.count]
      return run(.policy(next), line: "POLICY \(next.rawValue)")
    case .zoomOut: zoom(by: 2)
    case .zoomIn: zoom(by: -2)
    case .slower: if playback != nil { changePlaySpeed(slower: true) } else { changeSpeed(slower: true) }
    case .faster: if playback != nil { changePlaySpeed(slower: false) } else { changeSpeed(slower: false) }
    case .scrollPages(let screens): scrollPage(screens)
    case .selectNext: selectNeighbour(1)
    case .selectPrevious: selectNeighbour(-1)
    case .clearSelection: selectedTag = nil
    case .undo: return run(.undo(), line: "UNDO")
    case .redo: return run(.redo(), line: "REDO")
    case .playPause: playPause()
    case .stopMoving: stopMoving()
    case .stepForward: step(by: 1)
    case .stepBack: step(by: -1)
    case .jump(let percent):
      if let count = playback?.player.count {
        step(by: max(1, count * abs(percent) / 100) * percent.signum())
      }
    case .toStart: seek(to: 0)
    case .toEnd: seek(to: Int.max)
    case .leavePlayer: return run(.stop)
    case .nextMetric:
      guard let metric = playback?.metric.next else { break }
      playback?.metric = metric
      status = Status(
        text: "race: the star marks the best on \(playback?.metric.rawValue ?? "")", isError: false)
    case .togglePauseOnFailure:
      playback?.pausesOnFailure.toggle()
      let pauses = playback?.pausesOnFailure ?? false
      status = Status(
        text: pauses ? "a failed ALLOC pauses the play" : "a failed ALLOC does not pause", isError: false)
    case .moveCursor(let columns, let rows): moveQuizCursor(columns: columns, rows: rows)
    case .guessCursor: answer(.page(playback?.quiz?.cursor ?? 0))
    case .guessFails: answer(.fails)
    }
    return []
  }

  /// Tab: completes what the candidates share; when several remain, lists them on the message line.
  private mutating func complete() {
    let matches = editor.complete(from: completions())
    if matches.count > 1 {
      status = Status(text: matches.joined(separator: " "), isError: false)
    } else if status?.isError == false {
      status = nil  // an earlier list of candidates would be stale
    }
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
