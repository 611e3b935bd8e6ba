import MemallookCore
import Testing

@testable import MemallookTUI

/// Each mode tested as bubbletea tests a model: call its update, check the effects it returns.
@Suite struct ModeUpdateTests {
  /// A session with a fragmented heap: tags 1 and 3 live, a hole where 2 was.
  static func fragmented() throws -> Session {
    var session = Session(seed: 1)
    for command: Command in [
      .new(pageSize: 16, pageCount: 64), .alloc(bytes: 64), .alloc(bytes: 64), .alloc(bytes: 64),
      .dealloc(tag: "2"),
    ] {
      _ = try session.apply(command)
    }
    return session
  }

  @Test func typingALineAndEnterAsksTheLoopToRunItAndRememberIt() {
    var model = Model(session: Session(seed: 1), width: 100, height: 30)
    for character in "ALLOC 16" { #expect(model.update(.key(.character(character))).isEmpty) }
    #expect(
      model.update(.key(.enter)) == [.saveHistory("ALLOC 16"), .execute(.alloc(bytes: 16), line: "ALLOC 16")])
    #expect(model.editor.isEmpty)
  }

  @Test func aLineThatDoesNotParseSaysWhereAndRunsNothing() {
    var model = Model(session: Session(seed: 1), width: 100, height: 30)
    for character in "ALLOC x" { _ = model.update(.key(.character(character))) }
    #expect(model.update(.key(.enter)) == [.saveHistory("ALLOC x")])
    #expect(
      model.status
        == Model.Status(
          text: "column 7: M must be a positive whole number of bytes, not \"x\"", isError: true))
  }

  @Test func replayAsksTheLoopToReadTheFile() {
    var model = Model(session: Session(seed: 1), width: 100, height: 30)
    #expect(model.update(.workload(.replay(path: "w.rep", .init()))) == [.readTrace(path: "w.rep", .init())])
    #expect(model.status?.text == "reading w.rep")
  }

  @Test func defragOnYourHeapIsPlayedAsOneDefragCommandPerStep() throws {
    var screen = HeapScreen(session: try Self.fragmented())
    #expect(
      screen.run(.defrag(), line: "DEFRAG") == [
        .say("defragmenting: 1 move (Esc skips, F7/F8 speed; typing goes on)")
      ])
    #expect(screen.tick().isEmpty, "the first tick lifts the allocation that moves")
    #expect(screen.animation?.movingTag == 3)
    #expect(screen.tick() == [.execute(.defrag(moves: 1), line: "DEFRAG 1")])
    #expect(screen.skipAnimation() == [.execute(.defrag(), line: "DEFRAG")])
    #expect(screen.animation == nil)
  }

  @Test func aFailedCommandIsSaidAsAnError() throws {
    var screen = HeapScreen(session: try Self.fragmented())
    let error = CommandError.unknownTag("9")
    #expect(screen.executed("DEALLOC 9", .failure(error), nil) == [.say(error.fullText, isError: true)])
  }

  @Test func theNextPolicyKeyAsksForTheNextPolicy() throws {
    var screen = HeapScreen(session: try Self.fragmented())
    #expect(screen.perform(.nextPolicy) == [.execute(.policy(.next), line: "POLICY next")])
  }

  static func player(operations: Int = 300) throws -> Playback {
    var generator = TraceGenerator(seed: 4, operations: operations)
    generator.maxBytes = 400
    let (loaded, said) = Playback.load(
      try generator.generate(), name: "w", .init(pageCount: 400), glyphs: .ascii)
    #expect(said == .say("w: \(operations) operations on 400 pages; F4 plays, Right/Left step, STOP leaves"))
    return try #require(loaded)
  }

  @Test func thePlayerStepsAndClearsTheMessageLine() throws {
    var player = try Self.player()
    #expect(player.step(by: 1) == [.status(nil)])
    #expect(player.player.position == 1)
    #expect(player.seek(to: 0) == [.status(nil)])
    #expect(player.player.position == 0)
  }

  @Test func aLongJumpGoesAPieceATickSoKeysAreReadMeanwhile() throws {
    let piece = Playback.seekChunk
    var player = try Self.player(operations: 2 * piece)
    let target = piece + piece / 2  // farther than a piece from step 0, the only checkpoint yet
    #expect(player.seek(to: target) == [.say("going to step \(target) (Esc stops)")])
    #expect(player.player.position == 0)
    #expect(player.tick() == [.say("going to step \(target): at \(piece) (Esc stops)")])
    #expect(player.stopMoving() == [.status(nil)])
    #expect(player.seekTarget == nil && player.player.position == piece)
  }

  @Test func theQuizAsksWhereTheNextAllocLandsAndRefusesToPlay() throws {
    var player = try Self.player()
    let asked = player.startQuiz()
    #expect(asked == [.say("Where does alloc id 0, 357 B land?")])
    #expect(player.playPause() == [.say("QUIZ: guess first (Enter on a page, x if it fails)", isError: true)])
    #expect(
      player.answer(.page(0)) == [.say("right! It landed at pages 0-22.  Where does alloc id 1, 158 B land?")]
    )
  }

  @Test func theRaceKeyCyclesTheMetricAndSaysSo() throws {
    var player = try Self.player()
    _ = player.race([.first, .best], nil)
    let layout = Layout(model: Model(session: Session(seed: 1), width: 100, height: 30))
    #expect(player.perform(.nextMetric, layout) == [.say("race: the star marks the best on runs")])
    #expect(player.metric == .runs)
  }

  @Test func theHelpScrollsNoFurtherThanItsLastScreenful() {
    var help = HelpScreen()
    help.scroll(by: 1000, width: 100, height: 30)
    #expect(help.top == HelpScreen.scrollLimit(width: 100, height: 30))
    help.scroll(by: -2000, width: 100, height: 30)
    #expect(help.top == 0)
  }
}
