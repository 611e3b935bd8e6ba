import MemallookCore

/// The player's update: loading, playing, stepping, racing.
extension Playback {
  /// A player at step 0 of `trace` on the heap `heap` describes, or why there is none.
  static func load(_ trace: Trace, name: String, _ heap: WorkloadCommand.Heap, glyphs: GlyphSet) -> (
    Playback?, Effect
  ) {
    guard trace.operations.count <= maximumOperations else {
      return (
        nil,
        .say(
          "\(name): \(trace.operations.count) operations; the player takes at most "
            + "\(maximumOperations) (memallook compare replays longer workloads)", isError: true)
      )
    }
    do {
      let player = try TracePlayer(
        trace: trace, name: name, pageSize: heap.pageSize, pageCount: heap.pageCount, policies: [heap.policy])
      let keys =
        "\(KeyTable.firstKey(for: .playPause)) plays, \(KeyTable.firstKey(for: .stepForward))/"
        + "\(KeyTable.firstKey(for: .stepBack)) step, STOP leaves"
      return (
        Playback(player: player, glyphs: glyphs),
        .say(
          "\(name): \(counted(trace.operations.count, "operation")) on \(counted(player.pageCount, "page")); \(keys)"
        )
      )
    } catch {
      return (nil, .say("\(name): \(error.fullText)", isError: true))
    }
  }

  /// The same workload at the same step on other policies (at step 0 with `atStart`).
  mutating func rebuild(policies: [Policy], atStart: Bool = false) -> [Effect] {
    let old = player
    do {
      let player = try TracePlayer(
        trace: old.trace, name: old.name, pageSize: old.pageSize, pageCount: old.pageCount, policies: policies
      )
      var next = Playback(player: player, glyphs: glyphs)
      next.pendingJump = pendingJump
      next.speedIndex = speedIndex
      next.metric = metric
      next.pausesOnFailure = pausesOnFailure
      next.grid = grid
      self = next
      // Back at the same step: at once when it is near, else a piece a tick (the keyboard stays live).
      let effects: [Effect] = [.say("\(policies.map(\.rawValue).joined(separator: ", ")) at step 0")]
      return old.position > 0 && !atStart ? effects + step(by: old.position) : effects
    } catch {
      return [.say(error.fullText, isError: true)]
    }
  }

  /// RACE: the workload on `policies`, at the same step.
  mutating func race(_ policies: [Policy], _ newMetric: RaceMetric?) -> [Effect] {
    var effects = rebuild(policies: policies)
    if let newMetric { metric = newMetric }
    if seekTarget == nil {
      let names = player.lanes.map(\.policy.rawValue).joined(separator: ", ")
      effects.append(.say("RACE: \(names) at step \(player.position)"))
    }
    return effects
  }

  /// Plays, or pauses; at the end, plays from the start.
  mutating func playPause() -> [Effect] {
    guard quiz == nil else {
      return [.say("QUIZ: guess first (Enter on a page, x if it fails)", isError: true)]
    }
    seekTarget = nil
    if !playing, player.isAtEnd { player.seek(to: 0) }
    playing.toggle()
    highlightedRun = nil
    return [.say(playing ? "playing at \(speed) op/s (F7/F8 speed)" : "paused")]
  }

  /// Moves the player by `operations` (negative: back): at once when near, else a piece a tick.
  mutating func step(by operations: Int) -> [Effect] {
    playing = false
    highlightedRun = nil
    var target = player.position.saturatingAdding(operations)
    if quiz != nil, operations < 0 {
      // In the quiz, back goes by questions: to the ALLOC asked about before.
      let trace = player.trace.operations
      target = player.position
      var questions = 0
      while target > 0, questions < -operations {
        target -= 1
        if case .free = trace[target] { continue }
        questions += 1
      }
    }
    seekTarget = nil
    target = max(0, min(player.count, target))
    if target - player.seekStart(for: target) > seekPiece {
      // A long jump goes a piece a tick, so that the keyboard is read meanwhile (Esc stops it).
      seekTarget = target
      return [.say("going to step \(target) (Esc stops)")]
    }
    player.seek(to: target)
    if operations < 0, quiz != nil {
      // Questions gone back over are asked again, their answers forgotten.
      quiz!.answers.removeAll { $0.step >= target }
      quiz!.answer = nil
    }
    return [.status(nil)] + (quiz != nil ? prepareQuestion() : [])
  }

  /// Moves the player to step `target`.
  mutating func seek(to target: Int) -> [Effect] {
    step(by: target - player.position)
  }

  /// Time passed: a piece of a long jump, a few operations of the play, and a piece of indexing.
  mutating func tick() -> [Effect] {
    var effects = seekTarget != nil ? seekTick() : playTick()
    if isIndexing {
      player.index(operations: Self.indexChunk)
      if let target = pendingJump { effects += jump(to: target) }
    }
    return effects
  }

