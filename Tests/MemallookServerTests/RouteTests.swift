import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MemallookCore
import MemallookRuntime
import Testing

@testable import MemallookServer

/// The HTTP service, route by route, through Hummingbird's test client.
@Suite struct RouteTests {
  static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

  func app(token: String? = nil, settings: ServerSettings = ServerSettings(port: 0))
    -> some ApplicationProtocol
  {
    var settings = settings
    settings.token = token
    return buildApplication(
      shared: SharedSession(session: Session(seed: 5)), settings: settings, logger: Self.quiet)
  }

  func call(
    _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, body: String? = nil,
    headers: HTTPFields = [:]
  ) async throws -> Answer {
    try await client.execute(
      uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
    ) { response in
      Answer(response.status, String(buffer: response.body), type: response.headers[.contentType])
    }
  }

  @Test func theExercisesExampleInPlainText() async throws {
    try await app().test(.router) { client in
      let created = try await call(client, .post, "/new?p=16&N=64")
      #expect(created.status == .created)
      #expect(created.body.hasPrefix("HEAP-") && created.body.count == 9)
      let answer1 = try await call(client, .post, "/alloc?M=16")
      #expect(answer1 == Answer(.created, "1\n"))
      let refused = try await call(client, .post, "/alloc?M=2048")
      #expect(refused.status == .conflict)
      #expect(
        refused.body
          == "allocation failed: 2048 bytes need 128 pages; 63 pages free, longest free run 63 pages\n")
      let answer2 = try await call(client, .post, "/alloc?M=32")
      #expect(answer2.body == "2\n")
      #expect(
        try await call(client, .get, "/show").body
          == "122.............\n................\n................\n................\n\n<Allocations by tag>\n1: 16 bytes\n2: 32 bytes\n"
      )
      let answer3 = try await call(client, .post, "/dealloc?tag=1")
      #expect(answer3 == Answer(.ok, "deallocation succeeded\n"))
      let unknown = try await call(client, .post, "/dealloc?tag=99")
      #expect(unknown.status == .notFound)
      #expect(unknown.body == "deallocation failed, unknown tag: no live allocation has tag \"99\"\n")
      let answer4 = try await call(client, .post, "/defrag")
      #expect(answer4.body == "defragmentation complete\n")
      let answer5 = try await call(client, .get, "/show")
      #expect(answer5.body.hasPrefix("22..............\n"))
      let again = try await call(client, .post, "/new?p=32&N=8")
      #expect(again.status == .ok)
      #expect(again.body == created.body, "a repeated NEW names the existing heap")
      let answer6 = try await call(client, .post, "/reset")
      #expect(answer6.body == "ok, heap cleared\n")
      let answer7 = try await call(client, .get, "/show")
      #expect(answer7.status == .conflict)
    }
  }

  @Test func jsonOnRequest() async throws {
    try await app().test(.router) { client in
      let json: HTTPFields = [.accept: "application/json"]
      let created = try await call(client, .post, "/new?p=16&N=64&policy=best", headers: json)
      #expect(created.type == "application/json")
      let heap = try JSONDecoder().decode(ReplyDTO.self, from: Data(created.body.utf8))
      #expect(heap.p == 16 && heap.N == 64 && heap.policy == "best" && heap.heap?.hasPrefix("HEAP-") == true)
      let alloc = try await call(client, .post, "/alloc?M=40&format=json")
      let allocation = try JSONDecoder().decode(ReplyDTO.self, from: Data(alloc.body.utf8))
      #expect(
        allocation.tag == "1" && allocation.bytes == 40 && allocation.pages == 3 && allocation.firstPage == 0)
      let error = try await call(client, .post, "/alloc?M=9999", headers: json)
      #expect(error.status == .conflict)
      let decoded = try JSONDecoder().decode(ErrorDTO.self, from: Data(error.body.utf8))
      #expect(decoded.error == "allocation_failed")
      let state = try JSONDecoder().decode(
        HeapDTO.self, from: Data(try await call(client, .get, "/heap").body.utf8))
      #expect(state.allocations?.map(\.tag) == ["1"])
      #expect(state.metrics?.failedAllocations == 1)
      let stats = try JSONDecoder().decode(
        MetricsDTO.self, from: Data(try await call(client, .get, "/stats").body.utf8))
      #expect(stats.pagesUsed == 3)
    }
  }

  @Test func parametersFromAFormOrAJSONBody() async throws {
    try await app().test(.router) { client in
      let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
      let answer8 = try await call(client, .post, "/new", body: "p=16&N=64", headers: form)
      #expect(answer8.status == .created)
      let answer9 = try await call(client, .post, "/alloc", body: "M=16", headers: form)
      #expect(answer9.body == "1\n")
      let json: HTTPFields = [.contentType: "application/json"]
      let answer10 = try await call(client, .post, "/alloc", body: #"{"M": 32}"#, headers: json)
      #expect(answer10.body == "2\n")
      let answer11 = try await call(client, .post, "/dealloc", body: #"{"tag": "1"}"#, headers: json)
      #expect(answer11.status == .ok)
      let answer12 = try await call(client, .delete, "/allocations/2")
      #expect(answer12.body == "deallocation succeeded\n")
      let answer13 = try await call(client, .post, "/alloc", body: "{not json", headers: json)
      #expect(answer13.status == .badRequest)
    }
  }

  @Test(arguments: [
    ("/alloc?M=abc", "M must be a positive whole number of bytes, not \"abc\""),
    ("/alloc?M=0", "M must be a positive whole number of bytes, not \"0\""),
    ("/alloc?M=-5", "M must be a positive whole number of bytes, not \"-5\""),
    ("/alloc?M=1.5", "M must be a positive whole number of bytes, not \"1.5\""),
    ("/alloc", "ALLOC needs M (usage: ALLOC M)"),
    ("/new?p=16", "NEW needs N (usage: NEW p N [policy])"),
    (
      "/new?p=1024&N=18014398509481984",
      "heap too large: 1024 bytes * 18014398509481984 pages overflows a 64-bit size"
    ),
  ])
  func malformedParametersAre400(uri: String, message: String) async throws {
    try await app().test(.router) { client in
      if uri.hasPrefix("/alloc") { _ = try await call(client, .post, "/new?p=16&N=64") }
      let response = try await call(client, .post, uri)
      #expect(response.status == .badRequest)
      #expect(response.body == message + "\n")
    }
  }

  @Test func statusesForEveryKindOfFailure() async throws {
    try await app().test(.router) { client in
      let answer14 = try await call(client, .post, "/alloc?M=16")
      #expect(answer14.status == .conflict, "before NEW")
      let answer15 = try await call(client, .get, "/heap")
      #expect(answer15.status == .conflict)
      let answer16 = try await call(client, .get, "/alloc")
      #expect(answer16.status == .methodNotAllowed)
      let answer17 = try await call(client, .post, "/show")
      #expect(answer17.status == .methodNotAllowed)
      let answer18 = try await call(client, .get, "/nowhere")
      #expect(answer18.status == .notFound)
      let big = String(repeating: "x", count: 20_000)
      let answer19 = try await call(client, .post, "/command", body: big)
      #expect(answer19.status == .contentTooLarge)
      let answer20 = try await call(client, .get, "/healthz")
      #expect(answer20 == Answer(.ok, "ok\n"))
    }
  }

  @Test func anyCommandLineThroughPostCommand() async throws {
    try await app().test(.router) { client in
      let answer21 = try await call(client, .post, "/command", body: "NEW 16 64")
      #expect(answer21.body == "ok, buffer of size 1024 bytes created\n")
      let answer22 = try await call(client, .post, "/command", body: "alloc M=16\n")
      #expect(answer22 == Answer(.created, "ok, tag = \"1\"\n"))
      let stats = try await call(client, .post, "/command", body: "STATS")
      #expect(stats.body.contains("pages: 1 used, 63 free of 64"))
      let wrong = try await call(client, .post, "/command", body: "ALLOC lots")
      #expect(wrong.status == .badRequest)
      #expect(wrong.body == "M must be a positive whole number of bytes, not \"lots\"\n")
    }
  }

  @Test func aTokenIsRequiredWhenSet() async throws {
    try await app(token: "s3cret").test(.router) { client in
      let answer23 = try await call(client, .post, "/new?p=16&N=64")
      #expect(answer23.status == .unauthorized)
      let wrong: HTTPFields = [.authorization: "Bearer nope"]
      let answer24 = try await call(client, .post, "/new?p=16&N=64", headers: wrong)
      #expect(answer24.status == .unauthorized)
      let right: HTTPFields = [.authorization: "Bearer s3cret"]
      let answer25 = try await call(client, .post, "/new?p=16&N=64", headers: right)
      #expect(answer25.status == .created)
      let answer26 = try await call(client, .get, "/healthz")
      #expect(answer26.status == .ok, "health checks need no token")
    }
  }

  @Test func theDocumentInDocsIsTheOneServed() throws {
    let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/openapi.json")
    let inDocs = try String(contentsOf: docs, encoding: .utf8)
    #expect(inDocs.trimmingCharacters(in: .whitespacesAndNewlines) == OpenAPIDocument.json)
  }

  /// A huge SHOW width is refused before any work, and the server lives on.
  /// Waits for the core's named SHOW width limit (until then the first case traps).
  @Test(arguments: ["9223372036854775807", "1000000"])
  func aShowWidthOverTheLimitIs400(width: String) async throws {
    try await app().test(.live) { client in
      _ = try await call(client, .post, "/new?p=16&N=64")
      let answer = try await call(client, .get, "/show?width=\(width)&format=json")
      #expect(answer.status == .badRequest)
      let error = try JSONDecoder().decode(ErrorDTO.self, from: Data(answer.body.utf8))
      #expect(error.error == "invalid_parameter" && error.message.hasPrefix("invalid width"))
      #expect(try await call(client, .get, "/healthz") == Answer(.ok, "ok\n"))
    }
  }

  @Test func theExerciseOverARealSocket() async throws {
    try await app().test(.live) { client in
      let answer27 = try await call(client, .post, "/new?p=16&N=64")
      #expect(answer27.status == .created)
      let answer28 = try await call(client, .post, "/alloc?M=16")
      #expect(answer28.body == "1\n")
      let answer29 = try await call(client, .post, "/alloc?M=2048")
      #expect(answer29.status == .conflict)
      let answer30 = try await call(client, .post, "/alloc?M=32")
      #expect(answer30.body == "2\n")
      let answer31 = try await call(client, .post, "/dealloc?tag=1")
      #expect(answer31.status == .ok)
      let answer32 = try await call(client, .post, "/dealloc?tag=99")
      #expect(answer32.status == .notFound)
      #expect(
        try await call(client, .get, "/show").body
          == ".22.............\n................\n................\n................\n\n<Allocations by tag>\n2: 32 bytes\n"
      )
      let answer33 = try await call(client, .post, "/defrag")
      #expect(answer33.status == .ok)
      let answer34 = try await call(client, .get, "/show")
      #expect(answer34.body.hasPrefix("22..............\n"))
    }
  }

  /// 32 clients × 500 mixed operations at once: every tag handed out once, and the
  /// final state holds exactly the allocations the clients were told they own.
  @Test func concurrentClientsLoseNothing() async throws {
    try await app().test(.live) { client in
      _ = try await call(client, .post, "/new?p=1&N=100000")
      let owned = try await withThrowingTaskGroup(of: [String].self) { group in
        for worker in 0..<32 {
          group.addTask {
            var mine: [String] = []
            var seed = UInt64(worker + 1)
            for _ in 0..<500 {
              seed = seed &* 6_364_136_223_846_793_005 &+ 1
              if seed >> 62 == 0, let tag = mine.popLast() {
                let answer35 = try await call(client, .post, "/dealloc?tag=\(tag)")
                #expect(answer35.status == .ok)
              } else {
                let reply = try await call(client, .post, "/alloc?M=\(1 + (seed >> 40) % 5)")
                #expect(reply.status == .created)
                mine.append(reply.body.trimmingCharacters(in: .newlines))
              }
            }
            return mine
          }
        }
        return try await group.reduce(into: [String]()) { $0 += $1 }
      }
      #expect(Set(owned).count == owned.count, "no tag handed out twice")
      let state = try JSONDecoder().decode(
        HeapDTO.self, from: Data(try await call(client, .get, "/heap").body.utf8))
      #expect(Set(state.allocations?.map(\.tag) ?? []) == Set(owned))
    }
  }
}

/// What a request got back.
struct Answer: Equatable {
  let status: HTTPResponse.Status
  let body: String
  let type: String?

  init(_ status: HTTPResponse.Status, _ body: String, type: String? = "text/plain; charset=utf-8") {
    self.status = status
    self.body = body
    self.type = type
  }
}
