import Foundation
import MemallookCore
import MemallookRuntime

/// The heap of the one-shot CLI, persisted in one JSON file between invocations.
///
/// Every use takes an exclusive `flock` on `PATH.lock`, reads the file, lets the
/// caller change the session, then writes a new uniquely named temporary file
/// beside it (`mkstemp`: `O_CREAT|O_EXCL`, so a planted symlink is never
/// followed), fsyncs it and renames it over `PATH` (then fsyncs the folder):
/// concurrent invocations serialize and a crash leaves either the old or the new
/// file, never half of one. Temporary files left by killed writers are removed
/// under the lock. A `PATH` that is a symlink is followed: the file it points to
/// is locked, read and replaced, and the link stays.
public struct StateStore: SessionStorage {
  /// A state file larger than this is refused unread.
  public static let maximumFileSize = 64 << 20

  /// The path as given.
  public let path: String
  /// How long a change waits for another process's lock before it gives up.
  public let lockTimeout: Duration
  /// Told once, after `lockNotice`, that a change waits for the lock: the lock file and the
  /// holder's pid (nil when unknown).
  let waiting: (@Sendable (String, Int32?) -> Void)?

  /// How long a change waits for the lock by default (the CLI's; exit status 75 after it).
  public static let defaultLockTimeout = Duration.seconds(30)
  /// How long a change waits for the lock before `waiting` is told.
  public static let lockNotice = Duration.seconds(1)

  public init(
    path: String, lockTimeout: Duration = defaultLockTimeout,
    waiting: (@Sendable (String, Int32?) -> Void)? = nil
  ) {
    self.path = path
    self.lockTimeout = lockTimeout
    self.waiting = waiting
  }

