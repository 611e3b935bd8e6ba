import Foundation
import MemallookCore
import Testing

@testable import MemallookTUI

@Suite struct ViewTests {
  @Test func anEmptySessionSaysHowToStart() {
    let lines = Driver().lines
    #expect(lines[0].hasPrefix(" memallook  no heap"))
    #expect(lines.contains { $0.contains("No heap yet.") })
    #expect(lines.contains { $0.contains("Type  NEW 16 64  and press Enter:") })
    #expect(lines[28].hasPrefix("> "))
    #expect(lines[29].hasPrefix("F1 Help  F2 Defrag  F3 Policy"))
  }

  /// The exercise's example typed at the prompt: after every step the grid is
  /// SHOW's grid, and the message line is the command's reply.
  @Test func theExercisesExampleStepByStep() throws {
    var driver = Driver()
    let steps: [(line: String, reply: String, isError: Bool)] = [
      ("NEW 16 64", "ok, buffer of size 1024 bytes created", false),
      ("ALLOC 16", "ok, tag = \"1\"", false),
      (
        "ALLOC 2048",
        "allocation failed: 2048 bytes need 128 pages; 63 pages free, longest free run 63 pages",
        true
      ),
      ("ALLOC 32", "ok, tag = \"2\"", false),
      ("DEALLOC tag=1", "deallocation succeeded", false),
      ("DEALLOC tag=99", "deallocation failed, unknown tag: no live allocation has tag \"99\"", true),
      ("DEFRAG", "defragmentation complete", false),
    ]
    for (line, reply, isError) in steps {
      driver.type(line)
      while driver.model.animation != nil { driver.send(.tick) }
      let status = try #require(driver.status)
      #expect(status.hasPrefix(reply), "\(line)")
      #expect(driver.model.status?.isError == isError, "\(line): shown as an error or not")
      let heap = try #require(driver.model.heap)
      let shown = heap.show().split(separator: "\n").prefix(4).map(String.init)
      #expect(driver.gridRows == shown, "\(line)")
    }
    #expect(driver.gridRows.first == "22..............")
    #expect(driver.lines[0].contains("p=16 N=64  first fit  used 2  free 62"))
  }

  @Test func theAllocationsPanelListsTagBytesPagesAndFirstPage() {
    var driver = Driver()
    driver.type("NEW 16 64")
    driver.type("ALLOC 100")
    driver.type("ALLOC 32")
    let panel = driver.lines.compactMap { line -> String? in
      guard let start = line.range(of: "│ ", options: .backwards) else { return nil }
      return String(line[start.upperBound...]).trimmingCharacters(in: .init(charactersIn: " │"))
    }
    #expect(panel.contains("tag  bytes    pages  first"))
    #expect(panel.contains("1 1    100      7      0"))
    #expect(panel.contains("2 2    32       2      7"))
  }

  /// Numbers wider than a column widen it: two spaces always part them.
  @Test func largeNumbersInTheAllocationsPanelStayApart() {
    var driver = Driver()
    driver.type("NEW 1 2000000000")
    driver.type("ALLOC 1234567890")
    driver.type("ALLOC 1")
    let panel = driver.lines.compactMap { line -> String? in
      guard let start = line.range(of: "│ ", options: .backwards) else { return nil }
      return String(line[start.upperBound...]).trimmingCharacters(in: .init(charactersIn: " │"))
    }
    #expect(panel.contains("tag  bytes       first"), "the pages column goes: \(panel)")
    #expect(panel.contains("1 1    1234567890  0"))
    #expect(panel.contains("2 2    1           1234567890"))
  }

