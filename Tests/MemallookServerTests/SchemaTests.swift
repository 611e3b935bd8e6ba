import Foundation
import MemallookCore
import Testing

@testable import MemallookServer

/// The OpenAPI document's schemas are written by hand: each DTO, encoded from real values,
/// must validate against its schema, and must have no field the schema leaves out.
@Suite struct SchemaTests {
  nonisolated(unsafe) static let schemas: [String: Any] = {
    let document = try! JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as! [String: Any]
    let components = document["components"] as! [String: Any]
    return components["schemas"] as! [String: Any]
  }()

  /// Every reply a session can give, from a session that made each of them.
  static func replies() throws -> [Reply] {
    var session = Session(seed: 1)
    var replies = [try session.apply(.new(pageSize: 16, pageCount: 64))]
    for command: Command in [
      .new(pageSize: 16, pageCount: 64), .alloc(bytes: 40), .alloc(bytes: 16), .dealloc(tag: "1"),
      .realloc(tag: "2", bytes: 100), .show(), .defrag(), .policy(.best), .undo(), .undo(steps: 9), .redo(),
      .redo(steps: 9), .goto(step: 1), .history(), .branch(.worst), .stats, .help, .quit, .reset, .reset,
    ] {
      replies.append(try session.apply(command))
    }
    return replies
  }

  @Test func everyReplyValidatesAgainstTheReplySchema() throws {
    for reply in try Self.replies() { try Self.expectValid(ReplyDTO(reply), "Reply", "\(reply)") }
  }

  @Test func theHeapAndMetricsValidate() throws {
    var session = Session(seed: 1)
    _ = try session.apply(.new(pageSize: 16, pageCount: 64))
    _ = try session.apply(.alloc(bytes: 40))
    let heap = try #require(session.heap)
    try Self.expectValid(HeapDTO(heap), "Heap", "heap")
    try Self.expectValid(MetricsDTO(heap.metrics), "Metrics", "metrics")
    try Self.expectValid(ErrorDTO(error: "no_heap", message: "no heap"), "Error", "error")
  }

  @Test func replaySummariesValidate() throws {
    let trace = try Trace(parsing: Array("+10,+20,-0,+5".utf8))
    let summaries = try Policy.allCases.map { policy throws(CommandError) in
      try trace.replay(ReplaySettings(policy: policy, timelineInterval: 1))
    }
    try Self.expectValid(summaries, "ReplaySummaries", "compare")
    try Self.expectValid(summaries[0], "ReplaySummary", "replay")
  }

  /// The codes errors carry are the schema's enumeration.
  @Test func everyErrorCodeIsEnumerated() throws {
    let error = try #require(Self.schemas["Error"] as? [String: Any])
    let properties = try #require(error["properties"] as? [String: Any])
    let codes = try #require((properties["error"] as? [String: Any])?["enum"] as? [String])
    let errors: [CommandError] = [
      .noHeap, .invalidParameter(name: "M", value: "0", expected: ""),
      .heapTooLarge(pageSize: 1, pageCount: 1),
      .allocationFailed(bytes: 1, pagesNeeded: 1, pagesFree: 0, longestFreeRun: 0), .unknownTag("1"),
      .tagsExhausted(limit: 1),
      .reallocationFailed(tag: 1, bytes: 1, pagesNeeded: 1, pagesFree: 0, longestFreeRun: 0),
      .unknownTagToReallocate("1"), .refusedUnderBuddy("DEFRAG"), .buddyNeedsAnEmptyHeap(live: 1),
      .noSuchStep(step: 1, first: 0, last: 0), .syntax(ParseError("", column: nil)),
    ]
    for error in errors { #expect(codes.contains(error.code), "\(error.code)") }
  }

  static func expectValid(_ value: some Encodable, _ schema: String, _ what: String) throws {
    let data = try JSONEncoder().encode(value)
    let json = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    let problems = validate(json, against: ["$ref": "#/components/schemas/\(schema)"], at: what)
    #expect(problems.isEmpty, "\(problems)")
  }

  /// The JSON Schema subset the document uses: $ref, type, required, properties (no others
  /// allowed here, so a field missing from the document is found), items, enum.
  static func validate(_ value: Any, against schema: [String: Any], at path: String) -> [String] {
    if let reference = schema["$ref"] as? String {
      let name = String(reference.split(separator: "/").last ?? "")
      guard let target = schemas[name] as? [String: Any] else { return ["\(path): no schema \(name)"] }
      return validate(value, against: target, at: path)
    }
    var problems: [String] = []
    if let choices = schema["enum"] as? [String], let text = value as? String, !choices.contains(text) {
      problems.append("\(path): \(text) is not one of \(choices)")
    }
    switch schema["type"] as? String {
    case "object":
      guard let object = value as? [String: Any] else { return ["\(path): not an object"] }
      let properties = schema["properties"] as? [String: Any] ?? [:]
      for name in schema["required"] as? [String] ?? [] where object[name] == nil {
        problems.append("\(path): \(name) is required")
      }
      for (name, field) in object {
        guard let property = properties[name] as? [String: Any] else {
          problems.append("\(path): \(name) is not in the schema")
          continue
        }
        problems += validate(field, against: property, at: "\(path).\(name)")
      }
    case "array":
      guard let array = value as? [Any] else { return ["\(path): not an array"] }
      for (index, item) in array.enumerated() {
        problems += validate(item, against: schema["items"] as? [String: Any] ?? [:], at: "\(path)[\(index)]")
      }
    case "string": if !(value is String) { problems.append("\(path): not a string") }
    case "integer":
      // (JSONSerialization reads 0 and 1 as numbers that are also Bool: only the text tells.)
      if (value as? NSNumber).map({ $0.stringValue.contains(where: ".eE".contains) }) ?? true {
        problems.append("\(path): not an integer")
      }
    case "number": if !(value is NSNumber) { problems.append("\(path): not a number") }
    case "boolean": if !(value is NSNumber) { problems.append("\(path): not a boolean") }
    default: break
    }
    return problems
  }
}
