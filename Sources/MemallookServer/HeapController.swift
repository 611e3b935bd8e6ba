import Foundation
import Hummingbird
import MemallookCore
import MemallookRuntime

/// The routes: each turns a request into a `Command` (with the same parser as
/// every front) and the reply into text or JSON. No behaviour of its own.
struct HeapController<Context: RequestContext>: Sendable {
  let shared: SharedSession

  func addRoutes(to router: Router<Context>) {
    router.post("/new") { request, _ in
      try await respond(request, keyword: "NEW", names: ["p", "N", "policy"])
    }
    router.post("/alloc") { request, _ in try await respond(request, keyword: "ALLOC", names: ["M"]) }
    router.post("/dealloc") { request, _ in try await respond(request, keyword: "DEALLOC", names: ["tag"]) }
    router.delete("/allocations/:tag") { request, context in
      let tag = context.parameters.get("tag") ?? ""
      return try await respond(request, keyword: "DEALLOC", names: [], extra: ["tag=\(tag)"])
    }
    router.get("/show") { request, _ in try await respond(request, keyword: "SHOW", names: ["width"]) }
    router.post("/reset") { request, _ in try await respond(request, keyword: "RESET", names: []) }
    router.post("/defrag") { request, _ in try await respond(request, keyword: "DEFRAG", names: []) }
    router.post("/command") { request, _ in try await command(request) }
    router.get("/heap") { request, _ in heapState(request) }
    router.get("/stats") { request, _ in stats(request) }
    router.get("/events") { _, _ in events() }
    router.get("/healthz") { _, _ in Responses.text(.ok, "ok") }
    router.get("/openapi.json") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
    }
    // A known path with the wrong method is 405, not 404.
    let methods: [String: [HTTPRequest.Method]] = [
      "/new": [.post], "/alloc": [.post], "/dealloc": [.post], "/allocations/:tag": [.delete],
      "/show": [.get],
      "/reset": [.post], "/defrag": [.post], "/command": [.post], "/heap": [.get], "/stats": [.get],
      "/events": [.get], "/healthz": [.get], "/openapi.json": [.get],
    ]
    for (path, allowed) in methods {
      for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] where !allowed.contains(method) {
        router.on(RouterPath(path), method: method) { request, _ in
          var response = Responses.error(
            .methodNotAllowed, code: "method_not_allowed",
            message: "\(method) \(request.uri.path): use \(allowed.map(\.rawValue).joined(separator: ", "))",
            json: Responses.wantsJSON(request))
          response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
          return response
        }
      }
    }
  }

  // MARK: Operations

  /// Parameters from the query, a form or a JSON body, as `name=value` words for the parser.
  private func respond(_ request: Request, keyword: String, names: [String], extra: [String] = [])
    async throws -> Response
  {
    let json = Responses.wantsJSON(request)
    let parameters: [String: String]
    do {
      parameters = try await Self.parameters(of: request)
    } catch let failure as Responses.RequestFailure {
      return failure.response(json: json)
    }
    var words = [keyword] + extra
    for name in names {
      if let value = parameters.first(where: { $0.key.lowercased() == name.lowercased() })?.value {
        words.append("\(name)=\(value)")
      }
    }
    let command: Command
    do {
      command = try CommandParser.parse(words: words)
    } catch {
      return Responses.failure(.syntax(error), json: json)
    }
    return perform(command, line: words.joined(separator: " "), json: json)
  }

  private func command(_ request: Request) async throws -> Response {
    let json = Responses.wantsJSON(request)
    var request = request
    let line: String
    do {
      line = String(buffer: try await request.collectBody(upTo: Responses.bodyLimit))
    } catch {
      return Responses.RequestFailure.tooLarge.response(json: json)
    }
    let parsed: Command?
    do {
      parsed = try CommandParser.parse(line.trimmingCharacters(in: .whitespacesAndNewlines))
    } catch {
      return Responses.failure(.syntax(error), json: json)
    }
    guard let command = parsed else {
      return Responses.failure(
        .syntax(ParseError("expected a command in the body (try HELP)", column: nil)), json: json)
    }
    return perform(command, line: command.line, json: json, plainReplies: true)
  }

  /// Applies `command`; `plainReplies` answers with the reply text (POST /command)
  /// instead of the operation's short answer (the id for /new, the tag for /alloc).
  private func perform(_ command: Command, line: String, json: Bool, plainReplies: Bool = false) -> Response {
    let reply: Reply
    do {
      reply = try shared.apply(command, source: .http, line: line)
    } catch let error as CommandError {
      return Responses.failure(error, json: json)
    } catch {
      return Responses.error(.internalServerError, code: "storage", message: "\(error)", json: json)
    }
    let status: HTTPResponse.Status
    switch reply {
    case .created, .allocated: status = .created
    default: status = .ok
    }
    if json { return Responses.json(status, ReplyDTO(reply)) }
    if plainReplies { return Responses.text(status, reply.text) }
    switch reply {
    case .created(let heap), .alreadyCreated(let heap): return Responses.text(status, heap.id)
    case .allocated(let allocation): return Responses.text(status, allocation.tagText)
    default: return Responses.text(status, reply.text)
    }
  }

  private func heapState(_ request: Request) -> Response {
    withHeap { heap in Responses.json(.ok, HeapDTO(heap)) }
  }

  private func stats(_ request: Request) -> Response {
    withHeap { heap in Responses.json(.ok, MetricsDTO(heap.metrics)) }
  }

  /// Answers from the heap as its owner has it now (re-read if the state file changed).
  private func withHeap(_ body: (Heap) -> Response) -> Response {
    let session: Session
    do {
      session = try shared.current()
    } catch {
      return Responses.error(.internalServerError, code: "storage", message: "\(error)", json: true)
    }
    guard let heap = session.heap else { return Responses.failure(.noHeap, json: true) }
    return body(heap)
  }

  /// Server-Sent Events: one `change` event per change of the heap, from any front.
  private func events() -> Response {
    let changes = shared.changes()
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let body = changes.map { event in
      ByteBuffer(
        string: "event: change\ndata: \(String(decoding: try! encoder.encode(event), as: UTF8.self))\n\n")
    }
    return Response(
      status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
      body: ResponseBody(asyncSequence: body))
  }

  /// Query parameters, overridden by a form or JSON body's fields.
  static func parameters(of request: Request) async throws -> [String: String] {
    var parameters: [String: String] = [:]
    for (name, value) in request.uri.queryParameters { parameters[String(name)] = String(value) }
    var request = request
    let body: ByteBuffer
    do {
      body = try await request.collectBody(upTo: Responses.bodyLimit)
    } catch {
      throw Responses.RequestFailure.tooLarge
    }
    guard body.readableBytes > 0 else { return parameters }
    let contentType = request.headers[.contentType] ?? ""
    if contentType.hasPrefix("application/json") {
      guard let object = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(buffer: body)) else {
        throw Responses.RequestFailure.malformedBody("the body is not a JSON object of numbers and strings")
      }
      for (name, value) in object { parameters[name] = value.text }
    } else if contentType.hasPrefix("application/x-www-form-urlencoded") {
      for pair in String(buffer: body).split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1).map {
          String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
        }
        if let name = parts.first { parameters[name] = parts.count > 1 ? parts[1] : "" }
      }
    }
    return parameters
  }
}

