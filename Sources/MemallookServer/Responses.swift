import Foundation
import Hummingbird
import MemallookCore

/// Turning outcomes into responses: plain text by default, JSON when asked.
enum Responses {
  static func wantsJSON(_ request: Request) -> Bool {
    request.uri.queryParameters.get("format") == "json"
      || (request.headers[.accept]?.contains("application/json") ?? false)
  }

  /// 400 for malformed input, 404 for an unknown tag, 409 when the heap refuses.
  static func failure(_ error: CommandError, json: Bool) -> Response {
    let status: HTTPResponse.Status =
      switch error {
      case .syntax, .invalidParameter, .heapTooLarge: .badRequest
      case .unknownTag, .unknownTagToReallocate, .noSuchStep: .notFound
      case .noHeap, .allocationFailed, .reallocationFailed, .refusedUnderBuddy, .buddyNeedsAnEmptyHeap,
        .tagsExhausted:
        .conflict
      }
    return Self.error(status, code: error.code, message: error.fullText, json: json)
  }

  /// 503 with Retry-After: nothing was done, and trying again later may work. `code` is
  /// `state_file_busy` when another process holds the state file (or changes wait for it),
  /// `server_busy` when the server holds all the work it takes.
  static func busy(_ message: String, code: String = "server_busy", json: Bool) -> Response {
    var response = error(.serviceUnavailable, code: code, message: message, json: json)
    response.headers[.retryAfter] = "\(retryAfterSeconds)"
    return response
  }

  /// What a busy answer tells the client to wait, in seconds.
  static let retryAfterSeconds = 1

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
