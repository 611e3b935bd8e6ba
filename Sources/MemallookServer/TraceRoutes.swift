import Foundation
import Hummingbird
import MemallookCore

/// The actions of `POST /replay` and `POST /compare` (routes of `Route.table`): a trace in
/// the body, the CLI's parameters in the query (`policy`, `policies`, `page-size`, `pages`,
/// `timeline`, `trace-format`, `strict`); the answer is the CLI's `--json`. Traces replay on
/// a fresh in-memory heap of their own: the shared session is not touched. The replays run
/// in `lane`, not on the server's threads, within the limits below.
struct TraceRoutes: Sendable {
  /// A trace body larger than this is refused with 413.
  static let bodyLimit = 8 << 20
  /// A trace of more operations than this is refused with 413: the CLI has no such limit.
  static let operationLimit = 1_000_000

  let lane: WorkLane
  let bodies: BodyCollector
  /// A request whose replays take longer than this (waiting in the lane included) is
  /// answered 503 without a result (`ServerSettings.traceTimeLimit`).
  let timeLimit: Duration

  func replay(_ request: Request, _ context: ServerContext) async -> Response {
    await respond(request, context) { trace, settings, query, goingOn throws(CommandError) in
      var settings = settings
      settings.timelineInterval = try query.positive("timeline", Expectation.timeline)
      settings.policy = try query.policy() ?? .first
      return try trace.replay(settings, goingOn: goingOn).map { Responses.json(.ok, $0) }
    }
  }

  func compare(_ request: Request, _ context: ServerContext) async -> Response {
    await respond(request, context) { trace, settings, query, goingOn throws(CommandError) in
      var summaries: [ReplaySummary] = []
      for policy in try query.policies() {
        var each = settings
        each.policy = policy
        guard let summary = try trace.replay(each, goingOn: goingOn) else { return nil }
        summaries.append(summary)
      }
      return Responses.json(.ok, summaries)
    }
  }

  /// The replays of one request, given a question to ask as they go (false: the time is up);
  /// nil when they stopped.
  typealias Work = @Sendable (Trace, ReplaySettings, TraceQuery, () -> Bool) throws(CommandError) -> Response?

  /// Reads the query and the trace, then answers with `work` run in the lane; errors as
  /// every route answers them.
  private func respond(_ request: Request, _ context: ServerContext, _ work: @escaping Work) async -> Response
  {
    let json = Responses.wantsJSON(request)
    let query = TraceQuery(request)
    let start = ContinuousClock.now
    let bytes: ByteBuffer
    do {
      bytes = try await bodies.collect(
        request, channel: context.channel, limit: Self.bodyLimit, what: "trace")
    } catch {
      return error.response(json: json)
    }
    let deadline = start + timeLimit
    let timeLimit = timeLimit
    let answer = await lane.run { () -> Response in
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
        guard trace.operations.count <= Self.operationLimit else {
          return Responses.error(
            .contentTooLarge, code: "too_many_operations",
            message: "the trace has \(trace.operations.count) operations, over the \(Self.operationLimit) "
              + "a request may replay (memallook replay has no such limit)", json: json)
        }
        let answer =
          ContinuousClock.now < deadline
          ? try work(trace, settings, query) { ContinuousClock.now < deadline } : nil
        return answer
          ?? Responses.error(
            .serviceUnavailable, code: "time_limit",
            message: "the replay took over \(timeLimit.components.seconds) s and was stopped "
              + "(memallook replay has no such limit)", json: json)
      } catch {
        return Responses.failure(error, json: json)
      }
    }
    return answer ?? Responses.busy("\(lane.limit) trace requests are already running or waiting", json: json)
  }
}
