import Foundation
import MemallookCore
import Testing

@testable import MemallookTUI

/// The key table is the one source of key handling, the help screen and the F-key bar:
/// these tests walk it, so a binding added there is checked here without another list.
@Suite struct KeyTableTests {
  static let allModes: [KeyModes] = [.normal, .animation, .help, .player, .race, .quiz]

  /// Every binding with a mode it applies in: one case per binding and mode.
  static let cases: [(index: Int, mode: KeyModes)] = KeyTable.bindings.indices.flatMap { index in
    allModes.filter { KeyTable.bindings[index].modes.contains($0) }
      .map { (index, $0) }
  }

  @Test(arguments: KeyTable.bindings.indices)
  func everyBindingIsInTheHelp(index: Int) {
    let binding = KeyTable.bindings[index]
    var driver = Driver(width: 160, height: 64)
    driver.press(.function(1))
    #expect(driver.model.helpScrollLimit == 0, "the whole help fits in 160×64")
    #expect(Self.lists(driver.lines, binding), "\(binding.names): \(binding.description)")
  }

  /// Whether a line shows the binding's keys, then (after spaces) its description.
  static func lists(_ lines: [String], _ binding: KeyBinding) -> Bool {
    lines.contains { line in
      var rest = line[...]
      while let range = rest.range(of: binding.names) {
        if rest[range.upperBound...].drop(while: { $0 == " " }).hasPrefix(binding.description) { return true }
        rest = rest[range.upperBound...]
      }
      return false
    }
  }

  @Test(arguments: allModes)
  func theBarShowsTheBindingsFlaggedForIt(mode: KeyModes) throws {
    var driver = try Self.driver(in: mode)
    driver.send(.resize(width: 160, height: 40))
    let flagged = KeyTable.bindings.filter { $0.bar != nil && $0.modes.contains(mode) }
    #expect(!flagged.isEmpty)
    let bar = flagged.map { "\($0.keys[0].name) \($0.bar!)" }.joined(separator: "  ")
    let bottom = try #require(driver.lines.last)
    #expect(bottom.hasPrefix(bar + "  "), "\(bottom)")
    #expect(bottom.dropFirst(bar.count).allSatisfy { $0 == " " })
  }

  @Test func theTitleNamesTheHelpAndQuitKeys() {
    let title = Driver().lines[0]
    #expect(title.hasSuffix("F1 help  F10 quit "))
  }

