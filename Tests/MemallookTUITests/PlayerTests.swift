import Foundation
import MemallookCore
import Testing

@testable import MemallookTUI

/// The player: loading, playing, stepping, seeking, its messages and keys.
@Suite struct PlayerTests {
  /// A driver with a generated workload loaded (300 operations on 400 pages of 16 bytes).
  static func loaded(width: Int = 120, height: Int = 40, extra: String = "") -> Driver {
    var driver = Driver(width: width, height: height)
    driver.type("GENERATE seed=4 ops=300 max-bytes=400 N=400" + extra)
    return driver
  }

  /// The timeline row (above the message line).
  static func timeline(_ driver: Driver) -> String { driver.lines[driver.model.height - 4] }

  /// The heap a fresh player reaches at `step` of the same workload.
  static func heapAt(_ step: Int, of driver: Driver) throws -> Heap {
    let old = try #require(driver.model.playback?.player)
    var player = try TracePlayer(
      trace: old.trace, name: "check", pageSize: old.pageSize, pageCount: old.pageCount,
      policies: [old.lanes[0].policy])
    player.seek(to: step)
    return player.lanes[0].heap
  }

  @Test func generateLoadsAPausedPlayerAndLeavesYourHeapAlone() throws {
    var driver = Driver()
    driver.type("NEW 16 64")
    driver.type("ALLOC 100")
    driver.type("GENERATE seed=4 ops=300 max-bytes=400 N=400")
    let playback = try #require(driver.model.playback)
    #expect(playback.player.position == 0 && !playback.playing)
    #expect(driver.lines[0].hasPrefix(" memallook  PLAYER GENERATE seed=4 ops=300  p=16 N=400  first fit"))
    #expect(driver.status?.hasPrefix("GENERATE seed=4 ops=300: 300 operations on 400 pages") == true)
    driver.type("ALLOC 10")
    #expect(driver.model.status?.isError == true)
    #expect(driver.status?.hasPrefix("the player shows a workload: STOP (F9) returns to your heap") == true)
    driver.type("STOP")
    #expect(driver.model.playback == nil)
    #expect(driver.session.heap?.liveAllocationCount == 1, "your heap kept its ALLOC, and only it")
    #expect(driver.model.heap?.pageCount == 64)
  }

  @Test func playTicksAdvanceBySpeedAndStopAtTheEnd() throws {
    var driver = Driver(width: 120, height: 40)
    driver.type("GENERATE seed=4 ops=300 max-bytes=400")  // sized for the workload: nothing fails
    driver.press(.function(4))
    let perTick = try #require(driver.model.playback?.operationsPerTick)
    #expect(driver.model.tickInterval == driver.model.playback?.tickMilliseconds)
    driver.send(.tick)
    driver.send(.tick)
    #expect(driver.model.playback?.player.position == 2 * perTick)
    #expect(Self.timeline(driver).contains("op \(2 * perTick): "))
    for _ in 0..<20 { driver.press(.function(8)) }
    while driver.model.playback?.playing == true { driver.send(.tick) }
    #expect(driver.model.playback?.player.isAtEnd == true)
    #expect(driver.status == "end of the workload: 300 operations")
    #expect(driver.model.tickInterval == nil, "nothing moves at the end")
    driver.press(.character(" "))
    #expect(driver.model.playback?.player.position == 0, "play at the end starts again")
  }

