import Foundation
import Hummingbird
import MemallookCore

/// The actions of `POST /replay` and `POST /compare` (routes of `Route.table`): a trace in the body, the CLI's parameters
/// in the query (`policy`, `policies`, `page-size`, `pages`, `timeline`,
/// `trace-format`); the answer is the CLI's `--json`. Traces replay on a fresh
/// in-memory heap of their own: the shared session is not touched.
enum TraceRoutes {
  /// A trace body larger than this is refused with 413 (about 700,000 operations).
  static let bodyLimit = 8 << 20

  static func replay(_ request: Request) async -> Response {
    await respond(request) { trace, settings, query throws(CommandError) in
      var settings = settings
      settings.timelineInterval = try query.positive("timeline", Expectation.timeline)
      settings.policy = try query.policy() ?? .first
      return Responses.json(.ok, try trace.replay(settings))
    }
  }

  static func compare(_ request: Request) async -> Response {
    await respond(request) { trace, settings, query throws(CommandError) in
      var summaries: [ReplaySummary] = []
      for policy in try query.policies() {
        var each = settings
        each.policy = policy
        summaries.append(try trace.replay(each))
      }
      return Responses.json(.ok, summaries)
    }
  }

  /// Reads the query and the trace, then answers with `body`; errors as every route answers them.
  private static func respond(
    _ request: Request,
    _ body: (Trace, ReplaySettings, TraceQuery) throws(CommandError) -> Response
  ) async -> Response {
    let json = Responses.wantsJSON(request)
    let query = TraceQuery(request)
    var request = request
    let bytes: ByteBuffer
    do {
      bytes = try await request.collectBody(upTo: bodyLimit)
    } catch {
      return Responses.error(
        .contentTooLarge, code: "body_too_large", message: "trace over \(bodyLimit) bytes", json: json)
    }
    do throws(CommandError) {
      let settings = ReplaySettings(
        pageSize: try query.positive("page-size", Expectation.pageSize) ?? ReplaySettings.defaultPageSize,
        pageCount: try query.positive("pages", Expectation.pageCount))
      let format = try query.format()
      let strict = try query.strict()
      let trace: Trace
      switch Result(catching: { () throws(TraceError) in
        try Trace(parsing: Array(buffer: bytes), format: format, strict: strict)
      }) {
      case .success(let parsed): trace = parsed
      case .failure(let error):
        return Responses.error(
          .badRequest, code: "malformed_trace", message: error.text(file: "trace"), json: json)
      }
      return try body(trace, settings, query)
    } catch {
      return Responses.failure(error, json: json)
    }
  }
}
