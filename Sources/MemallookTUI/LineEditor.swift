/// The command line: text, cursor, history and completion, without any terminal.
public struct LineEditor: Equatable, Sendable {
  /// What an editing key does (the key table says which key does which).
  public enum Edit: Equatable, Sendable, CaseIterable {
    case left, right, home, end
    case backspace, delete
    case deleteWord, deleteToStart, deleteToEnd
    case historyBack, historyForward
  }

  public private(set) var text: [Character] = []
  /// Insertion point, 0...text.count.
  public private(set) var cursor = 0
  public private(set) var history: [String]
  /// Position while browsing history with Up/Down; `history.count` means the line being typed.
  private var historyIndex: Int
  /// The line being typed before browsing history.
  private var draft: [Character] = []

  public init(history: [String] = []) {
    self.history = history
    historyIndex = history.count
  }

  /// The longest line kept: far past any command, short enough that a pasted file cannot
  /// make every frame redraw megabytes.
  public static let maximumLength = 4_096

  public var line: String { String(text) }
  public var isEmpty: Bool { text.isEmpty }

  /// Types `character` at the cursor; false, and nothing typed, when the line is `maximumLength` long.
  @discardableResult
  public mutating func insert(_ character: Character) -> Bool {
    guard text.count < Self.maximumLength else { return false }
    text.insert(character, at: cursor)
    cursor += 1
    return true
  }

  public mutating func apply(_ edit: Edit) {
    switch edit {
    case .left: cursor = max(0, cursor - 1)
    case .right: cursor = min(text.count, cursor + 1)
    case .home: cursor = 0
    case .end: cursor = text.count
    case .backspace:
      guard cursor > 0 else { return }
      text.remove(at: cursor - 1)
      cursor -= 1
    case .delete:
      guard cursor < text.count else { return }
      text.remove(at: cursor)
    case .deleteToStart:
      text.removeSubrange(0..<cursor)
      cursor = 0
    case .deleteToEnd:
      text.removeSubrange(cursor...)
    case .deleteWord:
      var start = cursor
      while start > 0, text[start - 1] == " " { start -= 1 }
      while start > 0, text[start - 1] != " " { start -= 1 }
      text.removeSubrange(start..<cursor)
      cursor = start
    case .historyBack: browse(by: -1)
    case .historyForward: browse(by: 1)
    }
  }

  /// Takes the line for execution: clears it and records it in the history.
  public mutating func submit() -> String {
    let submitted = line
    if !submitted.allSatisfy(\.isWhitespace), history.last != submitted { history.append(submitted) }
    text = []
    cursor = 0
    historyIndex = history.count
    draft = []
    return submitted
  }

  /// Completes the word before the cursor from `candidates` (case-insensitive prefix):
  /// a unique match is completed with a space, several extend to their common prefix.
  /// - Returns: the candidates that match.
  @discardableResult
  public mutating func complete(from candidates: [String]) -> [String] {
    var start = cursor
    while start > 0, text[start - 1] != " " { start -= 1 }
    let prefix = String(text[start..<cursor]).lowercased()
    let matches = candidates.filter { $0.lowercased().hasPrefix(prefix) }
    guard let first = matches.first else { return [] }
    var completion = first
    for match in matches.dropFirst() {
      completion = String(zip(completion, match).prefix { $0.lowercased() == $1.lowercased() }.map(\.0))
    }
    if matches.count == 1 { completion += " " }
    let isKeyword = start == 0
    let replacement = Array(isKeyword ? completion.uppercased() : completion)
    text.replaceSubrange(start..<cursor, with: replacement)
    cursor = start + replacement.count
    return matches
  }

  /// Index of the word the cursor is in (0 = the keyword) and the keyword.
  public var wordContext: (index: Int, keyword: String) {
    let before = String(text[0..<cursor])
    let words = before.split(separator: " ", omittingEmptySubsequences: true)
    let index = before.hasSuffix(" ") || before.isEmpty ? words.count : words.count - 1
    return (index, words.first.map { String($0).uppercased() } ?? "")
  }

  private mutating func browse(by step: Int) {
    guard !history.isEmpty else { return }
    if historyIndex == history.count { draft = text }
    historyIndex = min(history.count, max(0, historyIndex + step))
    text = historyIndex == history.count ? draft : Array(history[historyIndex])
    cursor = text.count
  }
}
