import MemallookCore

/// The player: a workload played on its own heaps, stepped back and forth, raced, quizzed.
extension Model {
  /// Does what a screen command says.
  mutating func run(_ command: WorkloadCommand) -> [Effect] {
    switch command {
    case .replay(let path, let heap):
      status = Status(text: "reading \(path)", isError: false)
      return [.readTrace(path: path, heap)]
    case .generate(let generator, let heap):
      do {
        let trace = try generator.generate()
        load(trace, name: Self.name(of: generator), heap)
      } catch {
        status = Status(text: "GENERATE: \(error.message)", isError: true)
      }
    case .race(let policies, let metric):
      guard let current = playback else {
        status = Status(
          text: "RACE plays the loaded workload: REPLAY file or GENERATE seed=1 ops=1000 first", isError: true
        )
        return []
      }
      rebuild(policies: policies, keeping: current)
      if let metric { playback?.metric = metric }
      if let racing = playback, racing.seekTarget == nil {
        let names = racing.player.lanes.map(\.policy.rawValue).joined(separator: ", ")
        status = Status(text: "RACE: \(names) at step \(racing.player.position)", isError: false)
      }
    case .quiz:
      startQuiz()
    case .stop:
      guard playback != nil else {
        status = Status(text: "STOP: no workload is loaded", isError: true)
        return []
      }
      playback = nil
      zoom = nil
      gridTopRow = 0
      selectedTag = nil
      status = Status(text: "player closed: back to your heap", isError: false)
    }
    return []
  }

  /// Loads `trace` into the player on the heap `heap` describes, paused at step 0.
  mutating func load(_ trace: Trace, name: String, _ heap: WorkloadCommand.Heap) {
    guard trace.operations.count <= Playback.maximumOperations else {
      status = Status(
        text: "\(name): \(trace.operations.count) operations; the player takes at most "
          + "\(Playback.maximumOperations) (memallook compare replays longer workloads)",
        isError: true)
      return
    }
    do {
      let player = try TracePlayer(
        trace: trace, name: name, pageSize: heap.pageSize, pageCount: heap.pageCount, policies: [heap.policy])
      playback = Playback(player: player)
      zoom = nil
      gridTopRow = 0
      selectedTag = nil
      let keys =
        "\(KeyTable.firstKey(for: .playPause)) plays, \(KeyTable.firstKey(for: .stepForward))/"
        + "\(KeyTable.firstKey(for: .stepBack)) step, STOP leaves"
      status = Status(
        text:
          "\(name): \(counted(trace.operations.count, "operation")) on \(counted(player.pageCount, "page")); \(keys)",
        isError: false)
    } catch {
      status = Status(text: "\(name): \(error.fullText)", isError: true)
    }
  }

  /// The same workload at the same step on other policies.
  private mutating func rebuild(policies: [Policy], keeping current: Playback, atStart: Bool = false) {
    let old = current.player
    do {
      let player = try TracePlayer(
        trace: old.trace, name: old.name, pageSize: old.pageSize, pageCount: old.pageCount, policies: policies
      )
      var next = Playback(player: player)
      next.speedIndex = current.speedIndex
      next.metric = current.metric
      next.pausesOnFailure = current.pausesOnFailure
      playback = next
      // Back at the same step: at once when it is near, else a piece a tick (the keyboard stays live).
      status = Status(text: "\(policies.map(\.rawValue).joined(separator: ", ")) at step 0", isError: false)
      if old.position > 0, !atStart { step(by: old.position) }
    } catch {
      status = Status(text: error.fullText, isError: true)
    }
  }

  static func name(of generator: TraceGenerator) -> String {
    "GENERATE seed=\(generator.seed) ops=\(generator.operations)"
  }

  // MARK: Moving through the workload

  /// The playback, taken out of the model so that moving its player does not copy every heap
  /// (the model would still share them): put it back with `playback = ...` when done.
  mutating func takePlayback() -> Playback? {
    defer { playback = nil }
    return playback
  }

  /// Plays, or pauses; at the end, plays from the start.
  mutating func playPause() {
    guard playback?.quiz == nil else {
      status = Status(text: "QUIZ: guess first (Enter on a page, x if it fails)", isError: true)
      return
    }
    guard var current = takePlayback() else { return }
    current.seekTarget = nil
    if !current.playing, current.player.isAtEnd { current.player.seek(to: 0) }
    current.playing.toggle()
    current.highlightedRun = nil
    playback = current
    status = Status(
      text: current.playing ? "playing at \(current.speed) op/s (F7/F8 speed)" : "paused", isError: false)
  }