  /// JUMP: to the next (or the previous) failure, the peak of pages in use, or the worst
  /// external fragmentation (in a race: a failure on any lane; the peak and the worst
  /// fragmentation of the first). Waits, a piece of indexing a tick, until it is known.
  mutating func jump(to target: JumpTarget) -> [Effect] {
    pendingJump = nil
    playing = false
    let lanes = player.lanes
    let failures = lanes.compactMap(\.landmarks.failureOps)
    let destination: Int?
    var what: String
    switch target {
    case .failure:
      destination = failures.compactMap { $0.first { $0 > player.position } }.min()
      what = "the next failure"
      if destination == nil, player.isIndexed {
        return [.say("no failure after operation \(player.position)")]
      }
    case .previousFailure:
      destination = failures.compactMap { $0.last { $0 < player.position } }.max()
      what = "the failure before"
      if destination == nil { return [.say("no failure before operation \(player.position)")] }
    case .peak:
      destination = player.isIndexed ? lanes[0].landmarks.peakOp : nil
      what = "the peak of pages in use" + (isRace ? " (\(lanes[0].policy.title))" : "")
    case .fragmentation:
      destination = player.isIndexed ? lanes[0].landmarks.worstFragmentationOp : nil
      what = "the worst external fragmentation" + (isRace ? " (\(lanes[0].policy.title))" : "")
    }
    guard let destination else {
      pendingJump = target
      return [
        .say("looking for \(what): \(Self.progress(player.indexed, of: player.count)) of the workload read")
      ]
    }
    return step(by: destination - player.position) + [.say("\(what): operation \(destination)")]
  }

  /// One piece of a long jump.
  private mutating func seekTick() -> [Effect] {
    guard let target = seekTarget else { return [] }
    guard player.seek(toward: target, piece: seekPiece) else {
      return [.say("going to step \(target): at \(player.position) (Esc stops)")]
    }
    seekTarget = nil
    return [.status(nil)] + (quiz != nil ? prepareQuestion() : [])
  }

  /// One play tick: a few operations; pauses at the end, or on a refused ALLOC when asked to.
  private mutating func playTick() -> [Effect] {
    guard playing else { return [] }
    for _ in 0..<operationsPerTick {
      guard player.forward() else {
        playing = false
        return [.say("end of the workload: \(player.count) operations")]
      }
      if !isRace, pausesOnFailure, case .failed(let error)? = lane.last {
        playing = false
        highlightedRun = Self.longestFreeRun(lane.heap)
        return [.say("paused: operation \(player.position) failed: \(error.fullText)", isError: true)]
      }
    }
    return []
  }

  /// Stops playing or going to a step, where it is.
  mutating func stopMoving() -> [Effect] {
    guard playing || seekTarget != nil else { return [] }
    playing = false
    seekTarget = nil
    return [.status(nil)]
  }

  mutating func changeSpeed(slower: Bool) -> [Effect] {
    speedIndex = max(0, min(Self.speeds.count - 1, speedIndex + (slower ? -1 : 1)))
    return [.say("speed: \(counted(speed, "operation")) a second")]
  }

  /// Does a key's action that belongs to the player; `layout` places the quiz's cursor.
  mutating func perform(_ action: KeyAction, _ layout: Layout) -> [Effect] {
    switch action {
    case .nextPolicy:
      let all = Policy.allCases
      return race([all[(all.firstIndex(of: lane.policy)! + 1) % all.count]], nil)
    case .slower, .faster: return changeSpeed(slower: action == .slower)
    case .playPause: return playPause()
    case .stopMoving: return stopMoving()
    case .stepForward: return step(by: 1)
    case .stepBack: return step(by: -1)
    case .jump(let percent): return step(by: max(1, player.count * abs(percent) / 100) * percent.signum())
    case .toStart: return seek(to: 0)
    case .toEnd: return seek(to: Int.max)
    case .nextMetric:
      metric = metric.next
      return [.say("race: the star marks the best on \(metric.rawValue)")]
    case .togglePauseOnFailure:
      pausesOnFailure.toggle()
      return [.say(pausesOnFailure ? "a failed ALLOC pauses the play" : "a failed ALLOC does not pause")]
    case .moveCursor(let columns, let rows):
      moveQuizCursor(columns: columns, rows: rows, layout)
      return []
    case .jumpTo(let target): return jump(to: target)
    case .guessCursor: return answer(.page(quiz?.cursor ?? 0))
    case .guessFails: return answer(.fails)
    default: return []
    }
  }

  /// The longest free run, lowest first on a tie: what a refused ALLOC could not use.
  static func longestFreeRun(_ heap: Heap) -> Range<Int>? {
    guard
      let run = heap.freeRuns.max(by: {
        $0.length < $1.length || ($0.length == $1.length && $0.start > $1.start)
      })
    else { return nil }
    return run.start..<run.start + run.length
  }
}

extension Playback {
  /// What a generated workload is called: its seed and length.
  static func name(of generator: TraceGenerator) -> String {
    "GENERATE seed=\(generator.seed) ops=\(generator.operations)"
  }
}