  /// `$MEMALLOOK_STATE`, else `$XDG_STATE_HOME/memallook/heap.json`, else `~/.local/state/memallook/heap.json`.
  public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    if let path = environment["MEMALLOOK_STATE"], !path.isEmpty { return path }
    return stateFolder(environment: environment) + "/heap.json"
  }

  /// `$XDG_STATE_HOME/memallook`, else `~/.local/state/memallook`.
  public static func stateFolder(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    let base =
      environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
    return base + "/memallook"
  }

  /// Runs `body` on the stored session under the lock; writes the result back when `save` is true.
  /// With `discardUnreadable`, an unusable file is replaced by a new session instead of refused.
  /// Without `history` (only when not saving, which would drop it), the session comes with an
  /// empty history, its records read and checked but not kept or replayed
  /// (`StoredState.decode(_:history:)`): for a command that reads the heap only.
  public func withSession<T>(
    save: Bool, history: Bool = true, discardUnreadable: Bool = false, _ body: (inout Session) throws -> T
  ) throws -> T {
    precondition(save ? history : true, "a session saved without its history would lose it")
    return try withVersionedSession(
      save: save, history: history, discardUnreadable: discardUnreadable, body
    ).result
  }

  /// `withSession`, also returning the file's version after it, taken under the lock.
  private func withVersionedSession<T>(
    save: Bool, history: Bool = true, discardUnreadable: Bool = false, _ body: (inout Session) throws -> T
  ) throws -> (result: T, version: StorageVersion?) {
    // Reading needs no lock: a writer replaces the file whole (rename), so a read sees the
    // old file or the new one. Only a change takes it.
    guard save else {
      let file = try resolved()
      var session = try decode(try readData(file), file: file, history: history)
      return (try body(&session), version(of: file))
    }
    return try locked { file in
      var original: Data?
      var session: Session
      do {
        original = try readData(file)
        session = try decode(original, file: file, history: history)
        // Only a save compares with what was read: a read-only command lets the bytes go now.
        if !save { original = nil }
      } catch let error as StateFileError where discardUnreadable && error.isUnreadable {
        original = original ?? Data()
        session = Session(seed: UInt64.random(in: .min ... .max))
      }
      let result = try body(&session)
      if save {
        let data = encode(session)
        // Write only what changed, and never create a file just to say "no heap".
        if data != original, original != nil || session.heap != nil { try write(data, to: file) }
      }
      return (result, version(of: file))
    }
  }

  /// Replaces a file that is not a usable state file by one without a heap.
  /// - Returns: true when it did; false when the file was fine (or absent) and is left as it was.
  public func discardUnreadable() throws -> Bool {
    var replaced = false
    try withSession(save: true, discardUnreadable: true) { session in
      if session.heap == nil, (try? read()) == nil { replaced = true }
    }
    return replaced
  }

  /// The stored session, or a new one when the file does not exist.
  public func read() throws -> Session {
    let file = try resolved()
    return try decode(try readData(file), file: file)
  }

  // MARK: SessionStorage

  public func version() -> StorageVersion? {
    (try? resolved()).flatMap(version(of:))
  }

  private func version(of file: String) -> StorageVersion? {
    var info = stat()
    guard stat(file, &info) == 0 else { return nil }
    return StorageVersion([
      Int(info.st_dev), Int(info.st_ino), Int(info.st_size), Int(info.st_mtim.tv_sec),
      Int(info.st_mtim.tv_nsec),
    ])
  }

  public func load() throws -> (Session, StorageVersion?) {
    try withVersionedSession(save: false) { $0 }
  }

  public func update<T>(_ body: (inout Session) throws -> T) throws -> (T, StorageVersion?) {
    try withVersionedSession(save: true, body)
  }

  // MARK: Files

  /// The file the state lives in: `path`, or what it links to.
  func resolved() throws -> String {
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return path }
    guard let real = realpath(path, nil) else { throw StateFileError.danglingLink(path) }
    defer { free(real) }
    return String(cString: real)
  }

  /// Takes the lock of the state file, clears leftovers of killed writers, runs `body` on the file's path.
  private func locked<T>(_ body: (String) throws -> T) throws -> T {
    let file = try resolved()
    let folder = Paths.folder(of: file)
    if !folder.isEmpty { try Self.createPrivateFolders(folder) }
    let lockFile = file + ".lock"
    let lock = open(lockFile, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard lock >= 0 else { throw StateFileError.io(lockFile, errno) }
    defer { close(lock) }
    try acquire(lock, lockFile)
    // The pid is taken back before the lock is let go: a pid left behind would name a
    // process that no longer holds it to whoever waits next.
    defer { _ = ftruncate(lock, 0) }
    // Who holds it, for those who wait.
    let pid = Array("\(getpid())\n".utf8)
    if ftruncate(lock, 0) == 0 { _ = pid.withUnsafeBytes { pwrite(lock, $0.baseAddress, $0.count, 0) } }
    removeLeftovers(of: file)
    return try body(file)
  }

  /// Creates `folder` and the folders above it that are missing, each 0700 whatever the
  /// umask (the XDG base directory rule: a state file is the user's alone).
  static func createPrivateFolders(_ folder: String) throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue { return }
    let parent = Paths.folder(of: folder)
    if !parent.isEmpty, parent != folder { try createPrivateFolders(parent) }
    if mkdir(folder, 0o700) == 0 {
      _ = chmod(folder, 0o700)  // the umask may have taken bits away; never added any
    } else if errno != EEXIST {
      throw StateFileError.io(folder, errno)
    }
  }

  /// Takes the lock, polling: after `lockNotice` says who holds it, after `lockTimeout` gives up.
  private func acquire(_ lock: Int32, _ lockFile: String) throws {
    let clock = ContinuousClock()
    let start = clock.now
    var told = false
    var pause = Duration.milliseconds(5)
    while flock(lock, LOCK_EX | LOCK_NB) != 0 {
      guard errno == EWOULDBLOCK || errno == EINTR else { throw StateFileError.io(lockFile, errno) }
      let waited = clock.now - start
      if waited >= lockTimeout { throw StateFileError.lockTimeout(lockFile, Self.holder(lock), lockTimeout) }
      if !told, waited >= Self.lockNotice {
        told = true
        waiting?(lockFile, Self.holder(lock))
      }
      let (seconds, attoseconds) = pause.components
      var time = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
      nanosleep(&time, nil)
      pause = min(pause * 2, .milliseconds(100))
    }
  }

  /// The pid the lock's holder wrote in the lock file, if any.
  private static func holder(_ lock: Int32) -> Int32? {
    var bytes = [UInt8](repeating: 0, count: 16)
    let count = bytes.withUnsafeMutableBytes { pread(lock, $0.baseAddress, $0.count, 0) }
    guard count > 0 else { return nil }
    return Int32(
      String(decoding: bytes.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
  }

  /// Temporary files of writers that died before their rename (the lock is ours, so no one is writing them).
  private func removeLeftovers(of file: String) {
    let folder = Paths.folder(of: file)
    let prefix = Paths.name(of: file) + ".tmp-"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)
    else { return }
    for name in names where name.hasPrefix(prefix) {
      unlink(folder.isEmpty ? name : folder + "/" + name)
    }
  }

  /// The file's bytes, nil when it does not exist; refuses anything but a regular file under the size limit.
  private func readData(_ file: String) throws -> Data? {
    let descriptor = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
    guard descriptor >= 0 else {
      if errno == ENOENT { return nil }
      throw StateFileError.io(file, errno)
    }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw StateFileError.io(file, errno) }
    guard info.st_mode & S_IFMT == S_IFREG else { throw StateFileError.foreign(file) }
    guard info.st_size <= Self.maximumFileSize else { throw StateFileError.tooLarge(file, Int(info.st_size)) }
    var data = Data(count: Int(info.st_size))
    var offset = 0
    while offset < data.count {
      let count = data.withUnsafeMutableBytes { buffer in
        Foundation.read(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
      }
      if count < 0 && errno == EINTR { continue }
      guard count >= 0 else { throw StateFileError.io(file, errno) }
      if count == 0 { break }
      offset += count
    }
    return data.prefix(offset)
  }

  /// The session in `data`: the current format (`StoredState`) in one pass, else the legacy
  /// one (`LegacyStateFile`), which is converted when the file is next written. Without `history`,
  /// a compact file's session comes without its history (`StoredState.decode(_:history:)`).
  private func decode(_ data: Data?, file: String, history: Bool = true) throws -> Session {
    guard let data else { return Session(seed: UInt64.random(in: .min ... .max)) }
    let compact = data.withUnsafeBytes { raw in
      Result { () throws(StoredStateError) in
        try StoredState.decode(raw.bindMemory(to: UInt8.self), history: history)
      }
    }
    switch compact {
    case .success(let session?): return session
    case .success(nil): break
    case .failure(let error): throw StateFileError.corrupt(file, error.description)
    }
    return try LegacyStateFile.decode(data, file: file)
  }

  /// The file's bytes for `session`, in the compact format.
  func encode(_ session: Session) -> Data {
    Data(StoredState.encode(session))
  }

  /// Replaces `file` with `data`: new temporary file, fsync, rename, fsync of the folder.
  private func write(_ data: Data, to file: String) throws {
    var template = Array((file + ".tmp-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else { throw StateFileError.io(file + ".tmp-XXXXXX", errno) }
    _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
    let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let written = data.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let count = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return false }
        offset += count
      }
      return true
    }
    let synced = fsync(descriptor) == 0
    close(descriptor)
    guard written, synced, rename(temporary, file) == 0 else {
      let error = errno
      unlink(temporary)
      throw StateFileError.io(file, error)
    }
    let folder = Paths.folder(of: file)
    let directory = open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC)
    if directory >= 0 {
      _ = fsync(directory)
      close(directory)
    }
  }

}

