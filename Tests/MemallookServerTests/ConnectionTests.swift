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

  /// The app runs as `serve` runs it, with no test client of its own holding a connection.
  @Test func pastTheLimitANewConnectionIsClosedAndTheServerGoesOn() async throws {
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
        #expect(await connection.receive(until: "ok\n", quiet: .seconds(10)).text.hasSuffix("ok\n"))
      }
      let extra = try RawConnection(port: port)
      try? extra.send(request)
      let refused = await extra.receive(quiet: .seconds(10))
      #expect(refused.closed && refused.text.isEmpty, "\(refused)")
      held.removeAll()  // both close; a new connection is served again (bounded retries while they go)
      var served = false
      for _ in 0..<50 where !served {
        let later = try RawConnection(port: port)
        try? later.send(request)
        served = await later.receive(until: "ok\n", quiet: .seconds(5)).text.hasSuffix("ok\n")
        if !served { try await Task.sleep(for: .milliseconds(50)) }
      }
      #expect(served)
      group.cancelAll()
    }
  }
}
