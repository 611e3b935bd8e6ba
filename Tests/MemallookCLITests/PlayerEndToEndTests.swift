import Foundation
import Testing

/// The player, the race and the quiz in a real terminal (tmux), from `memallook tui --trace/--race`.
@Suite(.serialized) struct PlayerEndToEndTests {
  /// A 400-operation workload written as a `.rep` file by `memallook generate`.
  static func traceFile() throws -> String {
    let folder = try Memallook.temporaryFolder()
    let path = folder.appendingPathComponent("work.rep").path
    let generated = try Memallook.run(["generate", "--seed", "9", "--ops", "400", "--max-bytes", "300"])
    try generated.stdout.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// The grid's rows as the screen shows them (the lines between the scale line and the box's bottom).
  static func grid(_ screen: String) -> [String] {
    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let scale = lines.firstIndex(where: { $0.contains("1 cell = 1 page") }) else { return [] }
    return Array(lines[(scale + 1)...].prefix { !$0.hasPrefix("└") }).map { String($0.prefix(80)) }
  }

  static func position(_ screen: String) -> Int? {
    guard
      let line = screen.split(separator: "\n").first(where: { $0.hasPrefix(" ❚❚ ") || $0.hasPrefix(" ▶ ") }),
      let slash = line.firstIndex(of: "/")
    else { return nil }
    return Int(line[line.index(line.startIndex, offsetBy: 4)..<slash])
  }

  @Test func playPauseAndStepBackThreeOperations() throws {
    let tmux = try Tmux(["tui", "--trace", try Self.traceFile()])
    try tmux.waitFor(text: "work.rep: 400 operations")
    try tmux.press("F8", "F8", "F8", "F4")  // 100 op/s
    try tmux.waitFor("some operations played") { (Self.position($0) ?? 0) > 30 }
    try tmux.press("F4")
    let paused = try tmux.waitFor(text: "paused")
    let stop = try #require(Self.position(paused))
    try tmux.press("Left", "Left", "Left")
    let back = try tmux.waitFor("three operations back") { Self.position($0) == stop - 3 }
    // The same step reached going forward from the start shows the same grid.
    try tmux.enter("GOTO 0")
    try tmux.waitFor("at the start") { Self.position($0) == 0 }
    try tmux.enter("GOTO \(stop - 3)")
    let forward = try tmux.waitFor("forward again") { Self.position($0) == stop - 3 }
    #expect(!Self.grid(back).isEmpty)
    #expect(Self.grid(back) == Self.grid(forward))
    try tmux.press("F10")
    #expect(tmux.waitForExit() == 0)
  }

  @Test func fourPoliciesRaceSideBySideAndEndWithTheTable() throws {
    let tmux = try Tmux(["tui", "--race", try Self.traceFile()], width: 160, height: 50)
    try tmux.waitFor(text: "RACE work.rep")
    try tmux.enter("RACE first next best worst")
    let compare = try Memallook.run(["compare", try Self.traceFile(), "--policies", "first,next,best,worst"])
    let table = compare.stdout.split(separator: "\n").dropFirst(2)
    try tmux.press("End")
    // The whole table, not the first capture that has its title: under load a capture can
    // land while the frame is still being written.
    let screen = try tmux.waitFor("the results table") { screen in
      screen.contains("Results (as memallook compare)") && table.allSatisfy { screen.contains($0) }
    }
    for title in ["first fit", "next fit", "best fit", "worst fit"] { #expect(screen.contains("─ \(title)")) }
    #expect(!screen.contains("buddy system"))
    #expect(screen.contains("★ external"))
    #expect(screen.contains("External fragmentation ── first ─ next ─ best ─ worst"))
    try tmux.press("F10")
    #expect(tmux.waitForExit() == 0)
  }

  @Test func theQuizScoresOneRightAndOneWrongAnswer() throws {
    let tmux = try Tmux(["tui"])
    try tmux.waitFor(text: "No heap yet.")
    try tmux.enter("QUIZ")
    try tmux.waitFor(text: "Where does alloc id 0")
    try tmux.press("Enter")  // first fit on an empty heap: page 0, where the cursor starts
    try tmux.waitFor(text: "quiz 1/1 right")
    try tmux.type("x")  // the next one fits: "it fails" is wrong
    let screen = try tmux.waitFor(text: "quiz 1/2 right")
    #expect(screen.contains("wrong. It landed at page"))
    try tmux.press("F10")
    #expect(tmux.waitForExit() == 0)
  }

  @Test func resizingDuringPlayKeepsPlaying() throws {
    let tmux = try Tmux(["tui", "--trace", try Self.traceFile()])
    try tmux.waitFor(text: "work.rep: 400 operations")
    try tmux.press("F4")
    try tmux.waitFor("playing") { (Self.position($0) ?? 0) > 2 }
    try tmux.resize(width: 90, height: 26)
    let small = try tmux.waitFor("redrawn at 90 columns") {
      $0.split(separator: "\n").dropFirst().first?.count == 90
    }
    #expect(small.contains("PLAYER work.rep"))
    let before = Self.position(small) ?? 0
    try tmux.resize(width: 150, height: 45)
    try tmux.waitFor("still playing at 150 columns") { (Self.position($0) ?? 0) > before }
    try tmux.press("F10")
    #expect(tmux.waitForExit() == 0)
  }

  /// A workload named on the command line that cannot be read is an error before the
  /// screen opens, not a usage hint on it.
  @Test(arguments: [["tui", "--race", "/nonexistent.rep"], ["tui", "--trace", "/nonexistent.rep"]])
  func aWorkloadThatCannotBeReadIsSaidBeforeTheScreenOpens(arguments: [String]) throws {
    let tmux = try Tmux(arguments)
    #expect(tmux.waitForExit() == 64)
    #expect(try tmux.capture().contains("memallook: cannot read /nonexistent.rep: No such file or directory"))
  }
}
