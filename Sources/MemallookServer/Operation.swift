import MemallookCore

/// How the OpenAPI document describes a route; `json(path:)` builds its operation object.
struct Operation: Sendable {
  /// A parameter a command route reads from the query, a form or a JSON body.
  struct Parameter: Sendable {
    let name: String
    let description: String
    /// Positive integers have a minimum of 1; others are strings.
    let positiveInteger: Bool

    static let pageSize = Parameter(name: "p", description: "page size in bytes", positiveInteger: true)
    static let pageCount = Parameter(name: "N", description: "number of pages", positiveInteger: true)
    static let policy = Parameter(
      name: "policy", description: Policy.namesWithOr, positiveInteger: false)
    static let bytes = Parameter(name: "M", description: "bytes", positiveInteger: true)
    static let tag = Parameter(name: "tag", description: "the tag", positiveInteger: false)
    static let width = Parameter(
      name: "width", description: "pages per row, 1 to 1024, default 16", positiveInteger: true)
    static let steps = Parameter(
      name: "steps", description: "how many changes, default 1", positiveInteger: true)
    static let step = Parameter(
      name: "step", description: "a step of the history, 0 being the empty heap after NEW",
      positiveInteger: false)
    static let moves = Parameter(
      name: "moves", description: "make only the next moves of the plan, default all", positiveInteger: true)
    static let count = Parameter(
      name: "count", description: "how many steps, default 10", positiveInteger: true)
  }

  /// What a success looks like.
  enum Answer: Sendable, Equatable {
    /// Text by default, the Reply object in JSON on request.
    case textOrReply
    /// JSON only: a schema of the components, or any object.
    case json(schema: String?)
    case text
    case eventStream
  }

  /// What the body carries.
  enum Body: Sendable {
    /// The declared parameters as a form or a JSON object (they may come in the query instead).
    case parameters
    /// One line of the command language.
    case commandLine
    /// A trace (`.rep` or an OSTEP list), as text.
    case trace
    /// Nothing.
    case none
  }

  var summary: String
  var parameters: [Parameter] = []
  var body = Body.parameters
  var answer = Answer.textOrReply
  var replies: [(status: Int, description: String)]
  /// Failures particular to the operation (400, 401, 405, 408, 413 and 503 follow from the rest).
  var errors: [Int] = []
  var needsToken = true

  init(
    summary: String, parameters: [Parameter] = [], body: Body? = nil, answer: Answer = .textOrReply,
    replies: [(status: Int, description: String)], errors: [Int] = [], needsToken: Bool = true
  ) {
    self.summary = summary
    self.parameters = parameters
    self.body = body ?? (answer == .textOrReply ? .parameters : .none)
    self.answer = answer
    self.replies = replies
    self.errors = errors
    self.needsToken = needsToken
  }

  /// The operation object of the route at `path` (router syntax).
  func json(path: String) -> JSONText {
    var members: [(String, JSONText)] = [("summary", .string(summary))]
    if !needsToken { members.append(("security", .array([.object([])]))) }
    var listed = parameters.map(\.queryParameter)
    for segment in path.split(separator: "/") where segment.hasPrefix(":") {
      listed.append(
        .object([
          ("name", .string(String(segment.dropFirst()))), ("in", .string("path")), ("required", .bool(true)),
          ("schema", .object([("type", .string("string"))])),
        ]))
    }
    if answer == .textOrReply {
      listed.append(.object([("$ref", .string("#/components/parameters/format"))]))
    }
    if !listed.isEmpty { members.append(("parameters", .array(listed))) }
    if let requestBody { members.append(("requestBody", requestBody)) }
    members.append(("responses", responses))
    return .object(members)
  }

  private var requestBody: JSONText? {
    switch body {
    case .none: return nil
    case .parameters:
      guard !parameters.isEmpty else { return nil }
      let either: JSONText = .object([("type", .array([.string("integer"), .string("string")]))])
      let schema: JSONText = .object([
        ("type", .string("object")), ("properties", .object(parameters.map { ($0.name, either) })),
        ("required", .array([])),
      ])
      return .object([
        ("required", .bool(false)),
        (
          "content",
          .object([
            ("application/json", .object([("schema", schema)])),
            ("application/x-www-form-urlencoded", .object([("schema", schema)])),
          ])
        ),
      ])
    case .trace:
      let schema: JSONText = .object([
        ("type", .string("string")), ("example", .string("100\n2\n3\n1\na 0 16\na 1 32\nf 0\n")),
      ])
      return .object([
        ("required", .bool(true)), ("content", .object([("text/plain", .object([("schema", schema)]))])),
      ])
    case .commandLine:
      let schema: JSONText = .object([("type", .string("string")), ("example", .string("ALLOC 16"))])
      return .object([
        ("required", .bool(true)), ("content", .object([("text/plain", .object([("schema", schema)]))])),
      ])
    }
  }

  private var responses: JSONText {
    var failures = Set(errors).union([405])
    if needsToken { failures.insert(401) }
    // A body can be malformed, too slow, too large, or find the server holding too many;
    // a change can find the state file held, and a trace the replay lane full.
    if body != .none { failures.formUnion([400, 408, 413, 503]) }
    var members: [(status: Int, JSONText)] = replies.map { reply in
      (reply.status, .object([("description", .string(reply.description)), ("content", content)]))
    }
    members += failures.map { ($0, .object([("$ref", .string("#/components/responses/E\($0)"))])) }
    return .object(members.sorted { $0.status < $1.status }.map { (String($0.status), $0.1) })
  }

  private var content: JSONText {
    let string: JSONText = .object([("schema", .object([("type", .string("string"))]))])
    switch answer {
    case .textOrReply:
      return .object([
        ("text/plain", string),
        (
          "application/json",
          .object([("schema", .object([("$ref", .string("#/components/schemas/Reply"))]))])
        ),
      ])
    case .json(let schema):
      let reference: JSONText =
        schema.map { .object([("$ref", .string("#/components/schemas/\($0)"))]) }
        ?? .object([("type", .string("object"))])
      return .object([("application/json", .object([("schema", reference)]))])
    case .text: return .object([("text/plain", string)])
    case .eventStream: return .object([("text/event-stream", string)])
    }
  }
}

extension Operation.Parameter {
  /// The parameter as a query parameter of the document.
  var queryParameter: JSONText {
    var schema: [(String, JSONText)] = [("type", .string(positiveInteger ? "integer" : "string"))]
    if positiveInteger { schema.append(("minimum", .integer(1))) }
    return .object([
      ("name", .string(name)), ("in", .string("query")), ("required", .bool(false)),
      ("description", .string(description)), ("schema", .object(schema)),
    ])
  }
}
