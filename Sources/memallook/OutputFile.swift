import Foundation
import MemallookStore

/// A file a command writes whole (`compare --svg`). `-`, `/dev/stdout`, `/dev/stderr`,
/// `/dev/fd/N` and `/proc/self/fd/N` are the descriptor itself, written as it is (never
/// reopened: a `>>` stays an append); a regular file (or a new name) is replaced atomically,
/// through a new temporary file beside it renamed over it; anything else (a link, a FIFO,
/// a device) is written in place, never replaced.
enum OutputFile {
  /// The descriptor `path` names, when it names one of this process's.
  static func descriptor(named path: String) -> Int32? {
    switch path {
    case "-", "/dev/stdout": return STDOUT_FILENO
    case "/dev/stderr": return STDERR_FILENO
    default:
      for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
        if let number = Int32(path.dropFirst(prefix.count)), number >= 0 { return number }
      }
      return nil
    }
  }

  /// Writes `bytes` to `path`; false (said on stderr) when it cannot.
  static func write(_ bytes: [UInt8], to path: String) -> Bool {
    if let descriptor = descriptor(named: path) {
      return all(bytes, to: descriptor) || failed(path, errno)
    }
    var information = stat()
    if lstat(path, &information) == 0, information.st_mode & S_IFMT != S_IFREG {
      return inPlace(bytes, path)
    }
    let folder = Paths.folder(of: path)
    var template = Array(Paths.joined(folder.isEmpty ? "." : folder, ".memallook-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else { return failed(path, errno) }
    let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let written = all(bytes, to: descriptor)
    let code = written ? 0 : errno
    fchmod(descriptor, 0o644)
    close(descriptor)
    guard written, rename(temporary, path) == 0 else {
      let error = written ? errno : code
      unlink(temporary)
      return failed(path, error)
    }
    return true
  }

  private static func inPlace(_ bytes: [UInt8], _ path: String) -> Bool {
    let descriptor = open(path, O_WRONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return failed(path, errno) }
    defer { close(descriptor) }
    return all(bytes, to: descriptor) || failed(path, errno)
  }

  private static func all(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let count = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0, errno == EINTR { continue }
        guard count > 0 else {
          if count == 0 { errno = EIO }
          return false
        }
        offset += count
      }
      return true
    }
  }

  private static func failed(_ path: String, _ code: Int32) -> Bool {
    Output.error("memallook: cannot write \(path): \(String(cString: strerror(code)))")
    return false
  }
}
