import MemallookCore

/// Where a key binding applies.
public struct KeyModes: OptionSet, Hashable, Sendable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  /// No DEFRAG animation runs and no help is shown.
  public static let normal = KeyModes(rawValue: 1)
  /// While a DEFRAG is animated.
  public static let animation = KeyModes(rawValue: 2)
  /// While the help screen is shown.
  public static let help = KeyModes(rawValue: 4)
  /// While a workload is loaded in the player (one policy).
  public static let player = KeyModes(rawValue: 8)
  /// While a workload races on several policies.
  public static let race = KeyModes(rawValue: 16)
  /// While the quiz asks where an ALLOC lands.
  public static let quiz = KeyModes(rawValue: 32)
  /// Where the player's keys apply: playing one policy or racing several.
  public static let playing: KeyModes = [.player, .race]
  /// Whenever the command line has the focus: all but the help.
  public static let commandLine: KeyModes = [.normal, .animation, .player, .race, .quiz]
  public static let always: KeyModes = [.normal, .animation, .help, .player, .race, .quiz]
}

extension KeyModes: CustomStringConvertible {
  public var description: String {
    let names = [
      (KeyModes.normal, "normal"), (.animation, "animation"), (.help, "help"), (.player, "player"),
      (.race, "race"),
      (.quiz, "quiz"),
    ]
    return names.filter { contains($0.0) }.map(\.1).joined(separator: "+")
  }
}

/// The keys a binding answers to.
public enum KeyPattern: Equatable, Sendable {
  case key(Key)
  /// Any printable character: it is typed.
  case printable
  /// Any key that no binding before this one takes.
  case anyKey

  func matches(_ key: Key) -> Bool {
    switch self {
    case .key(let bound): bound == key
    case .printable: if case .character = key { true } else { false }
    case .anyKey: true
    }
  }

  /// As the help and the F-key bar write it.
  public var name: String {
    switch self {
    case .key(let key): key.name
    case .printable: "letters"
    case .anyKey: "any key"
    }
  }
}

/// What a key does.
public enum KeyAction: Equatable, Sendable {
  case quit
  case showHelp, closeHelp
  /// Scrolls the help by this many lines (negative: back).
  case scrollHelp(Int)
  case submit, complete
  /// Types the character pressed.
  case type
  case edit(LineEditor.Edit)
  case defrag, skipAnimation
  case nextPolicy
  case zoomOut, zoomIn
  case slower, faster
  /// Scrolls the page grid by this many screens (negative: up).
  case scrollPages(Int)
  case selectNext, selectPrevious, clearSelection
  /// UNDO and REDO one step (in the player: one operation back or forward).
  case undo, redo
  case playPause, stepForward, stepBack
  /// Moves the player by this percentage of the workload (negative: back).
  case jump(Int)
  case toStart, toEnd
  case leavePlayer, nextMetric, togglePauseOnFailure
  /// Stops playing, or going to a step, where it is.
  case stopMoving
  /// Moves the quiz's cursor by cells and rows.
  case moveCursor(columns: Int, rows: Int)
  case guessCursor, guessFails
  /// JUMP: to where the workload goes wrong.
  case jumpTo(JumpTarget)
  /// The free structure panel on or off.
  case toggleStructure
  /// The next (or previous) entry of the free structure panel; its pages light up.
  case selectEntry(Int)
}

/// One line of the key table: keys, where they apply, what they do, and how the help and the bar name it.
public struct KeyBinding: Sendable {
  public let keys: [KeyPattern]
  public let modes: KeyModes
  /// Applies only while the command line is empty (otherwise the key does what a later binding says).
  public let onEmptyLine: Bool
  public let action: KeyAction
  /// Label on the F-key bar (after the first key's name); nil keeps it off the bar.
  public let bar: String?
  /// What the help says it does.
  public let help: String

  init(
    _ keys: [Key], in modes: KeyModes = .commandLine, onEmptyLine: Bool = false, _ action: KeyAction,
    bar: String? = nil, _ help: String
  ) {
    self.init(keys.map(KeyPattern.key), in: modes, onEmptyLine: onEmptyLine, action, bar: bar, help)
  }

  init(
    _ keys: [KeyPattern], in modes: KeyModes = .commandLine, onEmptyLine: Bool = false, _ action: KeyAction,
    bar: String? = nil, _ help: String
  ) {
    self.keys = keys
    self.modes = modes
    self.onEmptyLine = onEmptyLine
    self.action = action
    self.bar = bar
    self.help = help
  }

  /// The keys as the help lists them: "Home, Ctrl-A".
  public var names: String { keys.map(\.name).joined(separator: ", ") }