  /// Moves the player by `operations` (negative: back) and says where it is.
  mutating func step(by operations: Int) {
    guard var current = takePlayback() else { return }
    current.playing = false
    current.highlightedRun = nil
    var target = current.player.position.saturatingAdding(operations)
    if current.quiz != nil, operations < 0 {
      // In the quiz, back goes by questions: to the ALLOC asked about before.
      let trace = current.player.trace.operations
      target = current.player.position
      var questions = 0
      while target > 0, questions < -operations {
        target -= 1
        if case .free = trace[target] { continue }
        questions += 1
      }
    }
    current.seekTarget = nil
    target = max(0, min(current.player.count, target))
    let distance = abs(target - current.player.position).saturatingMultiplied(by: current.player.lanes.count)
    if distance > Playback.seekChunk {
      // A long jump goes a piece a tick, so that the keyboard is read meanwhile (Esc stops it).
      current.seekTarget = target
      playback = current
      status = Status(text: "going to step \(current.seekTarget!) (Esc stops)", isError: false)
      return
    }
    current.player.seek(to: target)
    if operations < 0, var quiz = current.quiz {
      // Questions gone back over are asked again, their answers forgotten.
      quiz.answers.removeAll { $0.step >= target }
      quiz.answer = nil
      current.quiz = quiz
    }
    playback = current
    status = nil
    if current.quiz != nil { prepareQuestion() }
  }

  /// One piece of a long jump.
  mutating func seekTick() {
    guard let target = playback?.seekTarget, var current = takePlayback() else { return }
    let chunk = max(1, Playback.seekChunk / current.player.lanes.count)
    let position = current.player.position
    current.player.seek(to: target > position ? min(target, position + chunk) : max(target, position - chunk))
    let arrived = current.player.position == target
    if arrived { current.seekTarget = nil }
    playback = current
    if arrived {
      status = nil
      if current.quiz != nil { prepareQuestion() }
    } else {
      status = Status(
        text: "going to step \(target): at \(current.player.position) (Esc stops)", isError: false)
    }
  }

  /// Stops playing or going to a step, where it is.
  mutating func stopMoving() {
    guard playback?.playing == true || playback?.seekTarget != nil else { return }
    playback?.playing = false
    playback?.seekTarget = nil
    status = nil
  }

  /// Moves the player to step `target`.
  mutating func seek(to target: Int) {
    guard let current = playback else { return }
    step(by: target - current.player.position)
  }

  /// One play tick: a few operations; pauses at the end, or on a refused ALLOC when asked to.
  mutating func playTick() -> [Effect] {
    guard playback?.playing == true, var current = takePlayback() else { return [] }
    var stopped: Status?
    for _ in 0..<current.operationsPerTick {
      guard current.player.forward() else {
        current.playing = false
        stopped = Status(text: "end of the workload: \(current.player.count) operations", isError: false)
        break
      }
      if !current.isRace, current.pausesOnFailure, case .failure(let error)? = current.lane.last {
        current.playing = false
        current.highlightedRun = Self.longestFreeRun(current.lane.heap)
        stopped = Status(
          text: "paused: operation \(current.player.position) failed: \(error.fullText)", isError: true)
        break
      }
    }
    playback = current
    if let stopped { status = stopped }
    return []
  }

  /// The timeline's text for where the player is: the operation played last and what it did
  /// (on the first heap; a race names the operation only), or the next one after going back.
  func positionText(_ playback: Playback) -> (text: String, isError: Bool) {
    let player = playback.player
    let arrow = options.glyphs.arrow
    guard let operation = player.lastOperation, let last = playback.lane.last else {
      if let next = player.nextOperation {
        return ("next: op \(player.position + 1): \(Self.text(of: next))", false)
      }
      return ("the end", false)
    }
    let done = "op \(player.position): \(Self.text(of: operation))"
    if playback.isRace { return (done, false) }
    switch last {
    case .reply(let reply): return ("\(done) \(arrow) \(reply.text)", false)
    case .failure(let error): return ("\(done) \(arrow) \(error.fullText)", true)
    case .skipped: return ("\(done) \(arrow) skipped: its ALLOC had failed", false)
    }
  }

  /// A trace operation as the timeline writes it.
  static func text(of operation: Trace.Operation) -> String {
    switch operation {
    case .alloc(let id, let bytes): "alloc id \(id), \(bytes) B"
    case .free(let id): "free id \(id)"
    case .realloc(let id, let bytes): "realloc id \(id) to \(bytes) B"
    }
  }

