import MemallookCore
import Testing

@testable import MemallookTUI

@Suite struct UpdateTests {
  @Test(arguments: [Key.function(10), .control("c")])
  func quitKeys(key: Key) {
    var driver = Driver()
    driver.press(key)
    #expect(driver.quit)
  }

  @Test func quitAsACommandQuits() {
    var driver = Driver()
    driver.type("quit")
    #expect(driver.quit)
  }

  @Test func typingQAsTheFirstLetterOfACommandDoesNotQuit() {
    var driver = Driver()
    driver.type("q", enter: false)
    #expect(!driver.quit)
    #expect(driver.model.editor.line == "q")
  }

  @Test func questionMarkOpensHelpOnlyOnAnEmptyLine() {
    var driver = Driver()
    driver.type("ALLOC", enter: false)
    driver.press(.character("?"))
    #expect(!driver.model.showingHelp)
    #expect(driver.model.editor.line == "ALLOC?")
    driver.press(.control("u"), .character("?"))
    #expect(driver.model.showingHelp)
  }

  @Test func aLineThatDoesNotParseSaysWhereAndWhy() {
    var driver = Driver()
    driver.type("ALLOC lots")
    #expect(driver.status == "column 7: M must be a positive whole number of bytes, not \"lots\"")
    #expect(driver.model.status?.isError == true)
    #expect(driver.savedHistory.all == ["ALLOC lots"], "a mistyped line is still in the history to fix")
  }

  /// A 10 MB paste cannot make the line (and each frame drawing it) grow without bound.
  @Test func theCommandLineKeepsAtMostItsLengthAndSaysSo() {
    var driver = Driver()
    let limit = LineEditor.maximumLength
    driver.type(String(repeating: "x", count: limit + 500), enter: false)
    #expect(driver.model.editor.text.count == limit)
    #expect(driver.status == "the command line holds at most \(limit) characters")
    driver.press(.backspace)
    driver.type("y", enter: false)
    #expect(driver.model.editor.text.count == limit && driver.model.editor.text.last == "y")
  }

  @Test func anOperationBeforeNewIsAnError() {
    var driver = Driver()
    driver.type("ALLOC 16")
    #expect(driver.status == "no heap: run NEW p N first")
    #expect(driver.model.status?.isError == true)
  }

  @Test func lineEditingKeys() {
    var driver = Driver()
    driver.type("ALLOC 16 32", enter: false)
    driver.press(.control("w"))
    #expect(driver.model.editor.line == "ALLOC 16 ")
    driver.press(.home, .delete, .character("a"))
    #expect(driver.model.editor.line == "aLLOC 16 ")
    driver.press(.end, .backspace, .left, .control("k"))
    #expect(driver.model.editor.line == "aLLOC 1")
    driver.press(.left, .control("u"))
    #expect(driver.model.editor.line == "1")
    #expect(driver.model.editor.cursor == 0)
    driver.press(.control("e"), .character("6"), .control("a"), .right, .character("!"))
    #expect(driver.model.editor.line == "1!6")
  }

  @Test func historyBrowsesBackAndKeepsTheDraft() {
    var driver = Driver()
    driver.type("NEW 16 64")
    driver.type("ALLOC 16")
    driver.type("DEF", enter: false)
    driver.press(.up)
    #expect(driver.model.editor.line == "ALLOC 16")
    driver.press(.up, .up)
    #expect(driver.model.editor.line == "NEW 16 64")
    driver.press(.down, .down)
    #expect(driver.model.editor.line == "DEF")
  }

  @Test func tabCompletesKeywordsTagsAndPolicies() {
    var driver = Driver()
    driver.type("NEW 16 64")
    driver.type("ALLOC 1")
    driver.type("ALLOC 1")
    driver.type("dea", enter: false)
    driver.press(.tab)
    #expect(driver.model.editor.line == "DEALLOC ")
    driver.type("", enter: false)
    driver.press(.tab)
    #expect(driver.model.editor.line == "DEALLOC ", "two tags: nothing common to add")
    driver.type("2", enter: false)
    driver.press(.tab)
    #expect(driver.model.editor.line == "DEALLOC 2 ")
    driver.press(.control("u"))
    driver.type("POLICY be", enter: false)
    driver.press(.tab)
    #expect(driver.model.editor.line == "POLICY best ")
  }

