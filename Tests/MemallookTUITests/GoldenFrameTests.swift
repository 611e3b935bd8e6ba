import MemallookCore
import Testing

@testable import MemallookTUI

/// Whole screens, compared whole (ratatui's `Buffer::with_lines`): a change anywhere in
/// the frame shows, row by row, where. Colours aside: the styles have tests of their own.
@Suite struct GoldenFrameTests {
  /// Compares `frame` with `expected` row by row (trailing spaces aside); on a difference,
  /// prints both versions of each differing row.
  static func expectFrame(
    _ frame: Frame, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let lines = frame.lines.map {
      $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    var differences: [String] = []
    for row in 0..<max(lines.count, expected.count) {
      let got = row < lines.count ? lines[row] : "<none>"
      let want = row < expected.count ? expected[row] : "<none>"
      if got != want { differences.append("row \(row):\n  expected: |\(want)|\n  actual:   |\(got)|") }
    }
    #expect(
      differences.isEmpty, "\(differences.count) rows differ:\n\(differences.joined(separator: "\n"))",
      sourceLocation: sourceLocation)
  }

  @Test func theWelcomeScreenAtTheSmallestSize() {
    Self.expectFrame(
      Driver(width: 64, height: 18).frame,
      [
        " memallook  no heap                           F1 help  F10 quit",
        "┌─ Pages ────────────────────────┐┌─ Allocations ──────────────┐",
        "│                                ││                            │",
        "│                                ││                            │",
        "│          No heap yet.          ││                            │",
        "│                                │└────────────────────────────┘",
        "│Type  NEW 16 64  and press Enter│┌─ Metrics (pages) ──────────┐",
        "│64 pages of 16 bytes, first fit.││                            │",
        "│                                ││                            │",
        "│Then ALLOC 100, DEALLOC 1, DEFRA││                            │",
        "│F1 lists every key and command. ││                            │",
        "│                                ││                            │",
        "│                                ││                            │",
        "│                                ││                            │",
        "└────────────────────────────────┘└────────────────────────────┘",
        "",
        ">",
        "F1 Help  F2 Defrag  F3 Policy  F5 Zoom-  F6 Zoom+       F10 Quit",
      ])
  }

  @Test func yourHeapWithASelectionAndItsHistory() {
    var driver = Driver(width: 80, height: 24)
    for line in ["NEW 16 64", "ALLOC 100", "ALLOC 200", "ALLOC 50", "DEALLOC 2"] { driver.type(line) }
    driver.press(.control("n"))
    Self.expectFrame(
      driver.frame,
      [
        " memallook  HEAP-767  p=16 N=64  first fit  used 11  free 53  F1 help  F10 quit",
        "┌─ Pages ────────────────────────────────────────┐┌─ Allocations ──────────────┐",
        "│pages 0–63 of 64, 1 cell = 1 page               ││   tag  bytes    pages  fir │",
        "│ 1  1  1  1  1  1  1  ·  ·  ·  ·  ·  ·  ·  ·  · ││ 1 1    100      7      0   │",
        "│ ·  ·  ·  ·  3  3  3  3  ·  ·  ·  ·  ·  ·  ·  · ││ 3 3    50       4      20  │",
        "│ ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  · ││                            │",
        "│ ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  ·  · ││                            │",
        "│                                                ││                            │",
        "│                                                ││                            │",
        "│                                                ││                            │",
        "│                                                │└────────────────────────────┘",
        "│                                                │┌─ Metrics (pages) ──────────┐",
        "└────────────────────────────────────────────────┘│ used     11 (17.2%)        │",
        "┌─ Chart ── utilisation ─────────────────────────┐│ peak     24                │",
        "│100%                                            ││ free     53, 2 runs        │",
        "│                                                ││ longest  40                │",
        "│ 50%                      ⡤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠖⠒⠒⠒⠒⠒⠒⠒⠒⠒⢲││ internal 26 B (14.8%)      │",
        "│  0% ⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣰⣒⣒⣒⣒⣒⣒⣒⣒⣒⣒⣃⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣸││ external 24.5%             │",
        "│     0                                        ▲4││ allocs   2 live, 0 failed  │",
        "└────────────────────────────────────────────────┘└────────────────────────────┘",
        " history 4/4 █████████████  Ctrl-Z back  Ctrl-Y forward",
        " deallocation succeeded (tag 2: 13 pages freed from page 7)",
        ">",
        "F1 Help  F2 Defrag  F3 Policy  F5 Zoom-  F6 Zoom+  F7 Slower            F10 Quit",
      ])
  }

