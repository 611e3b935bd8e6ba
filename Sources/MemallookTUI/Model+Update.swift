import MemallookCore

extension Model {
  /// Applies a message and returns the work the loop must do.
  public mutating func update(_ message: Message) -> [Effect] {
    switch message {
    case .resize(let width, let height):
      self.width = width
      self.height = height
      clampScroll()
      return []
    case .tick:
      return tick()
    case .executed(let line, let outcome, let session):
      return executed(line, outcome, session)
    case .sessionChanged(let session, let note):
      adopt(session)
      if let note { status = Status(text: note, isError: false) }
      return []
    case .unavailable(let reason):
      status = Status(text: reason, isError: true)
      return []
    case .click(let x, let y):
      select(atX: x, y: y)
      return []
    case .workload(let command):
      return run(command)
    case .traceRead(let name, let result, let heap):
      switch result {
      case .success(let trace): load(trace, name: name, heap)
      case .failure(let error): status = Status(text: error.message, isError: true)
      }
      return []
    case .scroll(let rows):
      gridTopRow += rows
      clampScroll()
      return []
    case .key(let key):
      if demo != nil, !(demo?.isFinished ?? true) {
        demo = nil
        status = Status(text: "demo stopped: the keyboard is yours", isError: false)
      }
      return press(key)
    }
  }

  /// The longest a DEFRAG animation takes at the default speed.
  static let defragSeconds = 8

  mutating func submit() -> [Effect] {
    let line = editor.submit()
    let save: [Effect] = line.allSatisfy(\.isWhitespace) ? [] : [.saveHistory(line)]
    let parsed: ParsedLine?
    do {
      parsed = try CommandParser.parseLine(line)
    } catch {
      status = Status(text: error.description, isError: true)
      return save
    }
    let command: Command
    switch parsed {
    case .screen(let workload)?: return save + run(workload)
    case .command(let typed)?: command = typed
    case nil: return save
    }
    return save + run(command, line: line)
  }

  /// What a command does in the TUI: most go to the session through the loop.
  mutating func run(_ command: Command, line: String) -> [Effect] {
    switch command {
    case .quit: return [.quit]
    case .help:
      showingHelp = true
      return []
    case .undo(let steps) where playback != nil:
      step(by: -(steps ?? 1))
      return []
    case .redo(let steps) where playback != nil:
      step(by: steps ?? 1)
      return []
    case .goto(let target) where playback != nil:
      seek(to: target)
      return []
    case _ where playback != nil:
      status = Status(
        text:
          "the player shows a workload: STOP (\(KeyTable.firstKey(for: .leavePlayer))) returns to your heap; "
          + "UNDO, REDO, GOTO move in it",
        isError: true)
      return []
    case .defrag(nil) where animation == nil:
      guard let heap else { return [.execute(.defrag(), line: line)] }
      let planned = heap.defragPlan().count
      guard planned > 0 else { return [.execute(.defrag(), line: line)] }
      // Two ticks a step; a long plan makes several moves a step, so DEFRAG takes about 8 s at most.
      let steps = max(1, Self.defragSeconds * 1000 / (2 * stepMilliseconds))
      animation = Animation(planned: planned, movesPerStep: (planned + steps - 1) / steps)
      movesAnimated = 0
      status = Status(
        text: "defragmenting: \(counted(planned, "move")) (Esc skips, F7/F8 speed; typing goes on)",
        isError: false)
      return []
    default:
      return [.execute(command, line: line)]
    }
  }

  private mutating func executed(_ line: String, _ outcome: Outcome, _ session: Session?) -> [Effect] {
    if let session { adopt(session) }
    switch outcome {
    case .reply(.defragmented(let moves, let complete)) where animation != nil:
      // A step of the animation (or a DEFRAG typed meanwhile): count its moves.
      animation!.made += moves.count
      animation!.lifted = nil
      if complete || moves.isEmpty {
        status = Status(
          text: "defragmentation complete (\(counted(animation!.made, "allocation")) moved)", isError: false)
        animation = nil
      }
    case .reply(.defragmented(let moves, _)) where movesAnimated > 0:
      let total = movesAnimated + moves.count
      movesAnimated = 0
      status = Status(
        text: "defragmentation complete (\(counted(total, "allocation")) moved)", isError: false)
    case .reply(let reply):
      status = Status(text: statusText(for: reply, line: line), isError: false)
    case .failure(let error):
      status = Status(text: error.fullText, isError: true)
    case .unavailable(let reason):
      animation = nil
      status = Status(text: reason, isError: true)
    }
    return []
  }