  /// Tab with several candidates completes what they share and lists them on the message line.
  @Test(arguments: [
    (typed: "DE", line: "DE", listed: "DEALLOC DEFRAG"),
    (typed: "DEALLOC ", line: "DEALLOC 1", listed: "1 12 13"),
    (typed: "DEALLOC 1", line: "DEALLOC 1", listed: "1 12 13"),
    (typed: "FREE 1", line: "FREE 1", listed: "1 12 13"),
    (typed: "POLICY ", line: "POLICY ", listed: Policy.allCases.map(\.rawValue).joined(separator: " ")),
  ])
  func tabWithSeveralCandidatesListsThem(typed: String, line: String, listed: String) {
    var driver = Driver()
    driver.type("NEW 16 64")
    for _ in 1...13 { driver.type("ALLOC 16") }
    for tag in 2...11 { driver.type("DEALLOC \(tag)") }
    driver.type(typed, enter: false)
    driver.press(.tab)
    #expect(driver.model.editor.line == line)
    #expect(driver.status == listed)
    #expect(driver.model.status?.isError == false)
  }

  @Test func tabExtendsToTheCommonPrefixOfSeveralTags() {
    var driver = Driver()
    driver.type("NEW 16 64")
    for _ in 1...13 { driver.type("ALLOC 16") }
    for tag in 1...11 { driver.type("DEALLOC \(tag)") }
    driver.type("DEALLOC ", enter: false)
    driver.press(.tab)
    #expect(driver.model.editor.line == "DEALLOC 1")
    #expect(driver.status == "12 13")
  }

  @Test func functionKeysDefragAndCyclePolicy() {
    var driver = Driver()
    driver.type("NEW 16 64")
    driver.press(.function(3))
    #expect(driver.model.heap?.policy == .next)
    #expect(driver.status == "ok, policy = next fit")
  }

