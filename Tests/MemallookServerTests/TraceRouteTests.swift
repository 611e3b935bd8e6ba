import Foundation
import Hummingbird
import HummingbirdTesting
import MemallookCore
import MemallookRuntime
import Testing

@testable import MemallookServer

/// POST /replay and POST /compare: a trace in the body, the CLI's JSON back.
@Suite struct TraceRouteTests {
  static let small = "100\n3\n5\n1\na 0 16\na 1 32\nf 0\na 2 48\nr 1 64\n"
  let routes = RouteTests()

  @Test func replayAnswersTheCLIsJSON() async throws {
    try await routes.app().test(.router) { client in
      let answer = try await routes.call(client, .post, "/replay?policy=best&timeline=2", body: Self.small)
      #expect(answer.status == .ok && answer.type == "application/json")
      let summary = try JSONDecoder().decode(ReplaySummary.self, from: Data(answer.body.utf8))
      let expected = try Trace(parsing: Array(Self.small.utf8)).replay(
        ReplaySettings(policy: .best, timelineInterval: 2))
      #expect(summary == expected)
      #expect(answer.body.contains("\"pagesInUse\":7"), "flat: the final figures beside the others")
    }
  }

  @Test func compareAnswersOneObjectPerPolicy() async throws {
    try await routes.app().test(.router) { client in
      let all = try await routes.call(client, .post, "/compare?page-size=8", body: "+10,-0,+20")
      let summaries = try JSONDecoder().decode([ReplaySummary].self, from: Data(all.body.utf8))
      #expect(summaries.map(\.policy) == Policy.allCases)
      #expect(summaries.allSatisfy { $0.pageSize == 8 && $0.timeline == nil })
      let two = try await routes.call(
        client, .post, "/compare?policies=worst,next&pages=50", body: Self.small)
      let chosen = try JSONDecoder().decode([ReplaySummary].self, from: Data(two.body.utf8))
      #expect(chosen.map(\.policy) == [.worst, .next] && chosen.allSatisfy { $0.pageCount == 50 })
    }
  }

  @Test(arguments: [
    ("/replay?strict=true", "10\n2\n1\n1\nf 1\n", "trace:5: free of id 1, which was never allocated"),
    (
      "/replay", "10\n2\n1\n1\nq 1\n",
      "trace:5: unknown operation \"q\": expected a (alloc), f (free) or r (realloc)"
    ),
    ("/replay?strict=maybe", small, "invalid strict \"maybe\": expected true or false"),
    ("/replay?pages=0", small, "invalid pages \"0\": expected a positive whole number of pages"),
    ("/replay?policy=nearest", small, "invalid policy \"nearest\": expected " + Expectation.policy),
    (
      "/compare?policies=first,x", small,
      "invalid policies \"first,x\": expected policies separated by commas, each " + Expectation.policy
    ),
    ("/replay?trace-format=ostep", small, "trace:1: expected +size or -index, found \"100\""),
  ])
  func badInputIs400WithTheReason(uri: String, body: String, message: String) async throws {
    try await routes.app().test(.router) { client in
      let answer = try await routes.call(client, .post, uri, body: body)
      #expect(answer.status == .badRequest)
      #expect(answer.body == message + "\n")
    }
  }

  @Test func aTraceOverTheBodyLimitIs413AndTheWrongMethod405() async throws {
    try await routes.app().test(.router) { client in
      let huge = String(repeating: "+1,", count: TraceRoutes.bodyLimit / 3 + 1)
      let answer = try await routes.call(client, .post, "/replay", body: huge)
      #expect(answer.status == .contentTooLarge)
      let get = try await routes.call(client, .get, "/compare")
      #expect(get.status == .methodNotAllowed)
    }
  }
}
