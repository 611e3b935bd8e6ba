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
}
