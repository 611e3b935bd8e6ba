import Foundation
import Hummingbird
import HummingbirdTesting
import MemallookCore
import MemallookRuntime
import MemallookStore
import Synchronization
import Testing

@testable import MemallookServer

/// What one client does does not stall the others: slow bodies are cut off, bodies still
/// arriving share a budget, replays run in a lane of their own and are turned away past
/// it, and a change waiting for another process's lock holds no server thread.
@Suite struct NoClientStallsTests {
  let routes = RouteTests()

  /// One request on a connection of its own (the test client has one connection, so its
  /// requests take turns): the whole answer as text, once the server closes. Sent from a
  /// thread of its own (`onOwnThread`): a blocking send on the cooperative pool would
  /// starve the server.
  static func request(_ port: Int, _ method: String, _ path: String, body: String = "") async throws -> String
  {
    let connection = try RawConnection(port: port)
    let head =
      "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
      + "Content-Length: \(body.utf8.count)\r\n\r\n"
    try await onOwnThread { Result { try connection.send(head + body) } }.get()
    return await connection.receive(quiet: .seconds(120)).text
  }

  @Test func aTrickledBodyIsCutOffAtTheDeadline() async throws {
    var settings = ServerSettings(port: 0)
    settings.bodyDeadline = .milliseconds(300)
    try await routes.app(settings: settings).test(.live) { client in
      let connection = try RawConnection(port: try #require(client.port))
      try connection.send("POST /command HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nA")
      let received = await connection.receive(quiet: .seconds(10))
      #expect(received.text.hasPrefix("HTTP/1.1 408"), "\(received.text)")
      #expect(received.text.hasSuffix("the request body did not arrive within 0.3 seconds\n"))
      #expect(received.closed, "the connection is closed")
    }
  }

  /// A body that stops arriving is answered 408 before the connection could be dropped as idle.
  @Test func theBodyDeadlineComesBeforeTheIdleTimeout() {
    let settings = ServerSettings()
    #expect(settings.bodyDeadline < settings.idleTimeout)
  }

  /// A body not read whole ends the connection: the answer says so, so no client sends
  /// another request on it.
  @Test func aBodyNotReadWholeClosesTheConnection() async throws {
    try await routes.app(settings: ServerSettings(port: 0)).test(.live) { client in
      let port = try #require(client.port)
      let answer = try await Self.request(
        port, "POST", "/command", body: String(repeating: "A", count: 40_000))
      #expect(answer.hasPrefix("HTTP/1.1 413"))
      #expect(answer.lowercased().contains("connection: close"), "\(answer)")
    }
  }

  @Test func bodiesStillArrivingShareABudget() async throws {
    var settings = ServerSettings(port: 0)
    settings.bodyBudget = 1000
    try await routes.app(settings: settings).test(.live) { client in
      let port = try #require(client.port)
      let slow = try RawConnection(port: port)
      try slow.send(
        "POST /replay HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n\r\n"
          + String(repeating: "+1\n", count: 300))
      // The first body holds 900 bytes of the 1000: one of 500 more is turned away, for now.
      var answer = ""
      for _ in 0..<100 where !answer.hasPrefix("HTTP/1.1 503") {
        let other = try RawConnection(port: port)
        try other.send(
          "POST /replay HTTP/1.1\r\nHost: localhost\r\nContent-Length: 501\r\n\r\n"
            + String(repeating: "+1\n", count: 167))
        answer = await other.receive(until: "\n\n", quiet: .seconds(10)).text
        if !answer.hasPrefix("HTTP/1.1 503") { try await Task.sleep(for: .milliseconds(20)) }
      }
      #expect(answer.hasPrefix("HTTP/1.1 503"), "\(answer)")
      #expect(answer.lowercased().contains("retry-after: 1"))
      #expect(
        answer.contains("the server already holds its 1000 bytes of request bodies still arriving; try again")
      )
      withExtendedLifetime(slow) {}
    }
  }

  /// A trace whose replay under every policy takes seconds in a debug build.
  static let heavy = String(repeating: "+3\n+1\n-0\n", count: 300_000)