  /// DEFRAG plays one move at a time, each a `DEFRAG 1` on the real heap: every frame is a real heap state.
  @Test func defragAnimatesEachMoveOnTheRealHeap() throws {
    var driver = Driver()
    for line in ["NEW 16 64", "ALLOC 16", "ALLOC 32", "ALLOC 16", "DEALLOC 1"] { driver.type(line) }
    #expect(driver.gridRows.first == ".223............")
    driver.type("DEFRAG")
    let animation = try #require(driver.model.animation)
    #expect(animation.planned == 2)
    #expect(driver.model.tickInterval == driver.model.stepMilliseconds)

    var frames: [(String, [Int])] = []
    func record(_ driver: Driver) {
      let movingColumns = driver.gridStyles(row: 0).enumerated().filter { $0.element == .moving }.map(
        \.offset)
      frames.append((driver.gridRows.first ?? "", movingColumns))
    }
    record(driver)
    while driver.model.animation != nil {
      driver.send(.tick)
      try driver.model.heap?.checkInvariants()
      record(driver)
    }
    #expect(
      frames.map(\.0) == [
        ".223............", ".223............", "22.3............", "22.3............", "223.............",
      ])
    #expect(frames.map(\.1) == [[], [1, 2], [], [3], []], "each allocation is lifted, then moved")
    #expect(driver.status == "defragmentation complete (2 allocations moved)")
    #expect(driver.model.tickInterval == nil)
  }

  @Test func escapeSkipsTheAnimationToTheEnd() {
    var driver = Driver()
    for line in ["NEW 16 64", "ALLOC 16", "ALLOC 32", "ALLOC 16", "DEALLOC 1", "DEFRAG"] { driver.type(line) }
    driver.send(.tick)
    driver.press(.escape)
    #expect(driver.model.animation == nil)
    #expect(driver.gridRows.first == "223.............")
    #expect(driver.status?.hasPrefix("defragmentation complete") == true)
  }

  @Test func theAnimationGoesOnFromTheHeapAsAnotherFrontLeftIt() throws {
    var driver = Driver()
    for line in ["NEW 16 64", "ALLOC 16", "ALLOC 32", "DEALLOC 1", "DEFRAG"] { driver.type(line) }
    // Elsewhere (HTTP), page 0 gets taken before the move happens: nothing is left to move.
    _ = try driver.shared.apply(.alloc(bytes: 16), source: .http)
    driver.send(try #require(driver.runner.changesFromElsewhere()))
    #expect(driver.status == "HTTP: ALLOC 16 → ok, tag = \"3\" (1 page from page 0)")
    while driver.model.animation != nil { driver.send(.tick) }
    #expect(driver.gridRows.first == "322.............")
    #expect(driver.status == "defragmentation complete (nothing to move)")
  }

  @Test func lettersTypedDuringTheAnimationGoToTheCommandLine() {
    var driver = Driver()
    for line in ["NEW 16 64", "ALLOC 16", "ALLOC 32", "DEALLOC 1", "DEFRAG"] { driver.type(line) }
    #expect(driver.status?.hasSuffix("typing goes on)") == true, "the message line says so")
    driver.type("ALLOC 16", enter: false)
    #expect(driver.model.editor.line == "ALLOC 16")
    #expect(driver.model.animation != nil)
  }

  @Test func aLongDefragMakesSeveralMovesAStepAndEndsInAboutEightSeconds() {
    var driver = Driver()
    driver.type("NEW 1 10000")
    for _ in 0..<2_000 { driver.type("ALLOC 2") }
    for tag in stride(from: 1, through: 2_000, by: 2) { driver.type("DEALLOC \(tag)") }
    driver.type("DEFRAG")
    var ticks = 0
    while driver.model.animation != nil {
      driver.send(.tick)
      ticks += 1
    }
    #expect(driver.status == "defragmentation complete (1000 allocations moved)")
    #expect(
      ticks * driver.model.stepMilliseconds <= 8_500, "\(ticks) ticks of \(driver.model.stepMilliseconds) ms")
  }

  @Test func animationSpeedKeys() {
    var driver = Driver()
    let initial = driver.model.stepMilliseconds
    driver.press(.function(8))
    #expect(driver.model.stepMilliseconds < initial)
    driver.press(.function(7), .function(7))
    #expect(driver.model.stepMilliseconds > initial)
  }

  @Test func theDemoTypesItsScriptAndAnyKeyStopsIt() {
    var driver = Driver()
    driver.model.demo = Demo(steps: [.type("NEW 16 64"), .pause(2), .type("ALLOC 100")])
    for _ in 0..<"NEW 16 64".count { driver.send(.tick) }
    #expect(driver.model.editor.line == "NEW 16 64")
    driver.send(.tick)
    #expect(driver.model.heap != nil)
    driver.press(.character("x"))
    #expect(driver.model.demo == nil)
    #expect(driver.model.tickInterval == nil)
  }

  @Test func theWholeStandardDemoRunsToItsEnd() throws {
    var driver = Driver()
    driver.model.demo = Demo()
    var sawRefusal = false
    var ticks = 0
    while !(driver.model.demo?.isFinished ?? true), ticks < 5_000 {
      driver.send(.tick)
      ticks += 1
      if driver.status?.hasPrefix("allocation failed") == true { sawRefusal = true }
    }
    #expect(sawRefusal)
    let heap = try #require(driver.model.heap)
    #expect(heap.allocation(tag: 6)?.bytes == 400, "the ALLOC refused before DEFRAG fits after it")
  }

  @Test(arguments: ["NEW 1 9223372036854775807", "NEW 1 10000000000000000"])
  func zoomingAndClickingOnTheLargestHeapsDoesNotOverflow(line: String) throws {
    var driver = Driver()
    driver.type(line)
    driver.type("ALLOC 4611686018427387904")
    for _ in 0..<70 {
      driver.press(.function(5))
      _ = driver.lines
      driver.send(.click(x: 5, y: 5))
    }
    #expect(driver.status?.hasPrefix("zoom: 1 cell = ") == true)
    for _ in 0..<70 { driver.press(.function(6)) }
    #expect(driver.status == "zoom: 1 cell = 1 page")
    driver.press(.pageDown, .pageDown)
    _ = driver.lines
    try driver.model.heap?.checkInvariants()
  }
}
