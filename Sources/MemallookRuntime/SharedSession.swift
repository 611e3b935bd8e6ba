import MemallookCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Where a shared session keeps its state between changes (the CLI's state file).
public protocol SessionStorage: Sendable {
  /// What the stored state is now (for a file: device, inode, size, modification time),
  /// cheap to ask; nil when nothing is stored.
  func version() -> StorageVersion?
  /// The stored session and its version.
  func load() throws -> (Session, StorageVersion?)
  /// Runs `body` on the stored session under the storage's lock and keeps what it
  /// changed; returns `body`'s result and the version after.
  func update<T>(_ body: (inout Session) throws -> T) throws -> (T, StorageVersion?)
}

/// A storage's error that says whether trying again later may work (another process
/// held the storage's lock too long): a server answers it with 503 and Retry-After.
public protocol StorageError: Error {
  var isBusy: Bool { get }
}

/// Identifies one state of a storage; equal versions mean nothing changed.
public struct StorageVersion: Equatable, Sendable {
  public let parts: [Int]
  public init(_ parts: [Int]) { self.parts = parts }
}

/// Who made a change.
public enum ChangeSource: String, Sendable, Codable {
  case tui, http
  /// Another process, through the state file.
  case file
}

/// One change, as fronts other than its author see it.
public struct ChangeEvent: Sendable, Codable, Equatable {
  public let source: ChangeSource
  /// The command line.
  public let command: String
  /// Its reply (or error) text.
  public let reply: String
  public let ok: Bool

  public init(source: ChangeSource, command: String, reply: String, ok: Bool) {
    self.source = source
    self.command = command
    self.reply = reply
    self.ok = ok
  }

  /// What another process did to the state file, as fronts announce it.
  public static let reloaded = ChangeEvent(
    source: .file, command: "", reply: "the state file changed (another memallook): reloaded", ok: true)
}

/// The one owner of a session, whatever the fronts (the TUI, the HTTP listener,
/// both) and wherever it is kept (memory, or a state file that other processes
/// change too). Commands apply one at a time under a mutex; with a storage, every
/// change goes through it and every read first re-reads it if it changed. Every
/// change wakes the other fronts, through a pipe (for the ncurses loop, which
/// polls) and through `AsyncStream`s (for event-stream subscribers).
public final class SharedSession: Sendable {
  private struct State {
    var session: Session
    /// The storage's version that `session` was read from or written as.
    var version: StorageVersion?
    /// The newest changes no front has taken; may hold up to twice `unseenLimit`, so that
    /// dropping the oldest costs O(1) a change, amortized.
    var unseen: [ChangeEvent] = []
    /// Whether a byte is in the wake pipe that `takeUnseen` has not drained yet.
    var wakePending = false
    var subscribers: [Int: AsyncStream<ChangeEvent>.Continuation] = [:]
    var nextSubscriber = 0
  }

  /// Changes kept for a front that has not looked yet; older ones are dropped.
  public static let unseenLimit = 256

  private let state: Mutex<State>
  private let storage: (any SessionStorage)?
  /// Readable after a change (the read end of a pipe); `takeUnseen()` drains it.
  public let wakeDescriptor: Int32
  private let wakeWriter: Int32

  /// A session in memory only.
  public convenience init(session: Session = Session(seed: UInt64.random(in: .min ... .max))) {
    self.init(session: session, version: nil, storage: nil)
  }

  /// The session kept in `storage`, loaded now.
  /// - Throws: the storage's reason it cannot be read.
  public convenience init(storage: any SessionStorage) throws {
    let (session, version) = try storage.load()
    self.init(session: session, version: version, storage: storage)
  }

  private init(session: Session, version: StorageVersion?, storage: (any SessionStorage)?) {
    state = Mutex(State(session: session, version: version))
    self.storage = storage
    var ends: [Int32] = [-1, -1]
    _ = pipe(&ends)
    for end in ends {
      _ = fcntl(end, F_SETFL, O_NONBLOCK)
      _ = fcntl(end, F_SETFD, FD_CLOEXEC)
    }
    wakeDescriptor = ends[0]
    wakeWriter = ends[1]
  }

  deinit {
    close(wakeDescriptor)
    close(wakeWriter)
  }

  /// The session as it is now, re-read first if the storage changed elsewhere.
  /// - Throws: the storage's reason it cannot be read; never an old copy instead.
  public func current() throws -> Session {
    try state.withLock { state in
      try refresh(&state)
      return state.session
    }
  }

  /// Re-reads the storage if another process changed it (announced as `ChangeEvent.reloaded`).
  public func refresh() throws {
    try state.withLock { state in try refresh(&state) }
  }

  /// Whether the session lives in a storage (a state file): a change may then wait for
  /// another process's lock, and a server runs it off its cooperative pool.
  public var hasStorage: Bool { storage != nil }

  /// Applies `command` (through the storage when there is one) and tells everyone.
  ///
  /// With a storage, a change runs under the storage's lock only, not this object's mutex:
  /// while it waits for another process, reads (`current()`, SHOW) are not held up. Two
  /// changes from this process are kept apart by the storage's lock too.
  /// - Throws: the command's `CommandError`, or the storage's error (nothing changed then).
  public func apply(_ command: Command, source: ChangeSource, line: String? = nil) throws -> Reply {
    var outcome: Result<Reply, CommandError> = .failure(.noHeap)
    let apply = { (session: inout Session) in
      outcome = Result { () throws(CommandError) in try session.apply(command) }
    }
    if let storage, command.changesState {
      // Another process's change since the last look is announced first, as a refresh would.
      let before = storage.version()
      let (session, version) = try storage.update { stored in
        apply(&stored)
        return stored
      }
      state.withLock { state in
        if before != state.version { publish(.reloaded, in: &state) }
        state.session = session
        state.version = version
        announce(command, line, outcome, source, in: &state)
      }
    } else {
      try state.withLock { state in
        try refresh(&state)
        apply(&state.session)
        announce(command, line, outcome, source, in: &state)
      }
    }
    return try outcome.get()
  }

  /// Tells the other fronts about a change (nothing for a command that changes nothing).
  private func announce(
    _ command: Command, _ line: String?, _ outcome: Result<Reply, CommandError>, _ source: ChangeSource,
    in state: inout State
  ) {
    guard command.changesState else { return }
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

  /// Changes made since the last call, for a front that polls (the TUI).
  public func takeUnseen() -> [ChangeEvent] {
    // Drained before the lock: a change made in between finds `wakePending` still set and
    // writes nothing, but it is in `unseen`, taken below; one made after writes again.
    drainWakeups()
    return state.withLock { state in
      defer { state.unseen.removeAll() }
      state.wakePending = false
      return Array(state.unseen.suffix(Self.unseenLimit))
    }
  }

  /// Every change from now on, until the consumer stops listening.
  public func changes() -> AsyncStream<ChangeEvent> {
    let (stream, continuation) = AsyncStream.makeStream(
      of: ChangeEvent.self, bufferingPolicy: .bufferingNewest(Self.unseenLimit))
    let id = state.withLock { state in
      defer { state.nextSubscriber += 1 }
      state.subscribers[state.nextSubscriber] = continuation
      return state.nextSubscriber
    }
    continuation.onTermination = { [weak self] _ in
      _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
    }
    return stream
  }

  private func refresh(_ state: inout State) throws {
    guard let storage, storage.version() != state.version else { return }
    let (session, version) = try storage.load()
    state.session = session
    state.version = version
    publish(.reloaded, in: &state)
  }

  private func publish(_ event: ChangeEvent, in state: inout State) {
    state.unseen.append(event)
    if state.unseen.count >= 2 * Self.unseenLimit {
      state.unseen.removeFirst(state.unseen.count - Self.unseenLimit)
    }
    for continuation in state.subscribers.values { continuation.yield(event) }
    // One byte per wake-up, not per change: without a TUI nobody drains the pipe.
    guard !state.wakePending else { return }
    state.wakePending = true
    var byte: UInt8 = 1
    _ = write(wakeWriter, &byte, 1)
  }

  private func drainWakeups() {
    var buffer = [UInt8](repeating: 0, count: 256)
    while read(wakeDescriptor, &buffer, buffer.count) > 0 {}
  }
}
