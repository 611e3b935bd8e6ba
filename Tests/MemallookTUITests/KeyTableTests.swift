import Foundation
import MemallookCore
import Testing

@testable import MemallookTUI

/// The key table is the one source of key handling, the help screen and the F-key bar:
/// these tests walk it, so a binding added there is checked here without another list.
@Suite struct KeyTableTests {
  /// Every binding with a mode it applies in: one case per binding and mode.
  static let cases: [(index: Int, mode: KeyModes)] = KeyTable.bindings.indices.flatMap { index in
    [KeyModes.normal, .animation, .help].filter { KeyTable.bindings[index].modes.contains($0) }
      .map { (index, $0) }
  }

  @Test(arguments: KeyTable.bindings.indices)
  func everyBindingIsInTheHelp(index: Int) {
    let binding = KeyTable.bindings[index]
    var driver = Driver(width: 160, height: 60)
    driver.press(.function(1))
    #expect(driver.model.helpScrollLimit == 0, "the whole help fits in 160×60")
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

  @Test(arguments: [KeyModes.normal, .animation, .help])
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
        "F1 Help  F2 Defrag  F3 Policy  F5 Zoom-  F6 Zoom+  F7 Slower  F8 Faster  F10 Quit  ") == true)
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
    driver.model.zoom = 2
    driver.model.gridTopRow = 3
    driver.model.selectedTag = 3
    if mode == .animation {
      driver.type("DEFRAG")
      try #require(driver.model.animation != nil)
    }
    if !emptyLine {
      driver.type("ALLOC 16 32", enter: false)
      driver.press(.left, .left)
    }
    if mode == .help {
      driver.press(.function(1))
      driver.model.helpTop = 3
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
      #expect(after.heap?.allocation(tag: 5) == nil, "ALLOC 16 32 does not parse: nothing allocated")
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
    case .nextPolicy: #expect(after.heap?.policy == .next, context)
    case .zoomOut: #expect(after.zoom == 4, context)
    case .zoomIn: #expect(after.zoom == 1, context)
    case .slower: #expect(after.stepMilliseconds > before.stepMilliseconds, context)
    case .faster: #expect(after.stepMilliseconds < before.stepMilliseconds, context)
    case .scrollPages(let screens):
      #expect((after.gridTopRow - before.gridTopRow).signum() == screens.signum(), context)
    case .selectNext: #expect(after.selectedTag == 4, context)
    case .selectPrevious: #expect(after.selectedTag == 2, context)
    case .clearSelection: #expect(after.selectedTag == nil, context)
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
