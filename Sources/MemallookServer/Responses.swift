import Foundation
import Hummingbird
import MemallookCore

/// Turning outcomes into responses: plain text by default, JSON when asked.
enum Responses {
  /// Request bodies larger than this are refused with 413.
  static let bodyLimit = 16 * 1024

  static func wantsJSON(_ request: Request) -> Bool {
    request.uri.queryParameters.get("format") == "json"
      || (request.headers[.accept]?.contains("application/json") ?? false)
  }

  /// Why a request's body cannot be used.
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

  /// The whole body, up to `bodyLimit` bytes: over it is `.tooLarge`; a body the HTTP
  /// decoder cannot read (a broken chunked encoding) is `.malformedBody`.
  static func body(of request: Request) async throws(RequestFailure) -> ByteBuffer {
    var collected = ByteBuffer()
    do {
      for try await part in request.body {
        guard collected.readableBytes + part.readableBytes <= bodyLimit else { throw RequestFailure.tooLarge }
        collected.writeImmutableBuffer(part)
      }
    } catch let failure as RequestFailure {
      throw failure
    } catch {
      throw .malformedBody("the request body cannot be read (malformed chunked encoding?)")
    }
    return collected
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
