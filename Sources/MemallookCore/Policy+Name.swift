extension Policy {
  /// The policy a user's word names, in any case: its name (`best`), the name with
  /// `-fit`, `_fit` or `fit` after it (`best-fit`), or one of its aliases. The one
  /// parser of policy names: the language, the CLI, the screen's commands and HTTP use it.
  public init?(name: String) {
    var name = name.lowercased()
    if let policy = Policy.allCases.first(where: { $0.row.aliases.contains(name) }) {
      self = policy
      return
    }
    for suffix in ["-fit", "_fit", "fit"] where name.hasSuffix(suffix) && name.count > suffix.count {
      name.removeLast(suffix.count)
      break
    }
    self.init(rawValue: name)
  }

  /// Every policy's name, for help texts: "first, next, best, worst, buddy".
  public static let names = allCases.map(\.rawValue).joined(separator: ", ")

  /// Every policy's name, the last after "or": "first, next, best, worst or buddy".
  public static let namesWithOr =
    allCases.dropLast().map(\.rawValue).joined(separator: ", ") + " or " + allCases.last!.rawValue

  /// `first,best` → `[.first, .best]` (each once, in order); nil names the first unknown word.
  public static func list(_ text: String) -> Result<[Policy], ParseError> {
    var chosen: [Policy] = []
    for word in text.split(separator: ",", omittingEmptySubsequences: false) {
      let name = String(word).trimmingCharacters(in: " ")
      guard let policy = Policy(name: name) else {
        return .failure(ParseError("unknown policy \"\(name)\": expected \(Expectation.policy)", column: nil))
      }
      if !chosen.contains(policy) { chosen.append(policy) }
    }
    return .success(chosen)
  }
}

extension String {
  /// The string without `character` at either end.
  fileprivate func trimmingCharacters(in character: Character) -> String {
    String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
  }
}

extension Expectation {
  public static let policies = "policies separated by commas, each " + policy
  public static let timeline = "a positive whole number of operations"
}
