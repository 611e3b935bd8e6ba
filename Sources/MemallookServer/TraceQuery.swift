import Hummingbird
import MemallookCore

/// The query parameters of a trace route, names case-insensitive.
struct TraceQuery {
  private var values: [String: String] = [:]

  init(_ request: Request) {
    for (name, value) in request.uri.queryParameters { values[String(name).lowercased()] = String(value) }
  }

  func positive(_ name: String, _ expected: String) throws(CommandError) -> Int? {
    guard let text = values[name] else { return nil }
    guard let value = Int(text), value > 0, String(value) == text else {
      throw .invalidParameter(name: name, value: text, expected: expected)
    }
    return value
  }

  func policy() throws(CommandError) -> Policy? {
    guard let text = values["policy"] else { return nil }
    guard let policy = Policy(name: text) else {
      throw .invalidParameter(name: "policy", value: text, expected: Expectation.policy)
    }
    return policy
  }

  func policies() throws(CommandError) -> [Policy] {
    guard let text = values["policies"] else { return Policy.allCases }
    switch Policy.list(text) {
    case .success(let policies): return policies
    case .failure: throw .invalidParameter(name: "policies", value: text, expected: Expectation.policies)
    }
  }

  func format() throws(CommandError) -> Trace.Format? {
    guard let text = values["trace-format"] else { return nil }
    guard let format = Trace.Format(rawValue: text.lowercased()) else {
      throw .invalidParameter(name: "trace-format", value: text, expected: "rep, ostep or mtrace")
    }
    return format
  }

  /// `strict=true`: what real traces contain is refused (400), as `--strict` does.
  func strict() throws(CommandError) -> Bool {
    guard let text = values["strict"] else { return false }
    switch text.lowercased() {
    case "true", "1", "yes": return true
    case "false", "0", "no": return false
    default: throw .invalidParameter(name: "strict", value: text, expected: "true or false")
    }
  }
}