  @Test func readsAreAnsweredWhileReplaysRun() async throws {
    var settings = ServerSettings(port: 0)
    settings.traceTimeLimit = .seconds(3)
    final class Count: Sendable { let value = Atomic<Int>(0) }
    let finished = Count()
    try await routes.app(settings: settings).test(.live) { client in
      let port = try #require(client.port)
      try await withThrowingTaskGroup(of: String.self) { group in
        for _ in 0..<2 {
          group.addTask {
            let answer = try await Self.request(port, "POST", "/compare?trace-format=ostep", body: Self.heavy)
            finished.value.add(1, ordering: .relaxed)
            return answer
          }
        }
        try await Task.sleep(for: .milliseconds(500))
        let shown = try await Self.request(port, "GET", "/show")
        let health = try await Self.request(port, "GET", "/healthz")
        #expect(
          shown.hasSuffix("\r\n\r\nno heap: run NEW p N first\n") && health.hasSuffix("\r\n\r\nok\n"),
          "\(shown)")
        #expect(finished.value.load(ordering: .relaxed) == 0, "while both replays still run")
        for try await answer in group {
          #expect(
            answer.hasPrefix("HTTP/1.1 200")
              || answer.hasSuffix(
                "the replay took over 3 s and was stopped (memallook replay has no such limit)\n"),
            "\(answer.prefix(300))")
        }
      }
    }
  }

  @Test func aReplayOverTheTimeLimitIsStopped() async throws {
    var settings = ServerSettings(port: 0)
    settings.traceTimeLimit = .zero
    try await routes.app(settings: settings).test(.router) { client in
      let answer = try await routes.call(client, .post, "/replay?format=json", body: "+1,-0")
      #expect(answer.status == .serviceUnavailable)
      #expect(answer.body.contains("\"error\":\"time_limit\""))
    }
  }

  /// Jobs that end when told, to fill a lane.
  @Test func aFullLaneTurnsAwayAtOnceAndRunsNoMoreThanItsWidth() async throws {
    let lane = WorkLane(label: "test", width: 1, limit: 2)
    let release = DispatchSemaphore(value: 0)
    final class Running: Sendable {
      let now = Atomic<Int>(0)
      let most = Atomic<Int>(0)
    }
    let running = Running()
    let job: @Sendable () -> Int = {
      let now = running.now.add(1, ordering: .relaxed).newValue
      running.most.max(now, ordering: .relaxed)
      release.wait()
      running.now.subtract(1, ordering: .relaxed)
      return 1
    }
    let first = Task { await lane.run(job) }
    let second = Task { await lane.run(job) }
    try await Task.sleep(for: .milliseconds(200))
    let third = await lane.run(job)
    #expect(third == nil, "a third is turned away while two are in")
    release.signal()
    release.signal()
    let (one, two) = (await first.value, await second.value)
    #expect(one == 1 && two == 1)
    #expect(running.most.load(ordering: .relaxed) == 1)
    release.signal()
    let again = await lane.run(job)
    #expect(again == 1, "room again")
  }

  @Test func aTraceOverTheOperationLimitIs413() async throws {
    try await routes.app().test(.router) { client in
      let body = String(repeating: "+1\n", count: TraceRoutes.operationLimit + 1)
      let answer = try await routes.call(client, .post, "/replay?trace-format=ostep", body: body)
      #expect(answer.status == .contentTooLarge)
      #expect(
        answer.body.hasPrefix("the trace has 1000001 operations, over the 1000000 a request may replay"))
    }
  }

  @Test func aChangeWaitingForTheLockHoldsNoThreadAndIsNotMadeLater() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("heap.json").path
    let shared = try SharedSession(storage: StateStore(path: path, lockTimeout: .seconds(1)))
    let app = buildApplication(shared: shared, settings: ServerSettings(port: 0), logger: RouteTests.quiet)
    try await app.test(.live) { client in
      _ = try await routes.call(client, .post, "/new?p=16&N=64")
      // Another process holds the lock.
      let lock = open(path + ".lock", O_CREAT | O_RDWR, 0o600)
      #expect(flock(lock, LOCK_EX) == 0)
      let port = try #require(client.port)
      try await withThrowingTaskGroup(of: String.self) { group in
        for _ in 0..<4 { group.addTask { try await Self.request(port, "POST", "/alloc?M=16") } }
        try await Task.sleep(for: .milliseconds(200))
        let health = try await Self.request(port, "GET", "/healthz")
        let shown = try await Self.request(port, "GET", "/show")
        #expect(
          health.hasSuffix("\r\n\r\nok\n") && shown.contains("\r\n\r\n................"),
          "reads wait for nothing")
        for try await answer in group {
          #expect(answer.hasPrefix("HTTP/1.1 503"), "\(answer)")
          #expect(answer.contains("nothing was done") || answer.contains("was not made"))
        }
      }
      close(lock)
      #expect(
        try await routes.call(client, .get, "/show").body.hasPrefix("................"), "none made later")
      #expect(try await routes.call(client, .post, "/alloc?M=16").body == "1\n")
    }
  }
}