  /// The help's sentence, with where the binding applies when that is not everywhere.
  public var description: String {
    let contexts: [(KeyModes, String)] = [
      (.animation, "DEFRAG: "), (.help, "help: "), (.playing, "player: "), (.player, "player: "),
      (.race, "race: "), (.quiz, "quiz: "),
    ]
    let context = contexts.first { $0.0 == modes }?.1 ?? ""
    return context + help + (onEmptyLine ? " (empty line)" : "")
  }
}

/// The one key table: `Model.press`, the help screen, the F-key bar and the title are derived from it.
/// The first binding that matches the key, applies in the current mode and whose condition
/// holds wins; so a binding for one mode or an empty line comes before a general one.
public enum KeyTable {
  public static let bindings: [KeyBinding] = [
    KeyBinding([.function(1)], .showHelp, bar: "Help", "this help"),
    KeyBinding([.character("?")], onEmptyLine: true, .showHelp, "this help"),
    KeyBinding([.function(2)], in: .normal, .defrag, bar: "Defrag", "DEFRAG, animated (moves light up)"),
    KeyBinding([.escape, .function(2)], in: .animation, .skipAnimation, bar: "Skip", "skip to the end"),
    KeyBinding([.enter], in: .animation, onEmptyLine: true, .skipAnimation, "skip to the end"),
    KeyBinding(
      [.function(3)], in: [.normal, .animation, .player], .nextPolicy, bar: "Policy",
      "next placement policy (in the player: the workload on it)"),
    KeyBinding([.function(3)], in: .race, .nextMetric, bar: "Metric", "star the best on the next metric"),
    KeyBinding([.function(4)], in: .playing, .playPause, bar: "Play", "play or pause the workload"),
    KeyBinding([.character(" ")], in: .playing, onEmptyLine: true, .playPause, "play or pause"),
    KeyBinding([.right], in: .playing, onEmptyLine: true, .stepForward, "one operation forward"),
    KeyBinding([.left], in: .playing, onEmptyLine: true, .stepBack, "one operation back"),
    KeyBinding([.character("]")], in: .playing, onEmptyLine: true, .jump(10), "10% of the workload forward"),
    KeyBinding([.character("[")], in: .playing, onEmptyLine: true, .jump(-10), "10% of the workload back"),
    KeyBinding([.escape], in: .playing, onEmptyLine: true, .stopMoving, "stop playing (or a long jump) here"),
    KeyBinding([.home], in: .playing, onEmptyLine: true, .toStart, "to the start"),
    KeyBinding([.end], in: .playing, onEmptyLine: true, .toEnd, "to the end"),
    KeyBinding([.control("f")], in: .player, .togglePauseOnFailure, "pause on a failed ALLOC, or not"),
    KeyBinding(
      [.function(12)], in: .playing, .jumpTo(.failure), bar: "Fail", "JUMP failure: the next failed ALLOC"),
    KeyBinding([.character("f")], in: .playing, onEmptyLine: true, .jumpTo(.failure), "JUMP failure"),
    KeyBinding(
      [.character("F")], in: .playing, onEmptyLine: true, .jumpTo(.previousFailure), "JUMP -failure"),
    KeyBinding(
      [.character("p")], in: .playing, onEmptyLine: true, .jumpTo(.peak), "JUMP peak: most pages in use"),
    KeyBinding(
      [.character("w")], in: .playing, onEmptyLine: true, .jumpTo(.fragmentation), "JUMP fragmentation"),
    KeyBinding(
      [.left], in: .quiz, onEmptyLine: true, .moveCursor(columns: -1, rows: 0), "cursor a cell left"),
    KeyBinding(
      [.right], in: .quiz, onEmptyLine: true, .moveCursor(columns: 1, rows: 0), "cursor a cell right"),
    KeyBinding([.up], in: .quiz, onEmptyLine: true, .moveCursor(columns: 0, rows: -1), "cursor a row up"),
    KeyBinding([.down], in: .quiz, onEmptyLine: true, .moveCursor(columns: 0, rows: 1), "cursor a row down"),
    KeyBinding([.enter], in: .quiz, onEmptyLine: true, .guessCursor, "it lands at the cursor (or click)"),
    KeyBinding([.character("x")], in: .quiz, onEmptyLine: true, .guessFails, "it fails"),
    KeyBinding([.control("z")], .undo, "UNDO (in the player: an operation back)"),
    KeyBinding([.control("y")], .redo, "REDO (in the player: an operation forward)"),
    KeyBinding([.function(5)], .zoomOut, bar: "Zoom-", "zoom out: more pages a cell"),
    KeyBinding([.function(6)], .zoomIn, bar: "Zoom+", "zoom in: fewer pages a cell"),
    KeyBinding([.function(7)], .slower, bar: "Slower", "DEFRAG animation (or the player) slower"),
    KeyBinding([.function(8)], .faster, bar: "Faster", "DEFRAG animation (or the player) faster"),
    KeyBinding(
      [.function(9)], in: [.player, .race, .quiz], .leavePlayer, bar: "Stop", "leave the player (STOP)"),
    KeyBinding(
      [.function(11)], .toggleStructure, bar: "Lists", "the allocator's free lists beside the grid, or not"),
    KeyBinding([.shiftDown], .selectEntry(1), "next free list entry (or click): its pages light up"),
    KeyBinding([.shiftUp], .selectEntry(-1), "previous free list entry"),
    KeyBinding([.function(10), .control("c")], in: .always, .quit, bar: "Quit", "leave (so does QUIT)"),

    KeyBinding([.enter], .submit, "run the command typed"),
    KeyBinding([.printable], .type, "type at the prompt, also during DEFRAG"),
    KeyBinding([.tab], .complete, "complete a word (lists the choices)"),
    KeyBinding([.left], .edit(.left), "cursor left"),
    KeyBinding([.right], .edit(.right), "cursor right"),
    KeyBinding([.home, .control("a")], .edit(.home), "cursor to the start of the line"),
    KeyBinding([.end, .control("e")], .edit(.end), "cursor to the end of the line"),
    KeyBinding([.backspace], .edit(.backspace), "delete the character before the cursor"),
    KeyBinding([.delete], .edit(.delete), "delete the character at the cursor"),
    KeyBinding([.control("w")], .edit(.deleteWord), "delete the word before the cursor"),
    KeyBinding([.control("u")], .edit(.deleteToStart), "delete to the start of the line"),
    KeyBinding([.control("k")], .edit(.deleteToEnd), "delete to the end of the line"),
    KeyBinding([.up], .edit(.historyBack), "previous line of the history"),
    KeyBinding([.down], .edit(.historyForward), "next line of the history"),

    KeyBinding([.pageUp], .scrollPages(-1), "scroll the pages up (or mouse wheel)"),
    KeyBinding([.pageDown], .scrollPages(1), "scroll the pages down"),
    KeyBinding([.control("n")], .selectNext, "select the next allocation (or click)"),
    KeyBinding([.control("p")], .selectPrevious, "select the previous allocation"),
    KeyBinding([.escape], in: .normal, .clearSelection, "clear the selection"),

    KeyBinding([.up], in: .help, .scrollHelp(-1), "scroll up"),
    KeyBinding([.down], in: .help, .scrollHelp(1), "scroll down"),
    KeyBinding([.pageUp], in: .help, .scrollHelp(-10), "scroll a page up"),
    KeyBinding([.pageDown], in: .help, .scrollHelp(10), "scroll a page down"),
    KeyBinding([.key(.escape), .anyKey], in: .help, .closeHelp, bar: "Close", "close it"),
  ]

