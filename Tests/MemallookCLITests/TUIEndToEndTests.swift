import Foundation
import Testing

/// The real binary in a real terminal (tmux): typed at, read back, resized, killed.
@Suite(.serialized) struct TUIEndToEndTests {
  /// The first grid row as SHOW would print it, read off the screen (cells are 3 columns wide).
  static func firstGridRow(_ screen: String) -> String? {
    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
    guard let index = lines.firstIndex(where: { $0.contains("1 cell = 1 page") }), index + 1 < lines.count
    else { return nil }
    let row = Array(lines[index + 1].dropFirst())
    return String(stride(from: 1, to: min(row.count, 48), by: 3).map { row[$0] == "·" ? "." : row[$0] })
  }

  @Test func typingTheExercisesCommandsDrawsItsGrid() throws {
    let tmux = try Tmux([])
    try tmux.waitFor(text: "No heap yet.")
    for line in ["NEW 16 64", "ALLOC 16", "ALLOC 2048"] { try tmux.enter(line) }
    try tmux.waitFor(text: "allocation failed: 2048 bytes need 128 pages")
    try tmux.enter("ALLOC 32")
    try tmux.waitFor("grid 122") { Self.firstGridRow($0) == "122............." }
    try tmux.enter("DEALLOC tag=1")
    // One wait for the whole frame: rows are written top to bottom, so a capture
    // may catch the new grid before the message line below it.
    try tmux.waitFor("grid .22, the reply and the title") { screen in
      Self.firstGridRow(screen) == ".22............." && screen.contains("deallocation succeeded")
        && screen.contains("p=16 N=64  first fit  used 2  free 62")
    }
    try tmux.press("F10")
    #expect(tmux.waitForExit() == 0)
  }

  @Test func allocationsAreColouredAndNoColorTurnsColourOff() throws {
    let coloured = try Tmux([])
    try coloured.waitFor(text: "No heap yet.")
    try coloured.enter("NEW 16 64")
    try coloured.enter("ALLOC 16")
    try coloured.enter("ALLOC 32")
    try coloured.waitFor(text: "ok, tag = \"2\"")
    let escapes = try coloured.capture(escapes: true)
    #expect(escapes.contains("\u{1b}[30m\u{1b}[48;5;75m 1 "), "tag 1: black glyph on palette colour 0")
    #expect(escapes.contains("\u{1b}[48;5;215m 2  2 "), "tag 2: palette colour 1")

    let plain = try Tmux([], environment: ["NO_COLOR": "1"])
    try plain.waitFor(text: "No heap yet.")
    try plain.enter("NEW 16 64")
    try plain.enter("ALLOC 16")
    try plain.waitFor(text: "ok, tag = \"1\"")
    let monochrome = try plain.capture(escapes: true)
    #expect(!monochrome.contains("48;5;"))
    #expect(!monochrome.contains("38;5;"))
    #expect(monochrome.contains("\u{1b}[1m 1 "), "allocations stay apart by attribute (bold) and glyph")
  }

  @Test func resizingRedrawsAndATinyTerminalSaysSo() throws {
    let tmux = try Tmux([])
    try tmux.waitFor(text: "No heap yet.")
    try tmux.resize(width: 50, height: 12)
    try tmux.waitFor(text: "terminal too small (need 64×18)")
    try tmux.resize(width: 100, height: 30)
    let screen = try tmux.waitFor(text: "No heap yet.")
    #expect(!screen.contains("terminal too small"))
    let boxTop = screen.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
    #expect(boxTop.count == 100 && boxTop.hasSuffix("┐"), "the panels end at the new right edge")
  }

  @Test func defragShowsTheIntermediateFrameAndTheFinalOne() throws {
    let tmux = try Tmux([])
    try tmux.waitFor(text: "No heap yet.")
    for line in ["NEW 16 64", "ALLOC 16", "ALLOC 32", "ALLOC 16", "DEALLOC 1"] { try tmux.enter(line) }
    try tmux.waitFor("fragmented") { Self.firstGridRow($0) == ".223............" }
    try tmux.press(keys: Array(repeating: "F7", count: 6))  // slow: about 1.7 s per step
    try tmux.waitFor(text: "ms per step")
    try tmux.press("F2")
    // The moving allocation is highlighted (yellow, 226) while the heap is half compacted.
    try tmux.waitFor("tag 2 moved, highlighted", escapes: true, timeout: 15) {
      $0.contains("48;5;226m") && $0.contains(" 2  2 ") && $0.contains("defragmenting")
    }
    let final = try tmux.waitFor(text: "defragmentation complete", timeout: 20)
    #expect(Self.firstGridRow(final) == "223.............")
    try tmux.press("F10")
    #expect(tmux.waitForExit() == 0)
  }

