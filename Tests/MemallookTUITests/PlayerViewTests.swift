import Foundation
import MemallookCore
import Testing

@testable import MemallookTUI

/// What the player draws: the chart, the shaded grid, the metrics.
@Suite struct PlayerViewTests {
  @Test func theChartDrawsBrailleDotsAtTheValuesAndMarksTheStep() {
    var frame = Frame(width: 30, height: 5)
    let chart = Chart(
      series: [
        Chart.Series(name: "low", values: Array(repeating: 0, count: 101)[...], style: .series(0)),
        Chart.Series(name: "high", values: Array(repeating: 1, count: 101)[...], style: .series(1)),
      ], steps: 100, marker: 50)
    chart.draw(in: Rect(x: 0, y: 0, width: 30, height: 5), glyphs: .unicode, into: &frame)
    let lines = frame.lines
    #expect(lines[0] == "100% " + String(repeating: "⠉", count: 25))
    #expect(lines[3] == "  0% " + String(repeating: "⣀", count: 25))
    #expect(lines[4].hasPrefix("     0") && lines[4].contains("▲50") && lines[4].hasSuffix("100"))
    var ascii = Frame(width: 30, height: 5)
    chart.draw(in: Rect(x: 0, y: 0, width: 30, height: 5), glyphs: .ascii, into: &ascii)
    #expect(ascii.lines[0] == "100% " + String(repeating: "*", count: 25))
    #expect(ascii.lines[4].contains("^50"))
  }

  @Test func aChartOnlyDrawsTheStepsReached() {
    var frame = Frame(width: 25, height: 3)
    let chart = Chart(
      series: [Chart.Series(name: "x", values: Array(repeating: 0.5, count: 11)[...], style: .series(0))],
      steps: 100, marker: 10)
    chart.draw(in: Rect(x: 0, y: 0, width: 25, height: 3), glyphs: .ascii, into: &frame)
    let plotted =
      frame.lines[0].dropFirst(5).filter { $0 == "*" }.count
      + frame.lines[1].dropFirst(5).filter { $0 == "*" }.count
    #expect(plotted == 2, "a tenth of the 20 columns")
  }

  @Test func zoomedCellsShadeByHowFullTheyAreInTheMainOwnersColour() throws {
    var driver = Driver(width: 100, height: 30)
    driver.type("NEW 1 16")
    for bytes in [1, 2, 3, 4, 2, 2, 2] { driver.type("ALLOC \(bytes)") }
    // Pages: 1 22 333 4444 55 66 77 → cells of 4: [1 2 2 3], [3 3 4 4], [4 4 5 5], [6 6 7 7];
    // freeing 1 and 7 leaves the first cell 3/4 full and the last half full.
    driver.type("DEALLOC 1")  // page 0 free
    driver.type("DEALLOC 7")  // pages 14-15 free
    driver.model.grid.zoom = 4
    let cells = try #require(driver.model.heap?.shadedCells(from: 0, pagesPerCell: 4, count: 4))
    #expect(cells.map(\.usedPages) == [3, 4, 4, 2])
    #expect(cells.map { $0.owner?.tag } == [2, 3, 4, 6], "most pages, the lowest address on a tie")
    #expect(cells.map(\.isShared) == [true, true, true, false])
    #expect(driver.gridRows.first == "▓██▒")
    let styles = driver.gridStyles(row: 0)
    #expect(styles[0] == .allocation(palette: Style.palette(forTag: 2)))
    #expect(styles[3] == .allocation(palette: Style.palette(forTag: 6)))
  }

  @Test func theGridUsesTheWidthItIsGiven() {
    var wide = Driver(width: 200, height: 40)
    wide.type("NEW 16 64")
    #expect(Layout(model: wide.model).columns == 32, "64 pages in two even rows")
    #expect(wide.gridRows.count == 2)
    var big = Driver(width: 200, height: 40)
    big.type("NEW 16 10000")
    let layout = Layout(model: big.model)
    #expect(layout.columns * layout.cellWidth >= layout.grid.width - 2 - 2, "the rows fill the box")
  }

  @Test func buddyFreeBlocksAlternateSoNeighboursShowApart() throws {
    var driver = Driver(width: 100, height: 30)
    driver.type("NEW 16 16 policy=buddy")
    driver.type("ALLOC 16")
    // One page taken: free blocks 1 at 1, 2 at 2, 4 at 4, 8 at 8.
    let styles = driver.gridStyles(row: 0)
    let free = styles.dropFirst()
    #expect(Set(free).count == 2, "two looks for free blocks: \(styles)")
    #expect(styles[2] != styles[4] && styles[4] != styles[8] && styles[2] == styles[3])
    #expect(driver.lines.contains { $0.contains("buddy blocks alternate") })
  }

  @Test(arguments: [64, 80, 132])
  func theMetricsPanelNeverCutsANumber(width: Int) throws {
    var driver = Driver(width: width, height: 30)
    driver.type("NEW 4096 4000000000000")
    driver.type("ALLOC 8000000000000000")
    driver.type("ALLOC 4096")
    driver.type("DEALLOC 1")
    let metrics = try #require(driver.model.metrics)
    let text = driver.lines.joined(separator: "\n")
    for line in Painter.metricLines(metrics) {
      #expect(text.contains(line.value), "\(line.label): \(line.value)")
    }
  }
}
