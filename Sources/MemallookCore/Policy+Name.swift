extension Policy {
  /// The policy a user's word names: `best`, `Best`, `best-fit`, `best_fit` or `bestfit`.
  public init?(name: String) {
    var name = name.lowercased()
    for suffix in ["-fit", "_fit", "fit"] where name.hasSuffix(suffix) && name.count > suffix.count {
      name.removeLast(suffix.count)
      break
    }
    self.init(rawValue: name)
  }

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