  static func longestFreeRun(_ heap: Heap) -> Range<Int>? {
    guard
      let run = heap.freeRuns.max(by: {
        $0.length < $1.length || ($0.length == $1.length && $0.start > $1.start)
      })
    else { return nil }
    return run.start..<run.start + run.length
  }

  mutating func changePlaySpeed(slower: Bool) {
    guard var current = playback else { return }
    current.speedIndex = max(0, min(Playback.speeds.count - 1, current.speedIndex + (slower ? -1 : 1)))
    playback = current
    status = Status(text: "speed: \(counted(current.speed, "operation")) a second", isError: false)
  }

  // MARK: The quiz

  private mutating func startQuiz() {
    if playback == nil {
      // A small workload that fits a 64-page heap of 16-byte pages: some ALLOCs fail, most land.
      var generator = TraceGenerator(seed: 1, operations: 60)
      generator.maxBytes = 160
      generator.maxLive = 10
      let policy = session.heap?.policy ?? .first
      load(
        (try? generator.generate())!, name: Self.name(of: generator),
        WorkloadCommand.Heap(policy: policy, pageSize: 16, pageCount: 64))
    } else if let current = playback, current.isRace || current.player.isAtEnd {
      // One policy; a workload played to its end has no ALLOC left to ask about: from the start.
      rebuild(policies: [current.lane.policy], keeping: current, atStart: current.player.isAtEnd)
    }
    guard var current = playback else { return }
    current.playing = false
    current.quiz = Quiz()
    playback = current
    if current.seekTarget == nil { prepareQuestion() }
  }

  /// Plays up to the next ALLOC and asks where it lands.
  mutating func prepareQuestion() {
    guard playback?.quiz != nil, var current = takePlayback() else { return }
    while let next = current.player.nextOperation, !Self.allocates(next, current.lane) {
      current.player.forward()
    }
    playback = current
    guard let next = current.player.nextOperation else {
      let quiz = current.quiz!
      status = Status(text: "QUIZ over: \(quiz.right) of \(quiz.asked) right. STOP leaves.", isError: false)
      return
    }
    let verdict = current.quiz!.answer.map { ($0.isRight ? "right! " : "wrong. ") + reveal($0) + "  " } ?? ""
    status = Status(
      text: "\(verdict)Where does \(Self.text(of: next)) land?",
      isError: false)
  }

  /// Whether `operation` makes an ALLOC on `lane` (a realloc of a failed id does).
  static func allocates(_ operation: Trace.Operation, _ lane: TracePlayer.Lane) -> Bool {
    switch operation {
    case .alloc: true
    case .free: false
    case .realloc(let id, _): lane.tag(of: id) == 0
    }
  }

  private func reveal(_ answer: Quiz.Answer) -> String {
    guard let landed = answer.landed else { return "It failed: no free run was long enough." }
    return landed.count == 1
      ? "It landed at page \(landed.lowerBound)."
      : "It landed at pages \(landed.lowerBound)\(options.glyphs.dash)\(landed.upperBound - 1)."
  }

  /// Answers the quiz's question with `guess`: plays the ALLOC and scores it.
  mutating func answer(_ guess: Quiz.Guess) {
    guard let playing = playback, playing.quiz != nil, !playing.player.isAtEnd, var current = takePlayback(),
      var quiz = current.quiz
    else { return }
    let step = current.player.position
    current.player.forward()
    var landed: Range<Int>?
    if case .reply(.allocated(let allocation))? = current.lane.last {
      landed = allocation.firstPage..<allocation.endPage
    }
    let answer = Quiz.Answer(step: step, guess: guess, landed: landed)
    quiz.answers.append(answer)
    quiz.answer = answer
    current.quiz = quiz
    current.highlightedRun = landed == nil ? Self.longestFreeRun(current.lane.heap) : nil
    playback = current
    prepareQuestion()
  }

  /// Moves the quiz cursor by cells.
  mutating func moveQuizCursor(columns: Int, rows: Int) {
    guard var current = playback, var quiz = current.quiz else { return }
    let layout = Layout(model: self)
    let pages = current.player.pageCount
    let cell = quiz.cursor / layout.pagesPerCell + columns + rows * layout.columns
    let cells = (pages - 1) / layout.pagesPerCell + 1
    quiz.cursor = max(0, min(cells - 1, cell)) * layout.pagesPerCell
    current.quiz = quiz
    playback = current
  }
}
