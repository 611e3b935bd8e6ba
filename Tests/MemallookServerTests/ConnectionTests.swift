import Foundation
import Hummingbird
import HummingbirdTesting
import MemallookRuntime
import Testing

@testable import MemallookServer

/// Connections: an idle one is closed, and past the limit new ones wait their turn.
@Suite struct ConnectionTests {
  let routes = RouteTests()

  @Test(arguments: [
    ("nothing sent", ""), ("half a request head", "GET /healthz HTTP/1.1\r\nHost: loc"),
    ("a request answered", "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"),
  ])
  func anIdleConnectionIsClosedAfterTheIdleTimeout(_ what: String, sent: String) async throws {
    let settings = ServerSettings(port: 0, idleTimeout: .milliseconds(200))
    try await routes.app(settings: settings).test(.live) { client in
      let connection = try RawConnection(port: try #require(client.port))
      if !sent.isEmpty { try connection.send(sent) }
      // Bounded wait: the server closes long before; without a timeout it never does.
      let received = await connection.receive(quiet: .seconds(10))
      #expect(received.closed, "\(what)")
      if sent.hasSuffix("\r\n\r\n") { #expect(received.text.hasSuffix("\r\n\r\nok\n")) }
    }
  }

  /// Past the limit the server stops accepting; the kernel holds the connection until
  /// a slot frees, then it is served. Nothing is refused, nothing crashes. (With six
  /// waiting, two are never accepted: see "Connection limits" in docs/DECISIONS.md.)
  /// The app runs as `serve` runs it: Hummingbird's `.live` tester drops the limit
  /// (`ApplicationConfiguration.with(address:)` forgets `availableConnectionsDelegate`).
  @Test func connectionsBeyondTheLimitWaitForAFreeSlot() async throws {
    let (ports, bound) = AsyncStream.makeStream(of: Int.self)
    let app = buildApplication(
      shared: SharedSession(), settings: ServerSettings(port: 0, maxConnections: 2), logger: RouteTests.quiet
    ) { port in bound.yield(port) }
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await app.runService(gracefulShutdownSignals: []) }
      var iterator = ports.makeAsyncIterator()
      let port = try #require(await iterator.next())
      let request = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
      var held = try (0..<2).map { _ in try RawConnection(port: port) }
      for connection in held {
        try connection.send(request)
        let answer = await connection.receive(until: "ok\n", quiet: .seconds(10))
        #expect(answer.text.hasSuffix("ok\n"))
      }
      let waiting = try (0..<1).map { _ in try RawConnection(port: port) }
      for connection in waiting {
        try connection.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
      }
      // Only an answer could fail this: a server that waits as it should sends nothing.
      let early = await waiting[0].receive(quiet: .milliseconds(300))
      #expect(early.text == "")
      held.removeAll()
      for connection in waiting {
        let answer = await connection.receive(quiet: .seconds(10))
        #expect(
          answer.text.hasPrefix("HTTP/1.1 200 ") && answer.text.hasSuffix("ok\n") && answer.closed,
          "\(answer)")
      }
      group.cancelAll()
    }
  }
}