  @Test func theNormalBarReadsLikeAFunctionKeyBar() {
    #expect(
      Driver(width: 120).lines.last?.hasPrefix(
        "F1 Help  F2 Defrag  F3 Policy  F5 Zoom-  F6 Zoom+  F7 Slower  F8 Faster  F11 Lists  F10 Quit  ")
        == true)
  }

  /// Pressing each key of each binding, in each mode it applies in, does what its action says.
  @Test(arguments: cases)
  func pressingTheKeyDoesWhatItsEntrySays(index: Int, mode: KeyModes) throws {
    let binding = KeyTable.bindings[index]
    for pattern in binding.keys {
      let key: Key =
        switch pattern {
        case .key(let key): key
        case .printable: .character("x")
        case .anyKey: .character("x")
        }
      var driver = try Self.driver(in: mode, emptyLine: binding.onEmptyLine)
      let before = driver.model
      driver.press(key)
      Self.expect(binding.action, before: before, after: driver, key: key, mode: mode)
    }
  }

  /// A driver in `mode`, with a heap of 20,000 one-byte pages holding tags 2, 3 and 4 (tag 1
  /// freed, so DEFRAG has moves), the grid zoomed to two pages a cell and scrolled a little,
  /// tag 3 selected, `ALLOC 16 32` typed with the cursor before `32` (or an empty line), and a history.
  static func driver(in mode: KeyModes, emptyLine: Bool = false) throws -> Driver {
    var driver = Driver(width: 100, height: 20)
    for line in ["NEW 1 20000", "ALLOC 16", "ALLOC 32", "ALLOC 16", "ALLOC 16", "DEALLOC 1"] {
      driver.type(line)
    }
    driver.model.grid.zoom = 2
    driver.model.grid.topRow = 3
    driver.model.grid.selectedTag = 3
    if mode == .animation {
      driver.type("DEFRAG")
      try #require(driver.model.animation != nil)
    }
    if [.player, .race, .quiz].contains(mode) {
      // A workload on 20,000 pages, 100 operations in, a live allocation selected.
      driver.type("GENERATE seed=5 ops=300 max-bytes=2000 N=20000")
      driver.model.grid.zoom = 2
      driver.type("GOTO 100")
      if mode != .player { driver.type(mode == .race ? "RACE first next best" : "QUIZ") }
      try #require(driver.model.playback?.player.position ?? 0 > 0)
      driver.model.grid.topRow = 3
      driver.model.grid.selectedTag = driver.model.heap?.allocationsInTagOrder.dropFirst().first?.tag
      driver.model.playback?.quiz?.cursor = 200
    }
    if !emptyLine {
      driver.type("ALLOC 16 32", enter: false)
      driver.press(.left, .left)
    }
    if mode == .help {
      driver.press(.function(1))
      driver.model.help?.top = 3
      try #require(driver.model.helpScrollLimit > 3)
    }
    try #require(driver.model.keyMode == mode)
    return driver
  }

  /// What each action must do, from the model before and the driver after. Exhaustive:
  /// a new action does not compile until it says here what it does.
  static func expect(_ action: KeyAction, before: Model, after driver: Driver, key: Key, mode: KeyModes) {
    let after = driver.model
    let context = Comment(rawValue: "\(key.name) in \(mode): \(action)")
    switch action {
    case .quit: #expect(driver.quit, context)
    case .showHelp: #expect(after.showingHelp && !before.showingHelp, context)
    case .closeHelp:
      #expect(!after.showingHelp, context)
      #expect(after.editor == before.editor, "the key that closes the help is not typed")
    case .scrollHelp(let rows):
      #expect(after.showingHelp, context)
      #expect(after.helpTop == max(0, min(before.helpTop + rows, before.helpScrollLimit)), context)
      #expect(after.helpTop != before.helpTop, context)
    case .submit:
      #expect(after.editor.isEmpty, context)
      #expect(after.metrics == before.metrics, "ALLOC 16 32 does not parse: nothing allocated")
      #expect(after.status?.isError == true, context)
      #expect(after.editor.history.last == "ALLOC 16 32", context)
    case .complete:
      #expect(after.editor.line == "ALLOC 16 32", "nothing completes a number: \(context)")
    case .type:
      guard case .character(let character) = key else {
        Issue.record("typed a non-character: \(context)")
        return
      }
      #expect(after.editor.line == "ALLOC 16 \(character)32", context)
    case .edit(let edit):
      expect(edit, before: before.editor, after: after.editor, context)
    case .defrag:
      #expect(after.animation?.planned == 3, context)
    case .skipAnimation:
      #expect(after.animation == nil, context)
      #expect(after.heap?.allocation(tag: 2)?.firstPage == 0, "compacted: \(context)")
    case .nextPolicy:
      #expect(after.heap?.policy == .next, context)
      #expect(
        after.playback?.player.position == before.playback?.player.position, "the player keeps its step")
    case .zoomOut: #expect(after.zoom == 4, context)
    case .zoomIn: #expect(after.zoom == 1, context)
    case .slower, .faster:
      let slower = action == .slower
      if let speed = after.playback?.speedIndex, let old = before.playback?.speedIndex {
        #expect(slower ? speed < old : speed > old, context)
      } else {
        let (new, old) = (after.stepMilliseconds, before.stepMilliseconds)
        #expect(slower ? new > old : new < old, context)
      }
    case .scrollPages(let screens):
      #expect((after.gridTopRow - before.gridTopRow).signum() == screens.signum(), context)
    case .selectNext, .selectPrevious:
      let tags = before.heap?.allocationsInTagOrder.map(\.tag) ?? []
      let index = tags.firstIndex(of: before.selectedTag ?? -1) ?? 0
      let step = action == .selectNext ? 1 : -1
      #expect(after.selectedTag == tags[(index + step + tags.count) % tags.count], context)
    case .clearSelection: #expect(after.selectedTag == nil && after.grid.selectedRun == nil, context)
    case .jumpTo(let target):
      let moved = after.playback?.player.position != before.playback?.player.position
      let waiting = after.playback?.pendingJump == target
      let none = after.status?.text.hasPrefix("no failure") == true
      #expect(moved || waiting || none, context)
    case .toggleStructure: #expect(after.showsStructure != before.showsStructure, context)
    case .selectEntry:
      if Layout(model: before).structure != nil {
        #expect(after.grid.selectedRun != nil && after.grid.selectedRun != before.grid.selectedRun, context)
      } else {
        #expect(after.status?.text.hasPrefix("the free structure panel is off") == true, context)
      }
    case .undo, .redo:
      let step = action == .undo ? -1 : 1
      if let position = before.playback?.player.position, before.playback?.quiz != nil {
        // The quiz goes by questions: back to the ALLOC asked before, or past this one.
        #expect(((after.playback?.player.position ?? 0) - position).signum() == step, context)
        #expect(after.playback?.quiz?.asked == before.playback?.quiz?.asked, "not scored: \(context)")
      } else if let position = before.playback?.player.position {
        #expect(after.playback?.player.position == position + step, context)
      } else if action == .undo {
        #expect(driver.session.history.step == before.session.history.step - 1, context)
        #expect(after.heap?.allocation(tag: 1) != nil, "DEALLOC 1 undone: \(context)")
      } else {
        #expect(after.status?.text == "nothing to redo", context)
      }
    case .playPause: #expect(after.playback?.playing == !(before.playback?.playing ?? true), context)
    case .stopMoving:
      #expect(after.playback?.playing == false && after.playback?.seekTarget == nil, context)
      #expect(after.playback?.player.position == before.playback?.player.position, context)
    case .stepForward, .stepBack, .jump, .toStart, .toEnd:
      let player = try! #require(before.playback?.player)
      let expected =
        switch action {
        case .stepForward: player.position + 1
        case .stepBack: player.position - 1
        case .jump(let percent): player.position + player.count * percent / 100
        case .toStart: 0
        default: player.count
        }
      #expect(after.playback?.player.position == expected, context)
      #expect(after.playback?.playing == false, context)
    case .leavePlayer:
      #expect(after.playback == nil && before.playback != nil, context)
      #expect(after.heap?.id == before.session.heap?.id, "back to your heap: \(context)")
    case .nextMetric: #expect(after.playback?.metric == before.playback?.metric.next, context)
    case .togglePauseOnFailure:
      #expect(after.playback?.pausesOnFailure == !(before.playback?.pausesOnFailure ?? true), context)
    case .moveCursor(let columns, let rows):
      let moved = (after.playback?.quiz?.cursor ?? 0) - (before.playback?.quiz?.cursor ?? 0)
      #expect(moved.signum() == (columns + rows).signum(), context)
      #expect(
        abs(moved) == 2 * (rows == 0 ? 1 : Layout(model: before).columns), "a cell is 2 pages: \(context)")
    case .guessCursor, .guessFails:
      #expect(after.playback?.quiz?.asked == (before.playback?.quiz?.asked ?? 0) + 1, context)
      let guess: Quiz.Guess = action == .guessFails ? .fails : .page(200)
      #expect(after.playback?.quiz?.answer?.guess == guess, context)
    }
  }

  /// What each edit does to `ALLOC 16 32` with the cursor before `32`.
  static func expect(_ edit: LineEditor.Edit, before: LineEditor, after: LineEditor, _ context: Comment) {
    let last = before.history.last ?? ""
    let expected: (line: String, cursor: Int) =
      switch edit {
      case .left: ("ALLOC 16 32", 8)
      case .right: ("ALLOC 16 32", 10)
      case .home: ("ALLOC 16 32", 0)
      case .end: ("ALLOC 16 32", 11)
      case .backspace: ("ALLOC 1632", 8)
      case .delete: ("ALLOC 16 2", 9)
      case .deleteWord: ("ALLOC 32", 6)
      case .deleteToStart: ("32", 0)
      case .deleteToEnd: ("ALLOC 16 ", 9)
      case .historyBack: (last, last.count)
      case .historyForward: ("ALLOC 16 32", 11)  // back at the line being typed
      }
    #expect(before.line == "ALLOC 16 32" && before.cursor == 9)
    #expect(after.line == expected.line, context)
    #expect(after.cursor == expected.cursor, context)
  }
}

@Suite struct KeyDocumentationTests {
  /// docs/commands.md lists the keys as the table has them, one row per binding.
  @Test(arguments: KeyTable.bindings.indices)
  func theKeysInTheDocsAreTheKeyTable(index: Int) throws {
    let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/commands.md")
    let text = try String(contentsOf: docs, encoding: .utf8)
    let binding = KeyTable.bindings[index]
    #expect(text.contains("| \(binding.names) | \(binding.description) |"))
  }
}