  /// Every signal that ends the TUI restores the terminal first and exits 128 + signal,
  /// with nothing (no backtrace) written over the screen.
  @Test(arguments: [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGXCPU])
  func aTerminatingSignalRestoresTheTerminal(signal: Int32) throws {
    let tmux = try Tmux([])
    try tmux.waitFor(text: "No heap yet.")
    let pid = try #require(try tmux.programPID())
    kill(pid, signal)
    #expect(tmux.waitForExit() == 128 + signal)
    let screen = try tmux.waitFor(text: "speed")
    Self.expectSaneModes(screen)
    #expect(!screen.contains("crashed") && !screen.contains("Backtrace"), "no backtrace:\n\(screen)")
  }

  /// After a click (an X10 mouse report, press and release), SIGTERM still ends the TUI at
  /// once: a read that ncurses blocks in is interrupted, not restarted.
  @Test func aSignalAfterAClickEndsTheTUIAtOnce() throws {
    let tmux = try Tmux([])
    try tmux.waitFor(text: "No heap yet.")
    let pid = try #require(try tmux.programPID())
    try tmux.send(bytes: Array("\u{1b}[M %$".utf8))
    try tmux.send(bytes: Array("\u{1b}[M#%$".utf8))
    usleep(300_000)
    kill(pid, SIGTERM)
    #expect(tmux.waitForExit(timeout: 5) == 128 + SIGTERM)
    Self.expectSaneModes(try tmux.waitFor(text: "speed"))
  }

  /// SIGPIPE is ignored: a closed pipe is an error where it happens, not the end of the TUI.
  @Test func sigpipeLeavesTheTUIRunning() throws {
    let tmux = try Tmux([])
    try tmux.waitFor(text: "No heap yet.")
    let pid = try #require(try tmux.programPID())
    kill(pid, SIGPIPE)
    try tmux.enter("NEW 16 64")
    try tmux.waitFor(text: "ok, buffer of size 1024 bytes created")
    #expect(try tmux.programPID() == pid)
    try tmux.press("F10")
    #expect(tmux.waitForExit() == 0)
    Self.expectSaneModes(try tmux.waitFor(text: "speed"))
  }

  /// `stty -a` printed after the program ended: canonical mode and echo are back.
  static func expectSaneModes(_ screen: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let flags = screen.split { $0 == " " || $0 == "\n" || $0 == ";" }
    #expect(flags.contains("icanon") && !flags.contains("-icanon"), sourceLocation: sourceLocation)
    #expect(flags.contains("echo") && !flags.contains("-echo"), sourceLocation: sourceLocation)
  }

  /// A paste of 1,500 commands (12,000 bytes) runs every one of them, and the
  /// screen shows the end state without waiting for another key.
  @Test func aLongPasteRunsEveryCommand() throws {
    let tmux = try Tmux([])
    try tmux.waitFor(text: "No heap yet.")
    try tmux.enter("NEW 1 100000")
    try tmux.waitFor(text: "p=1 N=100000")
    let paste = String(repeating: "ALLOC 3\n", count: 1_500)
    #expect(paste.utf8.count == 12_000)
    try tmux.paste(paste)
    try tmux.waitFor("1,500 allocations", timeout: 60) { screen in
      screen.contains("used 4500  free 95500") && screen.contains("ok, tag = \"1500\"")
        && screen.contains("1500 live, 0 failed")
    }
    try tmux.press("F10")
    #expect(tmux.waitForExit() == 0)
  }

  /// A UTF-8 character whose bytes arrive in two reads (as a long paste can split one)
  /// is typed whole, and what follows it is not lost.
  @Test func aCharacterSplitAcrossReadsIsTypedWhole() throws {
    let tmux = try Tmux([])
    try tmux.waitFor(text: "No heap yet.")
    let kanji = Array("漢".utf8)
    try tmux.send(bytes: [UInt8(ascii: "a")] + kanji.prefix(2))
    try tmux.waitFor(text: "> a")
    try tmux.send(bytes: kanji.suffix(1) + [UInt8(ascii: "b")])
    try tmux.waitFor(text: "> a漢b")
    try tmux.press("F10")
    #expect(tmux.waitForExit() == 0)
  }