  /// A race panel's figures wrap whole, never cut.
  @Test(arguments: [
    (50, ["failed 12345  used 69.5%  ext 4.4%  runs 576"]),
    (30, ["failed 12345  used 69.5%", "ext 4.4%  runs 576"]),
    (20, ["failed 12345", "used 69.5%", "ext 4.4%  runs 576"]),
  ])
  func raceFiguresWrapWhole(width: Int, lines: [String]) {
    #expect(
      Playback.wrapped([["failed 12345", "used 69.5%"], ["ext 4.4%", "runs 576"]], width: width) == lines)
  }

  @Test func aSelectedAllocationIsHighlightedInTheGrid() {
    var driver = Driver()
    driver.type("NEW 16 64")
    driver.type("ALLOC 16")
    driver.type("ALLOC 32")
    driver.press(.control("n"), .control("n"))
    #expect(driver.model.selectedTag == 2)
    let styles = driver.gridStyles(row: 0)
    #expect(styles[0] == .allocation(palette: 0))
    #expect(styles[1] == .selected(palette: 1))
    #expect(styles[2] == .selected(palette: 1))
    #expect(styles[3] == .free)
  }

  @Test func clickingAPageSelectsItsOwner() {
    var driver = Driver()
    driver.type("NEW 16 64")
    driver.type("ALLOC 16")
    driver.type("ALLOC 48")
    let layout = Layout(model: driver.model)
    driver.send(.click(x: layout.gridOrigin.x + 2 * layout.cellWidth, y: layout.gridOrigin.y))
    #expect(driver.model.selectedTag == 2)
    driver.send(.click(x: layout.gridOrigin.x + 10 * layout.cellWidth, y: layout.gridOrigin.y))
    #expect(driver.model.selectedTag == 2, "a free page leaves the selection alone")
  }

  /// The help lists the keys, then the commands; a terminal too short for all of it scrolls.
  @Test func theHelpScreenListsKeysAndCommandsAndScrolls() {
    var driver = Driver()
    driver.press(.function(1))
    var text = driver.lines.joined(separator: "\n")
    #expect(text.contains("─ Help ─"))
    #expect(text.contains("F2            DEFRAG, animated (moves light up)"))
    #expect(text.contains("└─ PgDn for more ─"))
    #expect(!text.contains("ALLOC M"))
    for _ in 0..<12 { driver.press(.pageDown) }
    text = driver.lines.joined(separator: "\n")
    #expect(
      driver.lines.contains {
        $0.contains("UNDO/REDO [n], GOTO step ") && $0.contains(" in the player: back, forward, to a step")
      })
    #expect(!text.contains("PgDn for more"), "scrolled to the end")
    #expect(driver.model.showingHelp)
    driver.press(.character("x"))
    #expect(!driver.model.showingHelp)
    #expect(driver.model.editor.isEmpty, "the key that closes help is not typed")
  }

  @Test(arguments: [
    "Left", "Right", "Home", "End", "Backspace", "Delete", "Ctrl-A", "Ctrl-E", "Ctrl-U", "Ctrl-W", "Ctrl-K",
    "Up", "Down",
  ])
  func theHelpNamesEveryEditingKey(name: String) {
    var driver = Driver(width: 120, height: 60)
    driver.press(.function(1))
    let words = driver.lines.joined(separator: " ").split { " ,/│".contains($0) }
    #expect(words.contains { $0 == name })
  }

  /// Wide characters take two cells: the prompt scrolls by display columns and
  /// never spills past the right edge (onto the F-key bar below).
  @Test func wideCharactersAtThePromptScrollByDisplayWidth() throws {
    var driver = Driver(width: 100, height: 30)
    driver.type(String(repeating: "字", count: 60), enter: false)
    // 97 columns for text and cursor: 48 wide characters, then the cursor.
    #expect(driver.lines[28] == "> " + String(repeating: "字", count: 48) + "  ")
    let cursor = try #require(driver.frame.cursor)
    #expect(cursor.x == 98 && cursor.y == 28)
    #expect(driver.lines[29].hasPrefix("F1 Help"))
  }

  @Test func aCombiningMarkTakesNoColumn() throws {
    var driver = Driver()
    // The terminal sends the mark as a key of its own, after the letter it belongs to.
    driver.press(.character("e"), .character("\u{301}"), .character("x"))
    #expect(driver.lines[28].hasPrefix("> e\u{301}x "))
    #expect(try #require(driver.frame.cursor).x == 4)
  }

  @Test(arguments: [(63, 30), (100, 17), (20, 5)])
  func aTooSmallTerminalSaysWhatItNeeds(width: Int, height: Int) {
    var driver = Driver()
    driver.send(.resize(width: width, height: height))
    let lines = driver.lines
    #expect(lines[0].hasPrefix(String("terminal too small (need 64×18)".prefix(width))))
    #expect(lines.dropFirst(2).allSatisfy { $0.allSatisfy { $0 == " " } })
  }

  @Test func asciiGlyphsOnly() {
    var driver = Driver(glyphs: .ascii)
    driver.type("NEW 16 64")
    driver.type("ALLOC 16")
    let screen = driver.lines.joined()
    #expect(screen.unicodeScalars.allSatisfy { $0.isASCII })
    #expect(driver.gridRows.first == "1...............")
  }

  @Test func zoomingOutStopsAtOneCellForTheWholeHeap() {
    var driver = Driver()
    driver.type("NEW 4096 4294967296")
    for _ in 0..<100 { driver.press(.function(5)) }
    #expect(driver.model.zoom == 4_294_967_296)
    #expect(driver.lines.contains { $0.contains("1 cell = 4294967296 pages") })
    for _ in 0..<100 { driver.press(.function(6)) }
    #expect(driver.model.zoom == 1)
  }

  @Test func aLargeHeapIsZoomedToFitAndScrolls() throws {
    var driver = Driver()
    driver.type("NEW 4096 16777216")
    driver.type("ALLOC 40960000")
    let layout = Layout(model: driver.model)
    #expect(layout.pagesPerCell > 1)
    #expect(layout.totalRows <= layout.gridRows)
    #expect(
      driver.lines.contains {
        $0.contains("pages 0–16777215 of 16777216, 1 cell = \(layout.pagesPerCell) pages")
      })
    driver.press(.function(6), .function(6), .function(6))
    let zoomed = Layout(model: driver.model)
    #expect(zoomed.pagesPerCell == layout.pagesPerCell / 8)
    driver.press(.pageDown)
    #expect(driver.model.gridTopRow == zoomed.gridRows - 1)
  }
}

