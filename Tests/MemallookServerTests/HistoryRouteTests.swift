import Foundation
import Hummingbird
import HummingbirdTesting
import MemallookCore
import MemallookRuntime
import MemallookStore
import Testing

@testable import MemallookServer

/// REALLOC and the history over HTTP, and a state file shared with other processes.
@Suite struct HistoryRouteTests {
  let routes = RouteTests()

  @Test func reallocUndoRedoGotoAndHistory() async throws {
    try await routes.app().test(.router) { client in
      _ = try await routes.call(client, .post, "/new?p=16&N=64")
      _ = try await routes.call(client, .post, "/alloc?M=16")
      _ = try await routes.call(client, .post, "/alloc?M=16")
      let resized = try await routes.call(client, .post, "/realloc?tag=1&M=48")
      #expect(resized == Answer(.ok, "reallocation succeeded\n"))
      #expect(try await routes.call(client, .post, "/undo").body == "ok, at step 2 of 3\n")
      #expect(try await routes.call(client, .get, "/show").body.hasPrefix("12.............."))
      #expect(try await routes.call(client, .post, "/redo?steps=5").body == "ok, at step 3 of 3\n")
      #expect(try await routes.call(client, .post, "/redo").body == "nothing to redo\n")
      #expect(try await routes.call(client, .post, "/goto?step=0").body == "ok, at step 0 of 3\n")
      let missing = try await routes.call(client, .post, "/goto?step=7")
      #expect(missing.status == .notFound)
      let history = try await routes.call(client, .get, "/history?count=2")
      #expect(history.body.hasPrefix("history: step 0 of 3\n"))
      let json = try await routes.call(client, .post, "/goto?step=3&format=json")
      #expect(json.body.contains("\"lastStep\":3") && json.body.contains("\"step\":3"))
      let unknown = try await routes.call(client, .post, "/realloc?tag=9&M=1")
      #expect(unknown.status == .notFound)
      #expect(unknown.body.hasPrefix("reallocation failed, unknown tag"))
    }
  }

  @Test func serveWithAStateFileAnswersReadsFromTheFileAsItIsNow() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("heap.json").path
    let shared = try SharedSession(storage: StateStore(path: path))
    let app = buildApplication(shared: shared, settings: ServerSettings(port: 0), logger: RouteTests.quiet)
    try await app.test(.router) { client in
      _ = try await routes.call(client, .post, "/new?p=16&N=64")
      // Another process (the one-shot CLI) allocates through the same file.
      try StateStore(path: path).withSession(save: true) { session in _ = try session.execute("ALLOC 32") }
      #expect(try await routes.call(client, .get, "/show").body.hasPrefix("11.............."))
      #expect(try await routes.call(client, .get, "/stats").body.contains("\"liveAllocations\":1"))
      try "not a heap".write(toFile: path, atomically: true, encoding: .utf8)
      let broken = try await routes.call(client, .get, "/show")
      #expect(
        broken.status == .internalServerError, "an unreadable file fails the read; no old copy is served")
      #expect(broken.body.contains("is not a memallook state file"))
    }
  }
}
