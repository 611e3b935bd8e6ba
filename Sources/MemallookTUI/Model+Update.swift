import MemallookCore

extension Model {
  /// Applies a message and returns the work the loop must do: the active mode's update
  /// decides, the top model keeps the message line and the scroll in bounds.
  public mutating func update(_ message: Message) -> [Effect] {
    let effects = route(message)
    grid.clamp(Layout(model: self))
    return effects.filter { effect in
      guard case .status(let line) = effect else { return true }
      status = line
      return false
    }
  }

  private mutating func route(_ message: Message) -> [Effect] {
    switch message {
    case .resize(let width, let height):
      self.width = width
      self.height = height
      return []
    case .tick:
      if playback?.isMoving == true { return playback!.tick() }
      if heapScreen.animation != nil { return heapScreen.tick() }
      return demoTick()
    case .executed(let line, let outcome, let session):
      return heapScreen.executed(line, outcome, session)
    case .sessionChanged(let session, let note):
      heapScreen.adopt(session)
      return note.map { [.say($0)] } ?? []
    case .unavailable(let reason):
      return [.say(reason, isError: true)]
    case .click(let x, let y):
      return click(x: x, y: y)
    case .workload(let command):
      return run(command)
    case .traceRead(let name, let result, let heap):
      switch result {
      case .success(let trace): return load(Playback.load(trace, name: name, heap, glyphs: options.glyphs))
      case .failure(let error): return [.say(error.message, isError: true)]
      }
    case .scroll(let rows):
      grid.topRow += rows
      return []
    case .key(let key):
      var effects: [Effect] = []
      if demo != nil, !(demo?.isFinished ?? true) {
        demo = nil
        effects.append(.say("demo stopped: the keyboard is yours"))
      }
      return effects + press(key)
    }
  }

  /// Enter: the line typed, parsed with every front's parser (the screen's commands too).
  mutating func submit() -> [Effect] {
    let line = editor.submit()
    let save: [Effect] = line.allSatisfy(\.isWhitespace) ? [] : [.saveHistory(line)]
    let parsed: ParsedLine?
    do {
      parsed = try CommandParser.parseLine(line)
    } catch {
      return save + [.say(error.description, isError: true)]
    }
    switch parsed {
    case .screen(let workload)?: return save + run(workload)
    case .command(let command)?: return save + run(command, line: line)
    case nil: return save
    }
  }

  /// What a command of the language does here: the player moves through its workload,
  /// your heap's screen sends the rest to the session.
  mutating func run(_ command: Command, line: String) -> [Effect] {
    switch command {
    case .quit: return [.quit]
    case .help:
      help = HelpScreen()
      return []
    case .undo(let steps) where playback != nil: return playback!.step(by: -(steps ?? 1))
    case .redo(let steps) where playback != nil: return playback!.step(by: steps ?? 1)
    case .goto(let target) where playback != nil: return playback!.seek(to: target)
    case _ where playback != nil:
      return [
        .say(
          "the player shows a workload: STOP (\(KeyTable.firstKey(for: .leavePlayer))) returns to your heap; "
            + "UNDO, REDO, GOTO move in it", isError: true)
      ]
    default: return heapScreen.run(command, line: line)
    }
  }

  /// What a command of the player does: load, race, quiz, leave.
  mutating func run(_ command: WorkloadCommand) -> [Effect] {
    switch command {
    case .replay(let path, let heap, let strict):
      return [.say("reading \(path)"), .readTrace(path: path, heap, strict: strict)]
    case .generate(let generator, let heap):
      do {
        return load(
          Playback.load(
            try generator.generate(), name: Playback.name(of: generator), heap, glyphs: options.glyphs))
      } catch {
        return [.say("GENERATE: \(error.message)", isError: true)]
      }
    case .race(let policies, let metric):
      guard playback != nil else {
        return [
          .say("RACE plays the loaded workload: REPLAY file or GENERATE seed=1 ops=1000 first", isError: true)
        ]
      }
      return playback!.race(policies, metric)
    case .quiz:
      var effects: [Effect] = []
      if playback == nil {
        effects = load(
          Playback.quizWorkload(policy: heapScreen.heap?.policy ?? .first, glyphs: options.glyphs))
      }
      return playback == nil ? effects : effects + playback!.startQuiz()
    case .stop:
      guard playback != nil else { return [.say("STOP: no workload is loaded", isError: true)] }
      playback = nil
      return [.say("player closed: back to your heap")]
    case .jump(let target):
      guard playback != nil else {
        return [
          .say(
            "JUMP moves in the loaded workload: REPLAY file or GENERATE seed=1 ops=1000 first", isError: true)
        ]
      }
      return playback!.jump(to: target)
    }
  }

  /// Takes a loaded player, or says why there is none.
  private mutating func load(_ loaded: (Playback?, Effect)) -> [Effect] {
    if let player = loaded.0 { playback = player }
    return [loaded.1]
  }

  /// A click: in the quiz, a guess; elsewhere, the allocation under it is selected.
  private mutating func click(x: Int, y: Int) -> [Effect] {
    let layout = Layout(model: self)
    if playback?.quiz != nil, let page = layout.page(atX: x, y: y) {
      playback!.quiz!.cursor = page
      return playback!.answer(.page(page))
    }
    if let rect = layout.structure, let heap, let entry = StructurePanel(heap, in: rect).entry(atX: x, y: y) {
      grid.selectedRun = entry.start
    } else if let page = layout.page(atX: x, y: y), let owner = heap?.owner(ofPage: page) {
      grid.selectedTag = owner.tag
    } else if let tag = layout.tag(atX: x, y: y) {
      grid.selectedTag = tag
    }
    return []
  }

  /// The demo types its next character, or waits.
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
}
