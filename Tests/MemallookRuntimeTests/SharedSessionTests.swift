import Glibc
import MemallookCore
import Testing

@testable import MemallookRuntime

@Suite struct SharedSessionTests {
  @Test func subscribersHearEveryChangeWithItsSourceAndReply() async throws {
    let shared = SharedSession(session: Session(seed: 1))
    var events = shared.changes().makeAsyncIterator()
    _ = try shared.apply(.new(pageSize: 16, pageCount: 64), source: .http, line: "NEW p=16 N=64")
    _ = try? shared.apply(.alloc(bytes: 4096), source: .tui)
    _ = try shared.apply(.show(), source: .http)  // reads change nothing: no event
    _ = try shared.apply(.alloc(bytes: 16), source: .http)
    let first = await events.next()
    #expect(first?.source == .http && first?.command == "NEW p=16 N=64" && first?.ok == true)
    let second = await events.next()
    #expect(
      second?.source == .tui && second?.ok == false && second?.reply.hasPrefix("allocation failed") == true)
    let third = await events.next()
    #expect(third?.command == "ALLOC 16" && third?.reply == "ok, tag = \"1\" (1 page from page 0)")
  }

  @Test func thePollingFrontGetsWhatItHasNotSeenAndIsWoken() throws {
    let shared = SharedSession(session: Session(seed: 1))
    var pollDescriptor = pollfd(fd: shared.wakeDescriptor, events: Int16(POLLIN), revents: 0)
    #expect(poll(&pollDescriptor, 1, 0) == 0, "nothing yet")
    _ = try shared.apply(.new(pageSize: 16, pageCount: 64), source: .http)
    #expect(poll(&pollDescriptor, 1, 0) == 1, "a change wakes the poller")
    #expect(shared.takeUnseen().map(\.command) == ["NEW 16 64"])
    #expect(shared.takeUnseen().isEmpty)
    #expect(poll(&pollDescriptor, 1, 0) == 0, "taking the changes drains the wake-up")
  }

  /// One byte in the pipe per wake-up, not per change: a server making thousands of changes a
  /// second with no TUI to drain the pipe makes one `write` call, not one each.
  @Test func changesBeforeTheFrontLooksWakeItOnce() throws {
    let shared = SharedSession(session: Session(seed: 1))
    var byte: [UInt8] = [0, 0, 0, 0]
    _ = try shared.apply(.new(pageSize: 16, pageCount: 64), source: .http)
    _ = try shared.apply(.alloc(bytes: 16), source: .http)
    _ = try shared.apply(.alloc(bytes: 16), source: .http)
    #expect(read(shared.wakeDescriptor, &byte, 4) == 1, "three changes, one wake-up")
    #expect(shared.takeUnseen().count == 3)
    _ = try shared.apply(.alloc(bytes: 16), source: .http)
    var pollDescriptor = pollfd(fd: shared.wakeDescriptor, events: Int16(POLLIN), revents: 0)
    #expect(poll(&pollDescriptor, 1, 0) == 1, "a change after the front looked wakes it again")
    #expect(shared.takeUnseen().map(\.command) == ["ALLOC 16"])
  }

  @Test func aFrontThatNeverLooksKeepsOnlyTheNewestChanges() throws {
    let shared = SharedSession(session: Session(seed: 1))
    _ = try shared.apply(.new(pageSize: 16, pageCount: 1 << 20), source: .http)
    for _ in 0..<(3 * SharedSession.unseenLimit) { _ = try shared.apply(.alloc(bytes: 16), source: .http) }
    let unseen = shared.takeUnseen()
    #expect(unseen.count == SharedSession.unseenLimit)
    #expect(unseen.last?.reply.hasPrefix("ok, tag = \"\(3 * SharedSession.unseenLimit)\"") == true)
  }

  @Test func readsComeFromTheStorageWhenAnotherProcessChangedIt() throws {
    let storage = FakeStorage()
    let shared = try SharedSession(storage: storage)
    _ = try shared.apply(.new(pageSize: 16, pageCount: 64), source: .http)
    storage.changeElsewhere { session in _ = try? session.apply(.alloc(bytes: 16)) }
    guard case .shown(let text) = try shared.apply(.show(), source: .http) else {
      Issue.record("SHOW did not show")
      return
    }
    #expect(text.hasPrefix("1..............."), "the outside ALLOC is visible to a read")
    #expect(shared.takeUnseen().map(\.source) == [.http, .file])
  }

  @Test func anUnreadableStorageFailsReadsInsteadOfServingAnOldCopy() throws {
    let storage = FakeStorage()
    let shared = try SharedSession(storage: storage)
    _ = try shared.apply(.new(pageSize: 16, pageCount: 64), source: .http)
    storage.breakIt()
    #expect(throws: FakeStorage.Broken.self) { try shared.apply(.show(), source: .http) }
    #expect(throws: FakeStorage.Broken.self) { try shared.current() }
    #expect(throws: FakeStorage.Broken.self) { try shared.apply(.alloc(bytes: 1), source: .http) }
  }
}

/// A storage in memory whose content another "process" can change or break.
final class FakeStorage: SessionStorage, @unchecked Sendable {
  struct Broken: Error {}
  private var stored = Session(seed: 3)
  private var generation = 0
  private var broken = false

  func version() -> StorageVersion? { StorageVersion([generation]) }

  func load() throws -> (Session, StorageVersion?) {
    guard !broken else { throw Broken() }
    return (stored, version())
  }

  func update<T>(_ body: (inout Session) throws -> T) throws -> (T, StorageVersion?) {
    guard !broken else { throw Broken() }
    let result = try body(&stored)
    generation += 1
    return (result, version())
  }

  func changeElsewhere(_ body: (inout Session) -> Void) {
    body(&stored)
    generation += 1
  }

  func breakIt() {
    broken = true
    generation += 1
  }
}