  /// Letters typed while DEFRAG is being animated go to the command line.
  @Test func lettersTypedDuringADefragAnimationAppearAtThePrompt() throws {
    let tmux = try Tmux([])
    try tmux.waitFor(text: "No heap yet.")
    for line in ["NEW 16 64", "ALLOC 16", "ALLOC 32", "ALLOC 16", "DEALLOC 1"] { try tmux.enter(line) }
    try tmux.waitFor("fragmented") { Self.firstGridRow($0) == ".223............" }
    try tmux.press(keys: Array(repeating: "F7", count: 8))  // slow: about 3.8 s per step
    try tmux.waitFor(text: "ms per step")
    try tmux.press("F2")
    try tmux.waitFor(text: "defragmenting")
    try tmux.type("alloc 16")
    let screen = try tmux.waitFor(text: "> alloc 16")
    #expect(screen.contains("defragmenting"), "still animating when the letters arrived")
    try tmux.press("Enter")
    try tmux.waitFor(text: "ok, tag = \"4\"")
    try tmux.press("F10")
    #expect(tmux.waitForExit() == 0)
  }

  /// Wide characters typed past the right edge scroll the prompt; the F-key bar below stays intact.
  @Test func wideCharactersStayOnThePromptRow() throws {
    let tmux = try Tmux([])
    try tmux.waitFor(text: "No heap yet.")
    try tmux.type(String(repeating: "漢字", count: 40))
    // 117 columns for the text and the cursor: the last 58 characters (116 columns).
    let tail = "> " + String(repeating: "漢字", count: 29)
    let screen = try tmux.waitFor("the tail of the line") { screen in
      let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
      return rows.count > 39 && rows[38].trimmingCharacters(in: .whitespaces) == tail
    }
    let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(rows.count > 39 && rows[39].hasPrefix("F1 Help  F2 Defrag"), "the bar is intact:\n\(screen)")
    try tmux.press(keys: Array(repeating: "BSpace", count: 80))
    try tmux.waitFor("an empty prompt") { screen in
      let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
      return rows.count > 39 && rows[38].trimmingCharacters(in: .whitespaces) == ">"
        && rows[39].hasPrefix("F1 Help  F2 Defrag")
    }
    try tmux.press("F10")
    #expect(tmux.waitForExit() == 0)
  }

  @Test func theTUISharesThePersistedHeapWithTheOneShotCommands() throws {
    let state = try Memallook.temporaryStatePath()
    _ = try Memallook.run(["16", "64", "--state", state])
    let tmux = try Tmux(["--state", state])
    try tmux.waitFor(text: "p=16 N=64")
    let outside = try Memallook.run(["alloc", "32", "--state", state])
    #expect(outside.stdout == "ok, tag = \"1\"\n")
    try tmux.waitFor("the outside ALLOC") { Self.firstGridRow($0) == "11.............." }
    try tmux.enter("ALLOC 16")
    try tmux.waitFor(text: "ok, tag = \"2\"")
    #expect(try Memallook.run(["show", "--state", state]).stdout.hasPrefix("112.............\n"))
    try tmux.press("F10")
    #expect(tmux.waitForExit() == 0)
  }

  @Test func theHistorySurvivesARestartOfThePersistedTUI() throws {
    let state = try Memallook.temporaryStatePath()
    for words in [["16", "64"], ["alloc", "16"], ["alloc", "32"]] {
      _ = try Memallook.run(words + ["--state", state])
    }
    let first = try Tmux(["--state", state])
    try first.waitFor(text: "p=16 N=64")
    try first.enter("DEALLOC 1")
    try first.waitFor(text: "deallocation succeeded")
    try first.press("F10")
    #expect(first.waitForExit() == 0)
    let second = try Tmux(["--state", state])
    try second.waitFor(text: "p=16 N=64")
    try second.enter("UNDO 2")
    try second.waitFor("two steps back") { Self.firstGridRow($0) == "1..............." }
    try second.press("F10")
    #expect(second.waitForExit() == 0)
    #expect(try Memallook.run(["history", "1", "--state", state]).stdout.hasPrefix("history: step 1 of 3"))
  }