/// A JSON number, string or boolean, kept as the text the command parser reads.
struct JSONScalar: Decodable {
  let text: String

  init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let integer = try? container.decode(Int.self) {
      text = String(integer)
    } else if let string = try? container.decode(String.self) {
      text = string
    } else if let number = try? container.decode(Double.self) {
      text = String(number)
    } else {
      text = String(try container.decode(Bool.self))
    }
  }
}

/// Turning outcomes into responses: plain text by default, JSON when asked.
enum Responses {
  /// Request bodies larger than this are refused with 413.
  static let bodyLimit = 16 * 1024

  static func wantsJSON(_ request: Request) -> Bool {
    request.uri.queryParameters.get("format") == "json"
      || (request.headers[.accept]?.contains("application/json") ?? false)
  }

  enum RequestFailure: Error {
    case tooLarge
    case malformedBody(String)

    func response(json: Bool) -> Response {
      switch self {
      case .tooLarge:
        Responses.error(
          .contentTooLarge, code: "body_too_large", message: "request body over \(Responses.bodyLimit) bytes",
          json: json)
      case .malformedBody(let reason):
        Responses.error(.badRequest, code: "malformed_body", message: reason, json: json)
      }
    }
  }

  /// 400 for malformed input, 404 for an unknown tag, 409 when the heap refuses.
  static func failure(_ error: CommandError, json: Bool) -> Response {
    let status: HTTPResponse.Status =
      switch error {
      case .syntax, .invalidParameter, .heapTooLarge: .badRequest
      case .unknownTag, .unknownTagToReallocate, .noSuchStep: .notFound
      case .noHeap, .allocationFailed, .reallocationFailed, .refusedUnderBuddy, .buddyNeedsAnEmptyHeap:
        .conflict
      }
    return Self.error(status, code: error.code, message: error.fullText, json: json)
  }

  static func error(_ status: HTTPResponse.Status, code: String, message: String, json: Bool) -> Response {
    json ? Self.json(status, ErrorDTO(error: code, message: message)) : Self.text(status, message)
  }

  static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
    Response(
      status: status, headers: [.contentType: "text/plain; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
  }

  static func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
    return Response(
      status: status, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}
