import Foundation
import Hummingbird
import HummingbirdTesting
import MemallookCore
import Testing

@testable import MemallookServer

/// The route table drives the router, the 405 answers and the OpenAPI document.
@Suite struct RouteTableTests {
  let routes = RouteTests()

  /// The table's path with a sample value for its parameter.
  static func concrete(_ path: String) -> String { path.replacingOccurrences(of: ":tag", with: "1") }

  /// Over a real socket, each route of the table is answered by its handler: a handler
  /// may answer 404 itself (an unknown tag), never with the router's `not_found`, nor 405.
  /// `/events` is left out: its stream outlives its client and the test server would
  /// wait for it when stopping (see docs/DECISIONS.md).
  @Test func theRouterServesEveryRouteOfTheTable() async throws {
    try await routes.app().test(.live) { client in
      let port = try #require(client.port)
      for route in Route.table where route.path != "/events" {
        let connection = try RawConnection(port: port)
        try connection.send(
          "\(route.method.rawValue) \(Self.concrete(route.path))?format=json HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Length: 0\r\nConnection: close\r\n\r\n")
        let answer = await connection.receive(quiet: .seconds(10)).text
        let status = answer.split(separator: " ").dropFirst().first.map(String.init)
        #expect(status != nil && status != "405", "\(route.method) \(route.path): \(answer)")
        #expect(!answer.contains(#""error":"not_found""#), "\(route.method) \(route.path): \(answer)")
      }
    }
  }

  /// The command routes are the command table's rows offered as routes, with the rows' parameters.
  @Test func theCommandRoutesAreTheCommandTablesRoutes() throws {
    var routed: [String: [String]] = [:]
    for route in Route.table {
      if case .command(let keyword) = route.action {
        routed[keyword] = route.operation.parameters.map(\.name)
      }
    }
    let rows = CommandTable.rows(for: .route)
    #expect(Set(routed.keys) == Set(rows.map(\.keyword)))
    for row in rows { #expect(routed[row.keyword] == row.parameters.map(\.nameText), "\(row.keyword)") }
  }

  @Test func theDocumentListsExactlyTheRoutesOfTheTable() async throws {
    try await routes.app().test(.router) { client in
      let served = try await routes.call(client, .get, "/openapi.json")
      let document = try #require(
        try JSONSerialization.jsonObject(with: Data(served.body.utf8)) as? [String: Any])
      #expect(document["openapi"] as? String == "3.1.0")
      let paths = try #require(document["paths"] as? [String: [String: Any]])
      var documented: Set<String> = []
      for (path, operations) in paths {
        for method in operations.keys {
          documented.insert("\(method.uppercased()) \(path.replacingOccurrences(of: "{tag}", with: ":tag"))")
        }
      }
      #expect(documented == Set(Route.table.map { "\($0.method.rawValue) \($0.path)" }))
      #expect(documented.count == Route.table.count, "one entry per method and path")
    }
  }

  @Test(arguments: [
    ("TRACE", "/new", "POST"), ("OPTIONS", "/alloc", "POST"), ("HEAD", "/show", "GET"),
    ("GET", "/alloc", "POST"), ("POST", "/show", "GET"), ("PUT", "/allocations/1", "DELETE"),
    ("PATCH", "/heap", "GET"), ("DELETE", "/healthz", "GET"), ("OPTIONS", "/openapi.json", "GET"),
  ])
  func aKnownPathWithAnotherMethodIs405(method: String, path: String, allowed: String) async throws {
    try await routes.app().test(.router) { client in
      let method = try #require(HTTPRequest.Method(method))
      try await client.execute(uri: path, method: method) { response in
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers[.allow] == allowed)
        #expect(String(buffer: response.body) == "\(method) \(path): use \(allowed)\n")
      }
      try await client.execute(uri: path + "?format=json", method: method) { response in
        #expect(response.status == .methodNotAllowed)
        let error = try JSONDecoder().decode(ErrorDTO.self, from: Data(buffer: response.body))
        #expect(error == ErrorDTO(error: "method_not_allowed", message: "\(method) \(path): use \(allowed)"))
      }
    }
  }

  @Test(arguments: [
    ("GET", "/nowhere"), ("POST", "/allocations"), ("DELETE", "/allocations/1/more"), ("TRACE", "/new/x"),
    ("GET", "/"),
  ])
  func anUnknownPathIs404WithAReason(method: String, path: String) async throws {
    try await routes.app().test(.router) { client in
      let method = try #require(HTTPRequest.Method(method))
      let message = "no route \(path): the routes are in GET /openapi.json"
      try await client.execute(uri: path, method: method) { response in
        #expect(response.status == .notFound)
        #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
        #expect(String(buffer: response.body) == message + "\n")
      }
      try await client.execute(uri: path, method: method, headers: [.accept: "application/json"]) {
        response in
        #expect(response.status == .notFound)
        let error = try JSONDecoder().decode(ErrorDTO.self, from: Data(buffer: response.body))
        #expect(error == ErrorDTO(error: "not_found", message: message))
      }
    }
  }
}