@Suite struct FrameTests {
  @Test func onlyChangedCellsAreRedrawn() {
    var before = Frame(width: 10, height: 3)
    before.put("hello", x: 0, y: 1)
    var after = before
    after.put("J", x: 0, y: 1, style: .error)
    after.put("!", x: 9, y: 2)
    let changes = after.changes(from: before)
    #expect(changes.map(\.x) == [0, 9])
    #expect(changes.map(\.y) == [1, 2])
    #expect(changes.first?.cell == Cell(character: "J", style: .error))
  }

  @Test func aWideCharacterTakesTwoCells() {
    var frame = Frame(width: 10, height: 2)
    #expect(frame.put("漢字a", x: 0, y: 0) == 5)
    #expect(frame.lines[0] == "漢字a     ")
    #expect(frame[2, 0].character == "字")
    #expect(frame.put("漢字", x: 7, y: 1) == 2, "a wide character that does not fit is not drawn")
    #expect(frame.lines[1] == "       漢 ")
  }

  @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
    var frame = Frame(width: 6, height: 1)
    frame.put("漢字", x: 0, y: 0)
    frame.put("a", x: 1, y: 0)
    frame.put("b", x: 2, y: 0)
    #expect(frame.lines[0] == " ab   ")
  }

  @Test func aNewSizeRedrawsEverything() {
    let frame = Frame(width: 4, height: 2)
    #expect(frame.changes(from: nil).count == 8)
    #expect(frame.changes(from: Frame(width: 5, height: 2)).count == 8)
    #expect(frame.changes(from: frame).isEmpty)
  }
}