/// Why the state file cannot be used. The file is never overwritten in these cases.
public enum StateFileError: StorageError, CustomStringConvertible {
  case foreign(String)
  case corrupt(String, String)
  case tooLarge(String, Int)
  case danglingLink(String)
  case io(String, Int32)
  /// Another process held the lock longer than the timeout: the lock file, its pid, the wait.
  case lockTimeout(String, Int32?, Duration)

  /// The file is there but is not a state file memallook can use (`clear --force` replaces it).
  public var isUnreadable: Bool {
    switch self {
    case .foreign, .corrupt, .tooLarge: true
    case .danglingLink, .io, .lockTimeout: false
    }
  }

  /// Another process held the lock: trying again later may work.
  public var isBusy: Bool {
    if case .lockTimeout = self { return true }
    return false
  }

  public var description: String {
    switch self {
    case .foreign(let path):
      "\(path) is not a memallook state file; left untouched (move it away or pass --state PATH)"
    case .corrupt(let path, let reason):
      "\(path) is corrupt (\(reason)); left untouched (move it away, or run `memallook clear --force`)"
    case .tooLarge(let path, let size):
      "\(path) is \(size) bytes, over the \(StateStore.maximumFileSize >> 20) MiB a state file may have; "
        + "left untouched (move it away, or run `memallook clear --force`)"
    case .danglingLink(let path):
      "\(path) is a symbolic link to a file that does not exist; create the file or pass another --state"
    case .io(let path, let code):
      "\(path): \(String(cString: strerror(code)))"
    case .lockTimeout(let path, let pid, let waited):
      "\(path) is held\(pid.map { " by pid \($0)" } ?? "") for longer than \(waited.components.seconds) s: "
        + "nothing was done (try again)"
    }
  }
}