  @Test func thePlayerHalfwayThroughAWorkloadThenTheRace() {
    var driver = Driver(width: 100, height: 30)
    driver.type("GENERATE seed=4 ops=300 max-bytes=400 N=400")
    driver.send(.tick)  // the workload is read whole: the chart and the landmarks
    driver.type("GOTO 150")
    Self.expectFrame(
      driver.frame,
      [
        " memallook  PLAYER GENERATE seed=4 ops=300  p=16 N=400  first fit                 F1 help  F10 quit",
        "┌─ Pages ─────────────────────────────────────────────────────────┐┌─ runs by address ─────────────┐",
        "│pages 0–399 of 400, 1 cell = 1 page                              ││41+1 104+5 120+4 158+2 165+1   │",
        "│ c c c c c c c c c c c c 2 2 4 4 4 4 4 4 4 l l l l l l l l l l l ││181+2 220+20 280+1 367+4 395+5 │",
        "│ l l l l l l l l e · a a a a a a a a a a a a a a a a a a a a a a ││                               │",
        "│ a a a V V V V V V V V V V V d d d d d d g g g g g g g Q Q f f f ││                               │",
        "│ f f f f f h h h · · · · · J i i i i i i i i i i · · · · H H H H ││                               │",
        "│ H H H H H H H 7 7 7 7 7 8 8 8 8 8 8 8 8 8 b b b b b b b b b · · ││                               │",
        "│ 5 5 5 5 5 · 3 3 3 3 3 3 3 3 3 3 6 6 6 6 6 · · p p p p p p p p p │└───────────────────────────────┘",
        "│ p p p p p p p p p p S S S S S S S S S S S S S S S S S S · · · · │┌─ Allocations ─────────────────┐",
        "│ · · · · · · · · · · · · · · · · v v v v v v v v v v v v v v v v ││   tag  bytes    pages  first  │",
        "│ v v v v v v v v 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 · A A A A A A A ││ a 10   388      25     42     │",
        "│ A A A A A A A A A A A A A A A A T T T T T T T T T T T T T T T T ││ c 12   177      12     0      │",
        "│ T T T K K K K K K K K K K K K K K K K K K K K K K K K Z Z Z Z Z ││ g 16   98       7      84     │",
        "│ Z Z Z Z Z Z Z Z Z Z Z Z Z Z Z · · · · U U U U U U U U U U U U U ││ l 21   300      19     21     │",
        "│ U U U U U U U U U U U · · · · ·                                 ││ p 25   289      19     183    │",
        "│                                                                 │└─30 live, Ctrl-N/P─────────────┘",
        "│                                                                 │┌─ Metrics (pages) ─────────────┐",
        "└─────────────────────────────────────────────────────────────────┘│ used     355 (88.8%)          │",
        "┌─ Chart ── utilisation ─ external fragmentation ─────────────────┐│ peak     381                  │",
        "│100%              ⢀⣀  ⢀⣤⣠⢤⡖⠒⠒⠲⠴⠒⠲⠤⠤⣶⣄⢀⣀⡀⢠⣤⣤⡶⢶⢴⣲⣤⣤⣤⣤⣤⣤⣤⡤⣤⠤⢤⢤⣤⣀⣤⣤⣀⣰││ free     45, 10 runs          │",
        "│             ⢀⡤⠏⠙⠒⠋⠈⣹⠛⠉⠉⠙⠚⠉⠉⠉⠳⠴⠋⠙⠒⢲⡿⠏⠉⠉⠻⠽⠛⠛ ⠸⠼  ⠈⠉   ⠉⠉⠉⠉⠉  ⠈⠁⠘⠲⣴││ longest  20                   │",
        "│ 50%      ⣤⣸⠉⠉  ⡴⠒⠦⠞⠁                                            ││ internal 238 B (4.2%)         │",
        "│  0% ⣴⡦⣴⡶⢾⣡⢤⣰⠲⠟⠒⠃                                                ││ external 55.6%                │",
        "│     0                             ▲150                       300││ allocs   30 live, 19 failed   │",
        "└─────────────────────────────────────────────────────────────────┘└───────────────────────────────┘",
        " ❚❚ 150/300 ████████░░░░░░░░ 50.0%  10 op/s  op 150: alloc id 94, 153 B → ok, tag = \"76\"",
        "",
        ">",
        "F1 Help  F3 Policy  F4 Play  F12 Fail  F5 Zoom-  F6 Zoom+  F7 Slower  F8 Faster  F9 Stop    F10 Quit",
      ])
    driver.type("RACE first best buddy")
    driver.send(.tick)
    Self.expectFrame(
      driver.frame,
      [
        " memallook  RACE GENERATE seed=4 ops=300  p=16 N=400                              F1 help  F10 quit",
        "┌─ first fit ───────────────────┐┌─ best fit ────────────────────┐┌─ buddy system ★ ──────────────┐",
        "│failed 19  used 88.8%          ││failed 18  used 85.3%          ││failed 26  used 94.5%          │",
        "│ext 55.6%  runs 10             ││ext 66.1%  runs 10             ││ext 9.1%  runs 2               │",
        "│cccccccccccc224444444llllllllll││cccccccccccciii·77777llllllllll││FFFFFFFFFFFFFFFF888888888888888│",
        "│llllllllle·aaaaaaaaaaaaaaaaaaaa││lllllllll··aaaaaaaaaaaaaaaaaaaa││84H··777733333333QQQQQQQQQQQQQQ│",
        "│aaaaaVVVVVVVVVVVddddddgggggggQQ││aaaaajjjjjjjjjj·····11gggggggUU││QQlllllllllllllllllllllllllllll│",
        "│ffffffffhhh·····Jiiiiiiiiii····││UUUUUUUUU3333333Jffffffff·····H││lll1111111155555555222222222222│",
        "│HHHHHHHHHHH77777888888888bbbbbb││HHHHHHHHHHbbbbbbbbbbbbbbbbbbbbb││2222TTTTTTTTTTTTTTTTTTTTTTTTTTT│",
        "│bbb··55555·333333333366666··ppp││bbbbeQQYYYYYYYYYYYYYYYYYYYY·ppp││TTTTTpppppppppppppppppppppppppp│",
        "│ppppppppppppppppSSSSSSSSSSSSSSS││ppppppppppppppppdddddd··2222222││pppppp····················NNWWY│",
        "│SSS····················vvvvvvvv││222····················vvvvvvvv││YYYYYYY666666666666666666666666│",
        "│vvvvvvvvvvvvvvvv999999999999999││vvvvvvvvvvvvvvvv···············││66666666vvvvvvvvvvvvvvvvvvvvvvv│",
        "│9·AAAAAAAAAAAAAAAAAAAAAAATTTTTT││··AAAAAAAAAAAAAAAAAAAAAAASSSSSS││vvvvvvvvvZZZZZZZZggggggggcccccc│",
        "│TTTTTTTTTTTTTKKKKKKKKKKKKKKKKKK││SSSSSSSSSSSS·KKKKKKKKKKKKKKKKKK││ccccccccccaaaaaaaaaaaaaaaaaaaaa│",
        "│KKKKKKZZZZZZZZZZZZZZZZZZZZ····U││KKKKKKhhhhhhhhhhhhhhhhhhhhhhhhT││aaaaaaaaaaaPPPPPPPPPPPPPPPPPPPP│",
        "│UUUUUUUUUUUUUUUUUUUUUUU·····   ││TTTTTTTTTTTTTTTTTT99999·····   ││PPPPPPPPPPPPXXXXXXXXXXXXXXXX   │",
        "│                               ││                               ││                               │",
        "└───────────────────────────────┘└───────────────────────────────┘└───────────────────────────────┘",
        "┌─ External fragmentation ── first ─ best ─ buddy ─────────────────────────────────────────────────┐",
        "│100%                            ⣀⣀⣀⣀               ⢀⣀⡀ ⢀⣀⣀⡀ ⢀⣀⣀⢀⣠⣤⣤ ⣀⣀⣀⣀⣀ ⢀⣀⣀⣀⣀⣀⢀⣀⣀⣀⣀⣀⣀⣠⣄⣀⣀⣀⣀⣀⣀⣀ ⢀│",
        "│                 ⣀          ⢀⡟⢯⡟⠉⠿⠯⠽⠿⣾⢭⣍⣉⡭⠽⣦⡿⠚⢻⣿⡿⠿⣟⣿⡏⣿⠽⠛⠛⡭⠿⡯⠿⠛⠻⠾⠿ ⢸⣤⡇  ⢀⣯⣟⣻⣴⡶⠼⢹⠻⠽⠯⣍⡭⣍⢹⢻⠓⡟⡗⠛⣿⣁⣉⡘⠚⠷⣾│",
        "│ 50% ⢤⣀ ⢀⣀       ⡟⠚⣧⡄ ⣤⡾⠛⠷⢶⡿⠟ ⠈⠁     ⠈⠉⠉⠈⠉⠙⡷⡿⠉⠉⠙⠃  ⣧⠤⠤⢶ ⢸⠁ ⠙⠒⠒⠒⠦⡄   ⡤⠤⠖⠚⠘⣾  ⣧⠼⠉   ⠿ ⠘⠚⠘⣶⠃⣇⡖⠃  ⠳⠼⠓⣿│",
        "│  0% ⣸⣯⠭⣿⣈⡷⠿⣦⣤⠤⣞⣉⡗⠦⠽⢳⣦⣿⡇  ⠘⠃               ⠉⠁      ⠿  ⠘⠚⠉       ⣇⣀⣰⠦⠇                    ⠘⠃       │",
        "│     0                                             ▲150                                        300│",
        "└──────────────────────────────────────────────────────────────────────────────────────────────────┘",
        " ❚❚ 150/300 ████████░░░░░░░░ 50.0%  10 op/s  ★ external  op 150: alloc id 94, 153 B",
        " RACE: first, best, buddy at step 150",
        ">",
        "F1 Help  F3 Metric  F4 Play  F12 Fail  F5 Zoom-  F6 Zoom+  F7 Slower  F8 Faster  F9 Stop    F10 Quit",
      ])
  }
}
