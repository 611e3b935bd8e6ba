import Hummingbird
import NIOCore
import Synchronization

/// Reads request bodies whole, with three limits so that no client holds the server:
/// a size per body, a deadline per body (a body trickled a byte at a time is cut off),
/// and a budget for the bytes all bodies still arriving hold together.
final class BodyCollector: Sendable {
  /// How long a body may take to arrive, from the request's head (`ServerSettings`).
  let deadline: Duration
  /// The bytes every body still arriving may hold together (a trace body is up to 8 MiB).
  let budget: Int
  private let held = Atomic<Int>(0)

  init(deadline: Duration, budget: Int) {
    self.deadline = deadline
    self.budget = budget
  }

  /// Why a request's body cannot be used.
  enum Failure: Error {
    case tooLarge(limit: Int, what: String)
    case malformed(String)
    case timedOut(Duration)
    case overBudget(Int)

    /// The answer, with `Connection: close`: the rest of the body is not read, so the
    /// connection cannot carry another request.
    func response(json: Bool) -> Response {
      var response = answer(json: json)
      response.headers[.connection] = "close"
      return response
    }

    private func answer(json: Bool) -> Response {
      switch self {
      case .tooLarge(let limit, let what):
        Responses.error(
          .contentTooLarge, code: "body_too_large", message: "\(what) over \(limit) bytes", json: json)
      case .malformed(let reason):
        Responses.error(.badRequest, code: "malformed_body", message: reason, json: json)
      case .timedOut(let deadline):
        Responses.error(
          .requestTimeout, code: "body_too_slow",
          message: "the request body did not arrive within \(deadline)", json: json)
      case .overBudget(let budget):
        Responses.busy(
          "the server already holds its \(budget) bytes of request bodies still arriving; try again",
          json: json)
      }
    }
  }

  /// A request body other than a trace's is refused with 413 over this.
  static let commandBodyLimit = 16 * 1024

  /// The whole body, up to `limit` bytes (`what` names it in the error). A body that is
  /// not read whole (too slow, too large, over the budget) ends the connection's input, so
  /// that the rest is not waited for: the answer is sent, then the connection closes.
  func collect(_ request: Request, channel: any Channel, limit: Int, what: String = "request body")
    async
    throws(Failure) -> ByteBuffer
  {
    let body = request.body
    let timedOut = Flag()
    let reader = Task { await self.read(body, limit: limit, what: what) }
    let timer = Task {
      guard (try? await Task.sleep(for: self.deadline)) != nil else { return }
      timedOut.value.store(true, ordering: .relaxed)
      // The reader sees the input end and stops: it must be done before the answer, as
      // the server reads what is left of the body after it.
      channel.close(mode: .input, promise: nil)
    }
    let result = await reader.value
    timer.cancel()
    if timedOut.value.load(ordering: .relaxed) { throw .timedOut(deadline) }
    switch result {
    case .success(let bytes): return bytes
    case .failure(let failure):
      channel.close(mode: .input, promise: nil)
      throw failure
    }
  }

  /// Reads `body`, holding its bytes against the budget while it arrives.
  private func read(_ body: RequestBody, limit: Int, what: String) async -> Result<ByteBuffer, Failure> {
    var collected = ByteBuffer()
    defer { held.wrappingSubtract(collected.readableBytes, ordering: .relaxed) }
    do {
      for try await part in body {
        guard collected.readableBytes + part.readableBytes <= limit else {
          return .failure(.tooLarge(limit: limit, what: what))
        }
        guard held.wrappingAdd(part.readableBytes, ordering: .relaxed).newValue <= budget else {
          held.wrappingSubtract(part.readableBytes, ordering: .relaxed)
          return .failure(.overBudget(budget))
        }
        collected.writeImmutableBuffer(part)
      }
    } catch {
      return .failure(.malformed("the request body cannot be read (malformed chunked encoding?)"))
    }
    return .success(collected)
  }

  private final class Flag: Sendable {
    let value = Atomic<Bool>(false)
  }
}