  private func statusText(for reply: Reply, line: String) -> String {
    switch reply {
    case .shown: "SHOW: the grid is the picture; `memallook show` prints it as text"
    case .stats(let heap, _): "\(heap.text) (metrics on the right)"
    default: reply.fullText
    }
  }

  /// Takes a new session: keeps the selection only if that allocation still lives.
  mutating func adopt(_ newSession: Session) {
    let changed = newSession.heap?.metrics != session.heap?.metrics || newSession.heap?.id != session.heap?.id
    session = newSession
    if let tag = selectedTag, heap?.allocation(tag: tag) == nil { selectedTag = nil }
    if newSession.heap == nil {
      chartHistory = []
      zoom = nil
      gridTopRow = 0
    } else if changed {
      recordFragmentation()
    }
    clampScroll()
  }

  // MARK: Animation and demo

  /// One tick of the animation: first lift the next allocation (highlight it), then move it.
  private mutating func tick() -> [Effect] {
    if playback?.seekTarget != nil {
      seekTick()
      return []
    }
    if playback?.playing ?? false { return playTick() }
    guard var current = animation else { return demoTick() }
    guard current.lifted == nil else {
      let step = Command.defrag(moves: current.movesPerStep)
      return [.execute(step, line: step.line)]
    }
    guard let next = heap?.nextDefragMove() else { return skipAnimation() }
    current.lifted = next
    animation = current
    return []
  }

  /// Ends the animation with one DEFRAG of whatever is left.
  mutating func skipAnimation() -> [Effect] {
    movesAnimated = animation?.made ?? 0
    animation = nil
    return [.execute(.defrag(), line: "DEFRAG")]
  }

  mutating func changeSpeed(slower: Bool) {
    stepMilliseconds = slower ? min(2000, stepMilliseconds * 3 / 2) : max(10, stepMilliseconds * 2 / 3)
    status = Status(text: "animation: \(stepMilliseconds) ms per step", isError: false)
  }

  private mutating func demoTick() -> [Effect] {
    guard var script = demo, !script.isFinished else { return [] }
    defer { demo = script }
    switch script.steps[script.index] {
    case .pause(let ticks):
      script.waited += 1
      if script.waited >= ticks {
        script.index += 1
        script.waited = 0
      }
      return []
    case .type(let line):
      let characters = Array(line)
      if script.typed < characters.count {
        editor.insert(characters[script.typed])
        script.typed += 1
        return []
      }
      script.index += 1
      script.typed = 0
      return submit()
    }
  }

  // MARK: Selection, scrolling, zoom

  mutating func selectNeighbour(_ step: Int) {
    guard let allocations = heap?.allocationsInTagOrder, !allocations.isEmpty else { return }
    guard let tag = selectedTag, let index = allocations.firstIndex(where: { $0.tag == tag }) else {
      selectedTag = (step > 0 ? allocations.first : allocations.last)?.tag
      return
    }
    selectedTag = allocations[(index + step + allocations.count) % allocations.count].tag
    revealSelection()
  }

  private mutating func select(atX x: Int, y: Int) {
    let layout = Layout(model: self)
    if playback?.quiz != nil, let page = layout.page(atX: x, y: y) {
      playback?.quiz?.cursor = page
      answer(.page(page))
    } else if let page = layout.page(atX: x, y: y), let owner = heap?.owner(ofPage: page) {
      selectedTag = owner.tag
    } else if let tag = layout.tag(atX: x, y: y) {
      selectedTag = tag
    }
  }

  /// Scrolls the grid so that the selected allocation's first page is visible.
  private mutating func revealSelection() {
    guard let tag = selectedTag, let allocation = heap?.allocation(tag: tag) else { return }
    let layout = Layout(model: self)
    let row = allocation.firstPage / layout.pagesPerCell / max(1, layout.columns)
    if row < gridTopRow || row >= gridTopRow + layout.gridRows { gridTopRow = row }
    clampScroll()
  }

  mutating func scrollPage(_ direction: Int) {
    gridTopRow += direction * max(1, Layout(model: self).gridRows - 1)
    clampScroll()
  }

  mutating func clampScroll() {
    let layout = Layout(model: self)
    gridTopRow = max(0, min(gridTopRow, layout.totalRows - layout.gridRows))
  }

  mutating func zoom(by factor: Int) {
    let current = Layout(model: self).pagesPerCell
    // Out: at most one cell for the whole heap (checked before multiplying, so it cannot overflow).
    let widest = max(1, heap?.pageCount ?? 1)
    zoom = factor > 0 ? (current > widest / factor ? widest : current * factor) : max(1, current / -factor)
    status = Status(text: "zoom: 1 cell = \(zoom!) page\(zoom == 1 ? "" : "s")", isError: false)
    clampScroll()
  }
}