  @Test func tenThousandRandomKeysDoNotCrashIt() throws {
    let tmux = try Tmux([])
    try tmux.waitFor(text: "No heap yet.")
    try tmux.enter("NEW 16 1024")
    try tmux.enter("ALLOC 100")
    var state: UInt64 = 2026  // seeded, so that a failure can be replayed
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let keys =
      [
        "a", "l", "o", "c", "1", "6", "0", "Space", "Enter", "BSpace", "DC", "Left", "Right", "Up", "Down",
        "Home", "End", "Tab", "Escape", "F1", "F2", "F3", "F5", "F6", "F7", "F8", "PageUp", "PageDown", "C-n",
        "C-p", "C-u", "C-w", "C-a", "C-e", "C-k", "?", "=", "#", "-", "x",
      ]
      + ["A", "L", "O", "C", "D", "E", "F", "R", "G", "N", "W", "S", "H"]
    for _ in 0..<50 {
      try tmux.press(keys: (0..<200).map { _ in keys[next(keys.count)] })
    }
    try tmux.press("Escape", "Escape", "C-u")
    try tmux.waitFor(text: "F10")
    #expect(try tmux.programPID() != nil, "still running after 10,000 keys")
    try tmux.press("F10")
    #expect(tmux.waitForExit(timeout: 20) == 0)
  }

  /// The TUI with its HTTP listener: what curl allocates appears on the grid, named on the message line.
  @Test func anAllocOverHTTPShowsUpOnTheScreen() throws {
    let tmux = try Tmux(["--http", "0"])
    let title = try tmux.waitFor(text: "HTTP http://127.0.0.1:")
    let port = try #require(
      title.split(separator: "\n").first?.split(separator: ":").last?.split(separator: " ").first.map(
        String.init))
    func curl(_ arguments: String...) throws -> Memallook.Result {
      try Memallook.run(
        shell: ["curl", "-s", "-X", "POST"] + arguments.map { "http://127.0.0.1:\(port)\($0)" })
    }
    #expect(try curl("/new?p=16&N=64").stdout.hasPrefix("HEAP-"))
    #expect(try curl("/alloc?M=100").stdout == "1\n")
    let screen = try tmux.waitFor(text: "HTTP: ALLOC M=100")
    #expect(Self.firstGridRow(screen) == "1111111.........")
    try tmux.enter("ALLOC 32")
    try tmux.waitFor(text: "ok, tag = \"2\"")
    let shown = try Memallook.run(shell: ["curl", "-s", "http://127.0.0.1:\(port)/show"])
    #expect(shown.stdout.hasPrefix("111111122.......\n"))
    try tmux.press("F10")
    #expect(tmux.waitForExit() == 0)
  }

  /// With the listener and a state file, a one-shot command from another process shows up too.
  @Test func withHTTPAndAStateFileOutsideChangesShowUp() throws {
    let state = try Memallook.temporaryStatePath()
    _ = try Memallook.run(["16", "64", "--state", state])
    let tmux = try Tmux(["--http", "0", "--state", state])
    let title = try tmux.waitFor(text: "p=16 N=64")
    let port = try #require(
      title.split(separator: "\n").first?.split(separator: ":").last?.split(separator: " ").first.map(
        String.init))
    #expect(try Memallook.run(["alloc", "32", "--state", state]).stdout == "ok, tag = \"1\"\n")
    try tmux.waitFor("the outside ALLOC, reloaded") { screen in
      Self.firstGridRow(screen) == "11.............." && screen.contains("the state file changed")
    }
    let overHTTP = try Memallook.run(shell: [
      "curl", "-s", "-X", "POST", "http://127.0.0.1:\(port)/alloc?M=16",
    ])
    #expect(overHTTP.stdout == "2\n")
    try tmux.waitFor("the HTTP ALLOC") { screen in
      Self.firstGridRow(screen) == "112............." && screen.contains("HTTP: ALLOC M=16")
    }
    #expect(try Memallook.run(["show", "--state", state]).stdout.hasPrefix("112.............\n"))
    try tmux.press("F10")
    #expect(tmux.waitForExit() == 0)
  }
}
