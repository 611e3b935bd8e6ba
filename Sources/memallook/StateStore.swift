import Foundation
import MemallookCore

/// The heap of the one-shot CLI, persisted in one JSON file between invocations.
///
/// Every use takes an exclusive `flock` on `PATH.lock`, reads the file, lets the
/// caller change the session, then writes `PATH.tmp-PID`, fsyncs it and renames
/// it over `PATH` (then fsyncs the directory): concurrent invocations serialize
/// and a crash leaves either the old or the new file, never half of one.
struct StateStore: Sendable {
  static let format = "memallook-state"
  static let version = 1

  let path: String

  /// `$MEMALLOOK_STATE`, else `$XDG_STATE_HOME/memallook/heap.json`, else `~/.local/state/memallook/heap.json`.
  static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let path = environment["MEMALLOOK_STATE"], !path.isEmpty { return path }
    let base =
      environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
    return base + "/memallook/heap.json"
  }

  /// Runs `body` on the stored session under the lock; writes the result back when `save` is true.
  /// With `discardUnreadable`, an unusable file is replaced by a new session instead of refused.
  func withSession<T>(save: Bool, discardUnreadable: Bool = false, _ body: (inout Session) throws -> T)
    throws -> T
  {
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }
    let lock = open(path + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard lock >= 0 else { throw StateFileError.io(path + ".lock", errno) }
    defer { close(lock) }
    while flock(lock, LOCK_EX) != 0 {
      guard errno == EINTR else { throw StateFileError.io(path + ".lock", errno) }
    }
    let original = FileManager.default.contents(atPath: path)
    var session: Session
    do {
      session = try read()
    } catch is StateFileError where discardUnreadable {
      session = Session(seed: UInt64.random(in: .min ... .max))
    }
    let result = try body(&session)
    if save {
      let data = try encode(session)
      // Write only what changed, and never create a file just to say "no heap".
      if data != original, original != nil || session.heap != nil { try write(data) }
    }
    return result
  }

  /// The stored session, or a new one when the file does not exist.
  func read() throws -> Session {
    guard let data = FileManager.default.contents(atPath: path) else {
      if FileManager.default.fileExists(atPath: path) { throw StateFileError.io(path, EACCES) }
      return Session(seed: UInt64.random(in: .min ... .max))
    }
    let envelope: Envelope
    do {
      guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
        object["format"] as? String == Self.format
      else { throw StateFileError.foreign(path) }
      guard object["version"] as? Int == Self.version else {
        throw StateFileError.corrupt(path, "unsupported version \(object["version"] ?? "none")")
      }
      envelope = try JSONDecoder().decode(Envelope.self, from: data)
    } catch let error as StateFileError {
      throw error
    } catch let DecodingError.dataCorrupted(context) {
      throw StateFileError.corrupt(path, context.debugDescription)
    } catch is DecodingError {
      throw StateFileError.corrupt(path, "fields missing or of the wrong type")
    } catch {
      throw StateFileError.foreign(path)
    }
    return envelope.session
  }

  func encode(_ session: Session) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(Envelope(session: session))
  }

  /// Replaces the file with `data`: temporary file, fsync, rename, fsync of the folder.
  func write(_ data: Data) throws {
    let temporary = "\(path).tmp-\(getpid())"
    let file = open(temporary, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o644)
    guard file >= 0 else { throw StateFileError.io(temporary, errno) }
    let written = data.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let count = Foundation.write(file, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return false }
        offset += count
      }
      return true
    }
    let synced = fsync(file) == 0
    close(file)
    guard written, synced, rename(temporary, path) == 0 else {
      let error = errno
      unlink(temporary)
      throw StateFileError.io(path, error)
    }
    let directory = open(
      (path as NSString).deletingLastPathComponent.isEmpty
        ? "." : (path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
    if directory >= 0 {
      fsync(directory)
      close(directory)
    }
  }

  private struct Envelope: Codable {
    var format = StateStore.format
    var version = StateStore.version
    var session: Session
  }
}

/// Why the state file cannot be used. The file is never overwritten in these cases.
enum StateFileError: Error, CustomStringConvertible {
  case foreign(String)
  case corrupt(String, String)
  case io(String, Int32)

  var description: String {
    switch self {
    case .foreign(let path):
      "\(path) is not a memallook state file; left untouched (move it away or pass --state PATH)"
    case .corrupt(let path, let reason):
      "\(path) is corrupt (\(reason)); left untouched (move it away, or run `memallook clear --force`)"
    case .io(let path, let code):
      "\(path): \(String(cString: strerror(code)))"
    }
  }
}