  @Test func steppingBackThreeOperationsShowsTheEarlierHeap() throws {
    var driver = Self.loaded()
    driver.type("GOTO 120")
    let at120 = driver.gridRows
    driver.press(.right, .right, .right)
    #expect(driver.model.playback?.player.position == 123)
    driver.press(.left, .left, .left)
    #expect(driver.model.playback?.player.position == 120)
    #expect(driver.gridRows == at120)
    #expect(
      driver.model.heap?.allocationsInAddressOrder()
        == (try Self.heapAt(120, of: driver)).allocationsInAddressOrder())
    driver.press(.control("z"))
    #expect(driver.model.playback?.player.position == 119)
    driver.press(.control("y"), .control("y"))
    #expect(driver.model.playback?.player.position == 121)
    driver.press(.character("]"))
    #expect(driver.model.playback?.player.position == 151)
    driver.press(.home)
    #expect(driver.model.playback?.player.position == 0)
    driver.press(.end)
    #expect(driver.model.playback?.player.isAtEnd == true)
  }

  /// Once the workload is read, a jump forward starts from the checkpoint nearest before
  /// its target, not from the position: End on 200,000 operations is one step.
  @Test func aJumpForwardStartsFromTheNearestCheckpoint() throws {
    var driver = Driver(width: 120, height: 40)
    driver.type("GENERATE seed=4 ops=200000 max-bytes=400 max-live=100")
    while driver.model.playback?.isIndexing == true { driver.send(.tick) }
    driver.press(.end)
    #expect(driver.model.playback?.seekTarget == nil, "no piece by piece")
    #expect(driver.model.playback?.player.position == 200_000)
    let heap = try #require(driver.model.playback?.lane.heap)
    #expect(
      heap.show() == (try Self.heapAt(200_000, of: driver)).show(), "the heap a replay from the start reaches"
    )
  }

  /// A jump longer than a piece goes a piece a tick, reading keys between: Esc stops it there.
  @Test func aLongJumpGoesPieceByPieceAndEscStopsIt() throws {
    var driver = Driver(width: 120, height: 40)
    driver.type("GENERATE seed=4 ops=200000 max-bytes=400 max-live=100")
    driver.type("RACE first best")
    driver.press(.end)
    let target = try #require(driver.model.playback?.seekTarget)
    #expect(target == 200_000 && driver.model.playback?.player.position == 0)
    #expect(driver.model.tickInterval == 1)
    driver.send(.tick)
    let first = try #require(driver.model.playback?.player.position)
    // A piece is shared by the heaps, as many played at once as there are cores.
    #expect(first == Playback.seekChunk * min(2, Playback.cores) / 2)
    #expect(first == driver.model.playback?.seekPiece)
    #expect(driver.status == "going to step 200000: at \(first) (Esc stops)")
    driver.press(.escape)
    #expect(driver.model.playback?.seekTarget == nil && driver.model.playback?.player.position == first)
    let target2 = 40_000  // back from the piece's end: the operation at the target is the next one
    driver.type("GOTO \(target2)")
    while driver.model.playback?.seekTarget != nil { driver.send(.tick) }
    #expect(driver.model.playback?.player.position == target2)
    #expect(Self.timeline(driver).contains("next: op \(target2 + 1): "))
    // A new race starts over and goes back to the step the same way, in pieces when it is
    // farther than one (160,000 operations a lane at most, whatever the cores).
    let target3 = 190_000
    driver.type("GOTO \(target3)")
    while driver.model.playback?.seekTarget != nil { driver.send(.tick) }
    driver.type("RACE first next best worst buddy")
    #expect(driver.model.playback?.seekTarget == target3 && driver.model.playback?.player.position == 0)
    while driver.model.playback?.seekTarget != nil { driver.send(.tick) }
    #expect(driver.model.playback?.player.position == target3)
    #expect(driver.model.playback?.player.lanes.count == 5)
  }

  /// JUMP typed as a command goes where its keys go: the next failure, the one before,
  /// the peak and the worst fragmentation.
  @Test func jumpTypedAsACommandGoesToTheMomentItNames() throws {
    var driver = Driver(width: 120, height: 40)
    driver.type("GENERATE seed=3 ops=3000 max-bytes=4000 N=64")
    while driver.model.playback?.isIndexing == true { driver.send(.tick) }
    let landmarks = try #require(driver.model.playback?.lane.landmarks)
    let failures = try #require(landmarks.failureOps)
    #expect(failures.count >= 2)
    driver.type("JUMP failure")
    #expect(driver.model.playback?.player.position == failures[0])
    driver.type("JUMP failure")
    #expect(driver.model.playback?.player.position == failures[1])
    driver.type("JUMP -failure")
    #expect(driver.model.playback?.player.position == failures[0])
    driver.type("JUMP peak")
    #expect(driver.model.playback?.player.position == landmarks.peakOp)
    driver.type("jump fragmentation")
    #expect(driver.model.playback?.player.position == landmarks.worstFragmentationOp)
    driver.type("JUMP somewhere")
    #expect(
      driver.status?.contains("one of failure, -failure, peak, fragmentation") == true,
      "\(driver.status ?? "")")
  }

  @Test func theWorkloadIsLimitedToTenMillionOperations() {
    var driver = Driver()
    driver.type("GENERATE seed=1 ops=10000001")
    #expect(driver.model.playback == nil)
    #expect(
      driver.status
        == "column 21: ops must be a whole number of operations from 0 to 10000000, not \"10000001\"")
  }

  /// Going back replays nothing: the timeline names the next operation, never a made-up outcome.
  @Test func goingBackTellsTheNextOperationNotAFalseOutcome() {
    var driver = Self.loaded()
    driver.press(.right, .right)
    #expect(Self.timeline(driver).contains("op 2: alloc id 1, "))
    #expect(Self.timeline(driver).contains("→ ok, tag = \"2\""))
    driver.press(.left)
    #expect(Self.timeline(driver).contains("next: op 2: alloc id 1, "))
    #expect(!Self.timeline(driver).contains("skipped"))
  }

  /// A command typed while the workload plays keeps its message: the play writes on the timeline.
  @Test func aTypedErrorStaysWhileTheWorkloadPlays() {
    var driver = Self.loaded()
    driver.press(.function(4))
    driver.type("ALLOC 5")
    driver.send(.tick)
    driver.send(.tick)
    #expect(driver.status?.hasPrefix("the player shows a workload") == true)
    #expect(driver.model.status?.isError == true)
  }

  @Test func messagesDoNotGoStale() {
    var driver = Self.loaded()
    driver.type("RACE bogus")
    #expect(driver.model.status?.isError == true)
    driver.type("RACE next worst")
    #expect(driver.status == "RACE: next, worst at step 0")
    driver.type("GEN", enter: false)
    driver.press(.tab)
    #expect(driver.model.editor.line == "GENERATE ")
    driver.type("", enter: false)
    driver.model.editor = LineEditor(history: [])
    driver.type("Q", enter: false)
    driver.press(.tab)
    #expect(driver.status == "QUIT QUIZ")
    driver.type("UI", enter: false)
    driver.press(.tab)
    #expect(driver.status == nil, "the list of candidates is gone once one is left")
  }

  @Test func progressReads100OnlyAtTheEnd() {
    #expect(Playback.progress(19_999, of: 20_000) == "99.9%")
    #expect(Playback.progress(20_000, of: 20_000) == "100.0%")
    #expect(Playback.progress(0, of: 0) == "100.0%")
  }

  @Test func aNarrowGridSaysItsScaleShortWithNoNumberCut() throws {
    var driver = Driver(width: 64, height: 18)
    driver.type("NEW 1 9223372036854775807")
    let layout = Layout(model: driver.model)
    let scale = driver.lines[layout.grid.y + 1]
    #expect(scale.contains("│\(layout.pagesPerCell) pages/cell"), "\(scale)")
    driver.send(.resize(width: 120, height: 30))
    let wider = driver.lines[Layout(model: driver.model).grid.y + 1]
    #expect(wider.contains("│0–"), "\(wider)")
    #expect(wider.contains("/9223372036854775807, "), "the range comes back when it fits: \(wider)")
  }

  @Test func helpLinesWrapAtSpacesUnderTheirDescription() {
    let line =
      "  GENERATE seed=1 ops=1000 [options]        play a seeded random workload; options: min-bytes=1"
    let wrapped = HelpScreen.wrap(line, room: 90)
    #expect(wrapped.count == 2 && wrapped.allSatisfy { $0.count <= 90 }, "\(wrapped)")
    #expect(wrapped.first?.hasPrefix("  GENERATE seed=1") == true)
    #expect(wrapped.dropFirst().allSatisfy { $0.hasPrefix(String(repeating: " ", count: 44) + "min-bytes") })
    #expect(HelpScreen.wrap(line, room: 60).allSatisfy { $0.count <= 60 })
    #expect(
      wrapped.joined(separator: " ").split(separator: " ") == line.split(separator: " "), "no word lost")
    #expect(HelpScreen.wrap("short", room: 60) == ["short"])
    var driver = Driver(width: 64, height: 18)
    driver.press(.function(1))
    let text = driver.model.helpLines(room: 58).map(\.text)
    #expect(text.allSatisfy { $0.count <= 58 }, "the help fits a 64-column terminal")
  }

  @Test func theFunctionKeyBarAlwaysShowsTheWayOut() {
    var driver = Self.loaded(width: 64, height: 18)
    #expect(driver.lines.last?.hasSuffix("F10 Quit") == true, "\(driver.lines.last ?? "")")
    driver.press(.function(1))
    #expect(driver.lines.last?.contains("Esc Close") == true)
  }

  @Test func errorsNameOptionsAsTypedAndListTheScreensCommands() {
    var driver = Driver()
    driver.type("GENERATE seed=1 ops=5 N=0")
    #expect(driver.status == "column 25: N must be a positive whole number of pages, not \"0\"")
    driver.type("REPLY w.rep")
    #expect(
      driver.status?.hasPrefix("column 1: unknown command \"REPLY\": expected one of NEW, ALLOC,") == true)
    #expect(driver.status?.hasSuffix(", QUIT, REPLAY, GENERATE, RACE, QUIZ, JUMP, STOP") == true)
  }

  @Test func aNarrowRaceEndsWithTheMainColumnsWhole() throws {
    var driver = Self.loaded(width: 100, height: 30)
    driver.type("RACE")
    driver.press(.end)
    let text = driver.lines.joined(separator: "\n")
    #expect(text.contains("Results (memallook compare has more)"))
    for line in Playback.shortTable(try #require(driver.model.playback).player.summaries) {
      #expect(text.contains(line), "\(line)")
    }
  }

  @Test func playerKeysDoNotTakeLettersTypedIntoACommand() {
    var driver = Self.loaded()
    driver.type("GOTO 5 ", enter: false)
    driver.press(.left, .character("]"), .character(" "))
    #expect(driver.model.editor.line == "GOTO 5]  ", "typed, not played")
    #expect(driver.model.playback?.player.position == 0)
  }

  @Test func aFailedAllocPausesExplainsAndHighlightsTheLongestFreeRun() throws {
    // 40 pages for a workload that needs far more: an ALLOC fails early.
    var driver = Driver(width: 120, height: 40)
    driver.type("GENERATE seed=4 ops=300 max-bytes=400 N=40")
    driver.press(.function(4))
    while driver.model.playback?.playing == true { driver.send(.tick) }
    let playback = try #require(driver.model.playback)
    #expect(!playback.player.isAtEnd)
    #expect(
      driver.status?.hasPrefix("paused: operation \(playback.player.position) failed: allocation failed")
        == true)
    #expect(driver.model.status?.isError == true)
    let run = try #require(playback.highlightedRun)
    #expect(run.count == playback.lane.heap.metrics.longestFreeRun)
    #expect(driver.frame.cells.contains { $0.style == .highlight })
    driver.press(.control("f"))
    driver.press(.function(4))
    while driver.model.playback?.playing == true { driver.send(.tick) }
    #expect(driver.model.playback?.player.isAtEnd == true, "no pause when turned off")
  }

  @Test func replayReadsATraceFileAndReportsABadOne() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "memallook-player-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = directory.appendingPathComponent("good.rep")
    try "0\n2\n3\n1\na 0 20\na 1 40\nf 0\n".write(to: good, atomically: true, encoding: .utf8)
    let bad = directory.appendingPathComponent("bad.rep")
    try "0\n2\n3\n1\na 0 20\nf 1\n".write(to: bad, atomically: true, encoding: .utf8)
    var driver = Driver()
    driver.type("REPLAY \(directory.path)/missing.rep")
    #expect(driver.model.playback == nil)
    #expect(driver.status?.hasPrefix("REPLAY: cannot read \(directory.path)/missing.rep") == true)
    driver.type("REPLAY \(bad.path) strict")
    #expect(driver.model.playback == nil)
    #expect(
      driver.status?.contains("bad.rep:6: free of id 1, which was never allocated") == true,
      "\(driver.status ?? "")")
    // As it is, the same file is a real capture's: the free is skipped (and the short count let be).
    driver.type("REPLAY \(bad.path)")
    #expect(driver.model.playback?.player.count == 2)
    driver.type("STOP")
    // A FIFO with no writer would block the screen at open: refused, as a directory or a device is.
    let fifo = directory.appendingPathComponent("fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    for path in [fifo, directory.path, "/dev/zero"] {
      driver.type("REPLAY \(path)")
      #expect(driver.status == "REPLAY: \(path) is not a regular file (write the trace to a file first)")
      #expect(driver.model.playback == nil)
    }
    driver.type("REPLAY \(good.path) policy=best p=8 N=20")
    let player = try #require(driver.model.playback?.player)
    #expect(player.count == 3 && player.pageCount == 20 && player.pageSize == 8)
    #expect(player.lanes.map(\.policy) == [.best])
  }

  @Test(arguments: [
    "GENERATE ops=10", "GENERATE seed=1 ops=-1", "GENERATE seed=1 ops=10 sizes=huge",
    "GENERATE seed=1 ops=5 bogus=1",
    "REPLAY", "REPLAY a b", "RACE fastest", "RACE first first", "QUIZ now",
    "GENERATE seed=1 ops=5 policy=lucky",
    "GENERATE seed=1 ops=5 N=0", "RACE by=speed",
  ])
  func malformedScreenCommandsSayWhyAndChangeNothing(line: String) {
    var driver = Driver()
    driver.type(line)
    #expect(driver.model.status?.isError == true, "\(line): \(driver.status ?? "")")
    #expect(driver.model.playback == nil)
  }

  @Test func yourOwnHistoryHasATimelineAndCtrlZY() {
    var driver = Driver(width: 120, height: 30)
    driver.type("NEW 16 64")
    for _ in 0..<3 { driver.type("ALLOC 16") }
    #expect(driver.lines.contains { $0.hasPrefix(" history 3/3 ") })
    driver.press(.control("z"), .control("z"))
    #expect(driver.session.history.step == 1)
    #expect(driver.lines.contains { $0.hasPrefix(" history 1/3 ") })
    driver.press(.control("y"))
    #expect(driver.session.heap?.liveAllocationCount == 2)
    driver.type("ALLOC 32")
    #expect(driver.session.history.lastStep == 3, "a new command drops the undone step")
  }

  /// With ASCII glyphs, every screen of the player, the race and the quiz is ASCII.
  @Test func asciiGlyphsAllTheWay() {
    var driver = Driver(width: 120, height: 40, glyphs: .ascii)
    driver.type("GENERATE seed=4 ops=300 max-bytes=400 N=60")
    var screens: [String] = []
    driver.press(.right, .right)
    screens += driver.lines
    driver.press(.function(4))
    while driver.model.playback?.playing == true { driver.send(.tick) }  // pauses on a failed ALLOC
    screens += driver.lines
    driver.type("RACE")
    driver.press(.end)
    screens += driver.lines
    driver.type("QUIZ")
    driver.press(.enter)
    screens += driver.lines
    for line in screens {
      let ascii = line.allSatisfy { $0.isASCII }
      #expect(ascii, "\(line)")
    }
  }

  @Test func tuiStartsOnATraceFromTheCommandLine() {
    var driver = Driver()
    driver.send(.workload(.generate(TraceGenerator(seed: 2, operations: 50), WorkloadCommand.Heap())))
    driver.send(.workload(.race(Policy.allCases, nil)))
    #expect(driver.model.playback?.player.lanes.count == Policy.allCases.count)
  }
}
