import MemallookCore
import Testing

@testable import MemallookTUI

/// The free structure panel beside the grid, and the preview of the ALLOC being typed.
@Suite struct StructurePanelTests {
  /// Your heap under `policy` with three holes (7+19, 30+13 and 47+81 under the fits), `ALLOC 64` typed.
  static func typing(under policy: Policy) -> Driver {
    var driver = Driver(width: 100, height: 30)
    for line in [
      "NEW 16 128 policy=\(policy.rawValue)", "ALLOC 100", "ALLOC 300", "ALLOC 50", "ALLOC 200", "ALLOC 60",
      "ALLOC 16", "DEALLOC 2", "DEALLOC 4", "DEALLOC 6",
    ] {
      driver.type(line)
    }
    driver.type("ALLOC 64", enter: false)
    return driver
  }

  /// The panel's box, whole, for each policy: its structure in the order the policy searches it.
  /// A label wider than the label column (TLSF's classes of 2^18 pages) takes a row of its
  /// own, its entries on the next: no number is cut.
  @Test func aWideLabelTakesARowOfItsOwn() throws {
    var driver = Driver(width: 100, height: 30)
    for line in ["NEW 16 458752 tlsf", "ALLOC 16", "ALLOC 2000000", "ALLOC 16", "DEALLOC 2"] {
      driver.type(line)
    }
    let rect = try #require(Layout(model: driver.model).structure)
    let panel = driver.lines[rect.y + 1..<rect.y + rect.height - 1].map {
      String(Array($0)[rect.x + 1..<rect.x + rect.width - 1]).trimmingCharacters(in: .whitespaces)
    }
    #expect(panel.contains("114688-131071"), "\(panel)")
    let row = try #require(panel.firstIndex(of: "114688-131071"))
    #expect(panel[row + 1] == "1+125000", "\(panel)")
  }

  @Test(arguments: [
    (Policy.first, ["runs by address", "7+19 30+13 47+81"]),
    (.next, ["runs from the cursor", "47+81 7+19 30+13", "cursor at page 48"]),
    (.best, ["runs by size", "30+13 7+19 47+81"]),
    (.worst, ["runs, longest first", "47+81 7+19 30+13"]),
    (.buddy, ["free blocks by size", "16 16+16", "32 32+32", "64 64+64"]),
    (
      .tlsf,
      [
        "TLSF lists, heads first", "12-13 30+13", "16-19 7+19", "80-95 47+81", "FL 2^3 2^4 2^6",
        "SL 2^3:0100 2^4:0001 2^6:0010",
      ]
    ),
    (.segregated, ["size classes, by address", "8-15   30+13", "16-31  7+19", "64-127 47+81"]),
  ])
  func thePanelShowsThePolicysOwnStructure(policy: Policy, content: [String]) throws {
    let driver = Self.typing(under: policy)
    let rect = try #require(Layout(model: driver.model).structure)
    #expect(rect == Rect(x: 67, y: 1, width: 33, height: 8))
    let title = "┌─ \(content[0]) "
    var expected = [title + String(repeating: "─", count: 32 - title.count) + "┐"]
    for row in 0..<6 {
      let text = row + 1 < content.count ? content[row + 1] : ""
      expected.append("│" + text + String(repeating: " ", count: 31 - text.count) + "│")
    }
    expected.append("└" + String(repeating: "─", count: 31) + "┘")
    let panel = driver.lines[rect.y..<rect.y + rect.height].map {
      String(Array($0)[rect.x..<rect.x + rect.width])
    }
    #expect(panel == expected)
  }

  @Test(arguments: [
    (Policy.first, 7), (.next, 47), (.best, 30), (.worst, 47), (.buddy, 16), (.tlsf, 30), (.segregated, 30),
  ])
  func theTypedAllocIsPreviewedOnTheGridAndInThePanel(policy: Policy, start: Int) throws {
    let driver = Self.typing(under: policy)
    #expect(driver.lines[27].hasPrefix(" ALLOC 64: would take pages \(start)–\(start + 3)  "))
    let styles = driver.gridStyles(row: start / 19) + driver.gridStyles(row: start / 19 + 1)
    let first = start % 19
    #expect(styles[first..<first + 4].allSatisfy { $0 == .preview }, "\(styles)")
    #expect(styles[first + 4] != .preview)
    // The panel's entry that holds those pages is marked too.
    let frame = driver.frame
    let rect = try #require(Layout(model: driver.model).structure)
    let marked = (rect.y..<rect.y + rect.height).flatMap { y in
      (rect.x..<rect.x + rect.width).filter { frame[$0, y].style == .preview }.map { frame[$0, y].character }
    }
    #expect(String(marked).hasPrefix("\(start)+"), "\(String(marked))")
  }

  @Test func aCommandThatWouldFailSaysWhyBeforeEnter() {
    var driver = Self.typing(under: .tlsf)
    driver.model.editor = LineEditor()
    driver.type("ALLOC 1296", enter: false)  // 81 pages: the 81-page run is in the class below the search
    #expect(
      driver.lines[27].hasPrefix(
        " would fail: TLSF: 81 pages round up to class 96-111; the 81-page run is in a lower class  "))
    #expect(driver.frame[1, 27].style == .error)
    #expect(driver.model.heap?.failedAllocations == 0, "a preview counts no failure")
  }

  @Test func clickingAnEntryOrShiftDownLightsItsPagesOnTheGrid() throws {
    var driver = Self.typing(under: .first)
    driver.model.editor = LineEditor()
    let rect = try #require(Layout(model: driver.model).structure)
    driver.send(.click(x: rect.x + 1 + 6, y: rect.y + 1))  // on "30+13"
    #expect(driver.model.grid.selectedRun == 30)
    #expect(driver.gridStyles(row: 1)[11..<19].allSatisfy { $0 == .highlight })
    driver.press(.shiftDown)
    #expect(driver.model.grid.selectedRun == 47)
    driver.press(.shiftDown)
    #expect(driver.model.grid.selectedRun == 7, "wraps around")
    driver.press(.escape)
    #expect(driver.model.grid.selectedRun == nil)
  }

  @Test func f11TurnsThePanelOffAndOn() {
    var driver = Self.typing(under: .first)
    #expect(Layout(model: driver.model).structure != nil, "on by default at 100 columns")
    driver.press(.function(11))
    #expect(Layout(model: driver.model).structure == nil)
    driver.press(.function(11))
    #expect(Layout(model: driver.model).structure != nil)
    #expect(Layout(model: Driver(width: 99, height: 30).model).structure == nil)
  }
}
