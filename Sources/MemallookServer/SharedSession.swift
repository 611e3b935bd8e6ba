import Foundation
import MemallookCore
import Synchronization

/// Where a shared session keeps its state between changes (the CLI's state file).
public protocol SessionStorage: Sendable {
  /// Runs `body` on the stored session, under the storage's lock, and keeps what it changed.
  func update<T>(_ body: (inout Session) throws -> T) throws -> T
  /// The stored session.
  func load() throws -> Session
}

/// One change, as fronts other than its author see it.
public struct ChangeEvent: Sendable, Codable, Equatable {
  /// Who made it: "http", "tui".
  public let source: String
  /// The command line.
  public let command: String
  /// Its reply (or error) text.
  public let reply: String
  public let ok: Bool
}

/// The one owner of a session shared by several fronts in one process (the TUI
/// and the HTTP listener): commands apply one at a time under a mutex, and every
/// change wakes the others, through an `eventfd` (for the ncurses loop, which
/// polls) and through `AsyncStream`s (for event-stream subscribers).
public final class SharedSession: Sendable {
  private struct State {
    var session: Session
    var unseen: [ChangeEvent] = []
    var subscribers: [UUID: AsyncStream<ChangeEvent>.Continuation] = [:]
  }

  private let state: Mutex<State>
  private let storage: (any SessionStorage)?
  /// Readable after a change (the read end of a pipe); `takeUnseen()` drains it.
  public let wakeDescriptor: Int32
  private let wakeWriter: Int32

  public init(session: Session, storage: (any SessionStorage)? = nil) {
    state = Mutex(State(session: session))
    self.storage = storage
    var ends: [Int32] = [-1, -1]
    _ = pipe(&ends)
    for end in ends { _ = fcntl(end, F_SETFL, O_NONBLOCK) }
    wakeDescriptor = ends[0]
    wakeWriter = ends[1]
  }

  deinit {
    close(wakeDescriptor)
    close(wakeWriter)
  }

  /// The session as it is now.
  public var session: Session { state.withLock { $0.session } }

  /// Applies `command` (through the storage when there is one) and tells everyone.
  /// - Throws: the command's failure; storage failures as `StorageFailure`.
  public func apply(_ command: Command, source: String, line: String? = nil) throws -> Reply {
    let outcome: Result<Reply, CommandError> = try state.withLock { state in
      var outcome: Result<Reply, CommandError> = .failure(.noHeap)
      let apply = { (session: inout Session) in
        outcome = Result { () throws(CommandError) in try session.apply(command) }
      }
      if let storage, command.changesState {
        state.session = try storage.update { stored in
          apply(&stored)
          return stored
        }
      } else {
        apply(&state.session)
      }
      if command.changesState {
        let text: String
        switch outcome {
        case .success(let reply): text = reply.fullText
        case .failure(let error): text = error.fullText
        }
        publish(
          ChangeEvent(
            source: source, command: line ?? command.line, reply: text, ok: (try? outcome.get()) != nil),
          in: &state)
      }
      return outcome
    }
    return try outcome.get()
  }

  /// Applies one defrag move; false when it no longer fits.
  public func apply(_ move: Move, source: String) throws -> Bool {
    try state.withLock { state in
      var applied = false
      if let storage {
        state.session = try storage.update { stored in
          applied = stored.apply(move)
          return stored
        }
      } else {
        applied = state.session.apply(move)
      }
      if applied {
        publish(
          ChangeEvent(
            source: source, command: "DEFRAG",
            reply: "tag \(move.tag) moved from page \(move.from) to \(move.to)",
            ok: true), in: &state)
      }
      return applied
    }
  }

  /// Changes made since the last call, for a front that polls (the TUI).
  public func takeUnseen() -> [ChangeEvent] {
    drainWakeups()
    return state.withLock { state in
      defer { state.unseen.removeAll() }
      return state.unseen
    }
  }

  /// Every change from now on, until the consumer stops listening.
  public func changes() -> AsyncStream<ChangeEvent> {
    let (stream, continuation) = AsyncStream.makeStream(
      of: ChangeEvent.self, bufferingPolicy: .bufferingNewest(256))
    let id = UUID()
    state.withLock { $0.subscribers[id] = continuation }
    continuation.onTermination = { [weak self] _ in
      _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
    }
    return stream
  }

  /// Re-reads the storage, which another process changed.
  public func reload() throws {
    guard let storage else { return }
    let stored = try storage.load()
    state.withLock { $0.session = stored }
  }

  private func publish(_ event: ChangeEvent, in state: inout State) {
    state.unseen.append(event)
    if state.unseen.count > 256 { state.unseen.removeFirst(state.unseen.count - 256) }
    for continuation in state.subscribers.values { continuation.yield(event) }
    var byte: UInt8 = 1
    _ = write(wakeWriter, &byte, 1)  // a full pipe already says "changed"
  }

  private func drainWakeups() {
    var buffer = [UInt8](repeating: 0, count: 256)
    while read(wakeDescriptor, &buffer, buffer.count) > 0 {}
  }
}
