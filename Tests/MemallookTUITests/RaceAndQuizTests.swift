import Foundation
import MemallookCore
import Testing

@testable import MemallookTUI

/// The race of several policies and the quiz, through keys and frames.
@Suite struct RaceAndQuizTests {
  @Test func raceNeedsAWorkloadFirst() {
    var driver = Driver()
    driver.type("RACE")
    #expect(driver.status?.hasPrefix("RACE plays the loaded workload") == true)
  }

  /// Panels never overlap, stay inside the grid area, and show as many lanes as fit.
  @Test(arguments: [(160, 50, 4, 4), (160, 50, 5, 5), (200, 60, 4, 4), (100, 30, 5, 5), (64, 18, 5, 4)])
  func raceLayoutAtSeveralSizes(width: Int, height: Int, lanes: Int, shown: Int) throws {
    var driver = PlayerTests.loaded(width: width, height: height)
    driver.type("GOTO 150")
    driver.type("RACE " + Policy.allCases.prefix(lanes).map(\.rawValue).joined(separator: " "))
    let layout = Layout(model: driver.model)
    #expect(layout.panels.count == shown)
    for (index, panel) in layout.panels.enumerated() {
      #expect(panel.x >= layout.grid.x && panel.x + panel.width <= layout.grid.x + layout.grid.width)
      #expect(panel.y >= layout.grid.y && panel.y + panel.height <= layout.grid.y + layout.grid.height)
      for other in layout.panels[(index + 1)...] {
        let apart =
          panel.x + panel.width <= other.x || other.x + other.width <= panel.x
          || panel.y + panel.height <= other.y
          || other.y + other.height <= panel.y
        #expect(apart, "\(panel) and \(other) overlap")
      }
    }
    let text = driver.lines.joined(separator: "\n")
    for lane in driver.model.playback!.player.lanes.prefix(shown) {
      #expect(text.contains(lane.policy.title))
    }
    if shown < lanes { #expect(text.contains(" \(shown)/\(lanes) shown ")) }
    #expect(driver.model.playback?.player.position == 150, "the race starts where the player was")
  }

  @Test func theRaceStarsTheLeaderAndEndsWithCompareTable() throws {
    var driver = PlayerTests.loaded(width: 160, height: 50)
    driver.type("RACE first worst by=external")
    driver.press(.end)
    let playback = try #require(driver.model.playback)
    let leaders = playback.leaders
    let frag = playback.player.lanes.map(\.metrics.externalFragmentation)
    #expect(leaders == Set(frag.indices.filter { frag[$0] == frag.min() }))
    let text = driver.lines.joined(separator: "\n")
    #expect(text.contains("★ external"))
    #expect(text.contains("Results (as memallook compare)"))
    for line in ReplaySummary.table(playback.player.summaries).split(separator: "\n") {
      #expect(text.contains(line), "\(line)")
    }
    driver.press(.function(3))
    #expect(driver.model.playback?.metric == .runs)
    driver.press(.left)
    #expect(!driver.lines.joined(separator: "\n").contains("Results"), "the table is for the end only")
  }

  @Test func theQuizScoresARightAndAWrongAnswer() throws {
    var driver = Driver(width: 120, height: 40)
    driver.type("QUIZ")
    #expect(
      driver.lines[0].contains(
        "QUIZ  p=16 N=64  first fit: the lowest-addressed free run that is long enough"))
    #expect(driver.status?.hasPrefix("Where does alloc id 0") == true)
    #expect(
      driver.lines.contains { $0.contains("first fit: the lowest-addressed free run that is long enough") })
    // First fit on an empty heap: page 0. The cursor starts there.
    driver.press(.enter)
    var quiz = try #require(driver.model.playback?.quiz)
    #expect(quiz.right == 1 && quiz.asked == 1)
    #expect(driver.status?.hasPrefix("right! It landed at pages 0–") == true)
    // Going back to the question forgets its answer: asked again, counted once.
    driver.press(.control("z"))
    #expect(driver.model.playback?.quiz?.asked == 0 && driver.model.playback?.quiz?.answer == nil)
    driver.press(.enter)
    #expect(driver.model.playback?.quiz?.asked == 1 && driver.model.playback?.quiz?.right == 1)
    // The next ALLOC fits: "it fails" is wrong.
    driver.press(.character("x"))
    quiz = try #require(driver.model.playback?.quiz)
    #expect(quiz.right == 1 && quiz.asked == 2)
    #expect(driver.status?.hasPrefix("wrong. It landed at pages") == true)
    #expect(driver.lines.contains { $0.contains("quiz 1/2 right") })
    // A click on the grid answers there too.
    let layout = Layout(model: driver.model)
    driver.send(.click(x: layout.gridOrigin.x, y: layout.gridOrigin.y))
    #expect(driver.model.playback?.quiz?.asked == 3)
  }

  /// A quiz on a workload played to its end (a race, say) starts from the beginning: there is
  /// no ALLOC left to ask about at the end.
  @Test func aQuizAtTheEndOfAWorkloadStartsOver() {
    var driver = PlayerTests.loaded()
    driver.type("RACE")
    driver.press(.end)
    driver.type("QUIZ")
    #expect(driver.model.playback?.player.lanes.count == 1)
    #expect(driver.model.playback?.player.isAtEnd == false)
    #expect(driver.status?.hasPrefix("Where does alloc id 0") == true, "\(driver.status ?? "")")
  }
}
