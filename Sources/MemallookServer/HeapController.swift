import Foundation
import Hummingbird
import MemallookCore
import MemallookRuntime

/// Runs the routes of `Route.table`: each turns a request into a `Command` (with the
/// same parser as every front) and the reply into text or JSON. No behaviour of its own.
struct HeapController: Sendable {
  let shared: SharedSession
  /// Where changes to a heap kept in a state file wait for its lock.
  let changes = WorkLane.changes()
  let traces: TraceRoutes
  let bodies: BodyCollector

  init(shared: SharedSession, settings: ServerSettings) {
    self.shared = shared
    bodies = BodyCollector(deadline: settings.bodyDeadline, budget: settings.bodyBudget)
    traces = TraceRoutes(lane: .traces(), bodies: bodies, timeLimit: settings.traceTimeLimit)
  }

  func addRoutes(to router: Router<ServerContext>) {
    for route in Route.table {
      router.on(RouterPath(route.path), method: route.method) { request, context in
        try await run(route, request, context)
      }
    }
  }

  private func run(_ route: Route, _ request: Request, _ context: ServerContext) async throws -> Response {
    switch route.action {
    case .command(let keyword):
      return await respond(request, context, keyword: keyword, names: route.operation.parameters.map(\.name))
    case .deallocByPath:
      let raw = context.parameters.get("tag") ?? ""
      return await respond(
        request, context, keyword: "DEALLOC", names: [], extra: ["tag=\(raw.removingPercentEncoding ?? raw)"])
    case .commandLine: return await command(request, context)
    case .heap: return withHeap { heap in Responses.json(.ok, HeapDTO(heap)) }
    case .stats: return withHeap { heap in Responses.json(.ok, MetricsDTO(heap.metrics)) }
    case .events: return events()
    case .health: return Responses.text(.ok, "ok")
    case .replay: return await traces.replay(request, context)
    case .compare: return await traces.compare(request, context)
    case .document:
      return Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
    }
  }

  // MARK: Operations

  /// Parameters from the query, a form or a JSON body, as `name=value` words for the parser.
  private func respond(
    _ request: Request, _ context: ServerContext, keyword: String, names: [String], extra: [String] = []
  ) async
    -> Response
  {
    let json = Responses.wantsJSON(request)
    let parameters: [String: String]
    do {
      parameters = try await self.parameters(of: request, context)
    } catch {
      return error.response(json: json)
    }
    var words = [keyword] + extra
    for name in names {
      if let value = parameters[name.lowercased()] { words.append("\(name)=\(value)") }
    }
    let command: Command
    do {
      command = try CommandParser.parse(words: words)
    } catch {
      return Responses.failure(.syntax(error), json: json)
    }
    return await perform(command, line: words.joined(separator: " "), json: json)
  }

  private func command(_ request: Request, _ context: ServerContext) async -> Response {
    let json = Responses.wantsJSON(request)
    let line: String
    do {
      line = String(
        buffer: try await bodies.collect(
          request, channel: context.channel, limit: BodyCollector.commandBodyLimit))
    } catch {
      return error.response(json: json)
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
    return await perform(command, line: command.line, json: json, plainReplies: true)
  }

  /// Applies `command`; `plainReplies` answers with the reply text (POST /command)
  /// instead of the operation's short answer (the id for /new, the tag for /alloc).
  private func perform(_ command: Command, line: String, json: Bool, plainReplies: Bool = false) async
    -> Response
  {
    let apply = { @Sendable [shared] in Result { try shared.apply(command, source: .http, line: line) } }
    let outcome: Result<Reply, any Error>
    if shared.hasStorage, command.changesState {
      // It may wait for another process's lock: in the lane, not on a server thread; and
      // not at all once it has waited too long, so a client that gave up is not surprised.
      let start = ContinuousClock.now
      guard
        let result = await changes.run({ ContinuousClock.now - start < WorkLane.changeWait ? apply() : nil })
      else {
        return Responses.busy(
          "\(changes.limit) changes are already waiting for the state file", code: "state_file_busy",
          json: json)
      }
      guard let result else {
        return Responses.busy(
          "the change waited \(WorkLane.changeWait.components.seconds) s for the state file and was not made",
          code: "state_file_busy", json: json)
      }
      outcome = result
    } else {
      outcome = apply()
    }
    let reply: Reply
    do {
      reply = try outcome.get()
    } catch let error as CommandError {
      return Responses.failure(error, json: json)
    } catch let error as any StorageError where error.isBusy {
      return Responses.busy("\(error)", code: "state_file_busy", json: json)
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

  /// Query parameters, then a form's or a JSON body's fields over them; names in lower case.
  func parameters(of request: Request, _ context: ServerContext) async throws(BodyCollector.Failure)
    -> [String: String]
  {
    var parameters: [String: String] = [:]
    for (name, value) in request.uri.queryParameters { parameters[name.lowercased()] = String(value) }
    let body = try await bodies.collect(
      request, channel: context.channel, limit: BodyCollector.commandBodyLimit)
    guard body.readableBytes > 0 else { return parameters }
    let contentType = request.headers[.contentType] ?? ""
    if contentType.hasPrefix("application/json") {
      do {
        for (name, value) in try FlatJSON.parse(Array(body.readableBytesView)) {
          parameters[name.lowercased()] = value
        }
      } catch {
        throw .malformed(error.description)
      }
    } else if contentType.hasPrefix("application/x-www-form-urlencoded") {
      for pair in String(buffer: body).split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1).map {
          String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
        }
        if let name = parts.first { parameters[name.lowercased()] = parts.count > 1 ? parts[1] : "" }
      }
    }
    return parameters
  }
}