  /// The binding `key` triggers in `mode`, given whether the command line is empty.
  public static func binding(for key: Key, in mode: KeyModes, lineIsEmpty: Bool) -> KeyBinding? {
    bindings.first { binding in
      binding.modes.contains(mode) && (!binding.onEmptyLine || lineIsEmpty)
        && binding.keys.contains { $0.matches(key) }
    }
  }

  /// The F-key bar in `mode`: each flagged binding's first key and its label.
  public static func bar(in mode: KeyModes) -> [(key: String, label: String)] {
    bindings.compactMap { binding in
      guard let label = binding.bar, binding.modes.contains(mode) else { return nil }
      return (binding.keys[0].name, label)
    }
  }

  /// The first key bound to `action` (for the title bar).
  public static func firstKey(for action: KeyAction) -> String {
    bindings.first { $0.action == action }?.keys.first?.name ?? ""
  }
}

extension Key {
  /// As the help and the F-key bar write it: "F1", "Ctrl-A", "PgUp".
  public var name: String {
    switch self {
    case .character(" "): "Space"
    case .character(let character): String(character)
    case .control(let letter): "Ctrl-" + letter.uppercased()
    case .enter: "Enter"
    case .tab: "Tab"
    case .backspace: "Backspace"
    case .delete: "Delete"
    case .escape: "Esc"
    case .left: "Left"
    case .right: "Right"
    case .up: "Up"
    case .down: "Down"
    case .home: "Home"
    case .end: "End"
    case .pageUp: "PgUp"
    case .pageDown: "PgDn"
    case .shiftUp: "Shift-Up"
    case .shiftDown: "Shift-Down"
    case .function(let number): "F\(number)"
    }
  }
}
