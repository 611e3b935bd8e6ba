import MemallookCore

/// QUIZ: before each ALLOC, the player waits for a guess of where it lands.
extension Playback {
  /// The workload the quiz plays when none is loaded: it fits a 64-page heap of 16-byte
  /// pages, so that some ALLOCs fail and most land.
  static func quizWorkload(policy: Policy, glyphs: GlyphSet) -> (Playback?, Effect) {
    var generator = TraceGenerator(seed: 1, operations: 60)
    generator.maxBytes = 160
    generator.maxLive = 10
    return load(
      (try? generator.generate())!, name: Playback.name(of: generator),
      WorkloadCommand.Heap(policy: policy, pageSize: 16, pageCount: 64), glyphs: glyphs)
  }

  /// Starts the quiz: one policy; a workload played to its end starts again.
  mutating func startQuiz() -> [Effect] {
    var effects: [Effect] = []
    if isRace || player.isAtEnd {
      // One policy; a workload played to its end has no ALLOC left to ask about: from the start.
      effects = rebuild(policies: [lane.policy], atStart: player.isAtEnd)
    }
    playing = false
    quiz = Quiz()
    return seekTarget == nil ? effects + prepareQuestion() : effects
  }

  /// Plays up to the next ALLOC and asks where it lands.
  mutating func prepareQuestion() -> [Effect] {
    guard let current = quiz else { return [] }
    while let next = player.nextOperation, !Self.allocates(next, lane) { player.forward() }
    guard let next = player.nextOperation else {
      return [.say("QUIZ over: \(current.right) of \(current.asked) right. STOP leaves.")]
    }
    let verdict = current.answer.map { ($0.isRight ? "right! " : "wrong. ") + reveal($0) + "  " } ?? ""
    return [.say("\(verdict)Where does \(Playback.text(of: next)) land?")]
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
      : "It landed at pages \(landed.lowerBound)\(glyphs.dash)\(landed.upperBound - 1)."
  }

  /// Answers the question with `guess`: plays the ALLOC and scores it.
  mutating func answer(_ guess: Quiz.Guess) -> [Effect] {
    guard var current = quiz, !player.isAtEnd else { return [] }
    let step = player.position
    player.forward()
    var landed: Range<Int>?
    if case .allocated(let allocation)? = lane.last {
      landed = allocation.firstPage..<allocation.endPage
    }
    let answer = Quiz.Answer(step: step, guess: guess, landed: landed)
    current.answers.append(answer)
    current.answer = answer
    quiz = current
    highlightedRun = landed == nil ? Self.longestFreeRun(lane.heap) : nil
    return prepareQuestion()
  }

  /// Moves the quiz cursor by cells and rows of the grid as `layout` lays it out.
  mutating func moveQuizCursor(columns: Int, rows: Int, _ layout: Layout) {
    guard let cursor = quiz?.cursor else { return }
    let cell = cursor / layout.pagesPerCell + columns + rows * layout.columns
    let cells = (player.pageCount - 1) / layout.pagesPerCell + 1
    quiz!.cursor = max(0, min(cells - 1, cell)) * layout.pagesPerCell
  }
}
