/// A JSON value whose objects keep their keys in the order written, printed the way
/// docs/openapi.json is laid out (two-space indent, one member per line).
indirect enum JSONText: Sendable, Equatable {
  case object([(String, JSONText)])
  case array([JSONText])
  case string(String)
  case integer(Int)
  case bool(Bool)

  static func == (left: JSONText, right: JSONText) -> Bool { left.rendered() == right.rendered() }

  /// The text, its first line unindented and the others indented by `level` steps.
  func rendered(level: Int = 0) -> String {
    let inner = String(repeating: "  ", count: level + 1)
    let outer = String(repeating: "  ", count: level)
    switch self {
    case .object(let members) where members.isEmpty: return "{}"
    case .array(let elements) where elements.isEmpty: return "[]"
    case .object(let members):
      let lines = members.map { "\(inner)\(Self.quoted($0.0)): \($0.1.rendered(level: level + 1))" }
      return "{\n" + lines.joined(separator: ",\n") + "\n\(outer)}"
    case .array(let elements):
      let lines = elements.map { inner + $0.rendered(level: level + 1) }
      return "[\n" + lines.joined(separator: ",\n") + "\n\(outer)]"
    case .string(let text): return Self.quoted(text)
    case .integer(let value): return String(value)
    case .bool(let value): return String(value)
    }
  }

  /// `text` as a JSON string literal.
  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case "\r": result += "\\r"
      case _ where scalar.value < 0x20:
        result +=
          "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
          + String(scalar.value, radix: 16)
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
