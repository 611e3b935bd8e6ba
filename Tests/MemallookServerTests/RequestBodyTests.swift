import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MemallookServer

/// Bodies: JSON objects read as raw text, forms, chunked encoding, size limit.
@Suite struct RequestBodyTests {
  let routes = RouteTests()
  static let json: HTTPFields = [.contentType: "application/json"]

  /// A JSON number reaches the command parser as written: `1e3` is refused like `M=1e3`.
  @Test(arguments: ["1e3", "1.0", "-0", "16.5", "1E2", "true", "\"0x10\""])
  func aJSONValueIsReadLikeTheSameQueryText(value: String) async throws {
    try await routes.app().test(.router) { client in
      _ = try await routes.call(client, .post, "/new?p=16&N=64")
      let query = value.hasPrefix("\"") ? String(value.dropFirst().dropLast()) : value
      let expected = try await routes.call(client, .post, "/alloc?M=\(query)")
      #expect(expected.status == .badRequest)
      let answer = try await routes.call(
        client, .post, "/alloc", body: #"{"M":\#(value)}"#, headers: Self.json)
      #expect(answer == expected)
    }
  }

  @Test(arguments: [
    (#"{"M":16}"#, "1\n"), (#" { "M" : "16" } "#, "1\n"), (#"{"m":16}"#, "1\n"),
    (#"{"M":"1\u0036"}"#, "1\n"), (#"{"note":"a\"b\\c\/","M":16}"#, "1\n"), (#"{"M":16,"x":false}"#, "1\n"),
  ])
  func aFlatJSONObjectGivesTheParameters(body: String, reply: String) async throws {
    try await routes.app().test(.router) { client in
      _ = try await routes.call(client, .post, "/new?p=16&N=64")
      let answer = try await routes.call(client, .post, "/alloc", body: body, headers: Self.json)
      #expect(answer == Answer(.created, reply))
    }
  }

  @Test func nullIsAnAbsentParameter() async throws {
    try await routes.app().test(.router) { client in
      _ = try await routes.call(client, .post, "/new?p=16&N=64")
      let answer = try await routes.call(client, .post, "/alloc", body: #"{"M":null}"#, headers: Self.json)
      #expect(answer == Answer(.badRequest, "ALLOC needs M (usage: ALLOC M)\n"))
    }
  }

  @Test(arguments: [
    (#"{"M":{"x":1}}"#, "at byte 5: a value must be a string, number, true, false or null"),
    (#"{"M":[16]}"#, "at byte 5: a value must be a string, number, true, false or null"),
    (#"{"M":16,"M":32}"#, "at byte 8: duplicate name \"M\""),
    (#"{"M":16,"m":32}"#, "at byte 8: duplicate name \"m\""),
    (#"{"M":16} x"#, "at byte 9: nothing may follow the object"),
    (#"{"M":16,}"#, "at byte 8: expected a name in quotes"),
    ("[16]", "at byte 0: expected a JSON object"),
    (#"{"M":016}"#, "at byte 5: malformed number"),
    (#"{"M":"16}"#, "at byte 5: unterminated string"),
    (#"{"M":"\q"}"#, "at byte 6: unknown escape"),
    (#"{"M":tru}"#, "at byte 5: a value must be a string, number, true, false or null"),
    (" ", "at byte 1: expected a JSON object"),
  ])
  func anyOtherJSONIsAMalformedBody(body: String, reason: String) async throws {
    try await routes.app().test(.router) { client in
      _ = try await routes.call(client, .post, "/new?p=16&N=64")
      let headers: HTTPFields = [.contentType: "application/json", .accept: "application/json"]
      let answer = try await routes.call(client, .post, "/alloc", body: body, headers: headers)
      #expect(answer.status == .badRequest)
      let error = try JSONDecoder().decode(ErrorDTO.self, from: Data(answer.body.utf8))
      #expect(error == ErrorDTO(error: "malformed_body", message: "malformed JSON body \(reason)"))
    }
  }

  @Test func theJSONReaderKeepsRawTextAndDecodesEscapes() throws {
    let fields = try FlatJSON.parse(
      Array(#"{"a":1e3,"b":"x\"y\u00e9\n","c":true,"d":null,"e":-0.5E+2,"f":false}"#.utf8))
    #expect(fields == ["a": "1e3", "b": "x\"y\u{e9}\n", "c": "true", "e": "-0.5E+2", "f": "false"])
  }

  @Test(arguments: [
    // A lone surrogate, a control character inside a string, invalid UTF-8.
    [UInt8](#"{"a":"\ud800"}"#.utf8), [UInt8](#"{"a":""#.utf8) + [0x0A] + [UInt8](#""}"#.utf8),
    [UInt8](#"{"a":""#.utf8) + [0xFF] + [UInt8](#""}"#.utf8),
  ])
  func theJSONReaderRefusesBrokenStrings(bytes: [UInt8]) {
    #expect(throws: FlatJSON.Malformed.self) { try FlatJSON.parse(bytes) }
  }

  /// A chunked body the HTTP decoder cannot read is 400; only a body over the limit is 413.
  @Test(arguments: [
    ("/command", "zz\r\nALLOC 16\r\n0\r\n\r\n", "400", "malformed_body"),
    ("/alloc", "2\r\nM=\r\nzz\r\n", "400", "malformed_body"),
    (
      "/command",
      String(repeating: "1000\r\n" + String(repeating: "x", count: 4096) + "\r\n", count: 5) + "0\r\n\r\n",
      "413", "body_too_large"
    ),
  ])
  func aChunkedBodyIsMalformedOrTooLarge(path: String, chunks: String, status: String, code: String)
    async throws
  {
    try await routes.app().test(.live) { client in
      let connection = try RawConnection(port: try #require(client.port))
      try connection.send(
        "POST \(path)?format=json HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
          + "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n\(chunks)")
      let answer = await connection.receive(quiet: .seconds(10)).text
      #expect(answer.hasPrefix("HTTP/1.1 \(status) "), "\(answer)")
      #expect(answer.contains(#""error":"\#(code)""#), "\(answer)")
    }
  }

  /// Tags are strings matched exactly: `+1`, `02` and `0003` name no allocation,
  /// whichever way they come; a percent-encoded path is decoded first.
  @Test(arguments: [
    ("POST", "/dealloc?tag=%2B1", "", 404), ("POST", "/dealloc?tag=02", "", 404),
    ("POST", "/dealloc?tag=0003", "", 404), ("POST", "/dealloc", "tag=%2B1", 404),
    ("POST", "/dealloc", "tag=02", 404), ("POST", "/dealloc", #"{"tag":"+1"}"#, 404),
    ("POST", "/dealloc", #"{"tag":"02"}"#, 404), ("POST", "/dealloc", #"{"tag":2}"#, 200),
    ("DELETE", "/allocations/%2B1", "", 404), ("DELETE", "/allocations/02", "", 404),
    ("DELETE", "/allocations/0003", "", 404), ("DELETE", "/allocations/%31", "", 200),
    ("DELETE", "/allocations/%33", "", 200),
  ])
  func tagsAreMatchedExactly(method: String, uri: String, body: String, status: Int) async throws {
    try await routes.app().test(.router) { client in
      _ = try await routes.call(client, .post, "/new?p=16&N=64")
      for _ in 1...3 { _ = try await routes.call(client, .post, "/alloc?M=16") }
      let type = body.hasPrefix("{") ? "application/json" : "application/x-www-form-urlencoded"
      let answer = try await routes.call(
        client, try #require(HTTPRequest.Method(method)), uri, body: body.isEmpty ? nil : body,
        headers: [.contentType: type])
      #expect(answer.status.code == status, "\(answer.body)")
      let state = try JSONDecoder().decode(
        HeapDTO.self, from: Data(try await routes.call(client, .get, "/heap").body.utf8))
      #expect(state.allocations?.count == (status == 200 ? 2 : 3))
    }
  }
}
