import Foundation

/// A file a command writes whole (`compare --svg`): `-` is standard output; a regular
/// file (or a new name) is replaced atomically, through a new temporary file beside it
/// renamed over it (a link is followed: its target is replaced); anything else (a FIFO,
/// a device, `/dev/stdout`) is written in place, never replaced.
enum OutputFile {
  /// Writes `bytes` to `path`; false (said on stderr) when it cannot.
  static func write(_ bytes: [UInt8], to path: String) -> Bool {
    if path == "-" { return Output.put(bytes, to: STDOUT_FILENO) }
    var information = stat()
    if stat(path, &information) == 0, information.st_mode & S_IFMT != S_IFREG {
      return inPlace(bytes, path)
    }
    let target =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { link in
        link.hasPrefix("/")
          ? link : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(link)
      } ?? path
    let folder = (target as NSString).deletingLastPathComponent
    var template = Array(((folder.isEmpty ? "." : folder) + "/.memallook-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else { return failed(path, errno) }
    let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let written = all(bytes, to: descriptor)
    let code = written ? 0 : errno
    fchmod(descriptor, 0o644)
    close(descriptor)
    guard written, rename(temporary, target) == 0 else {
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
