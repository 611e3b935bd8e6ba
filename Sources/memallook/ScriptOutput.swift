import Foundation
import MemallookCore

/// Where `run` writes: replies on stdout, details and errors on stderr, each
/// collected in a byte buffer and written in large chunks.
///
/// When stdout and stderr are the same file (`2>&1`, or one terminal), one
/// buffer holds both, so a reader sees each detail right after its reply, as
/// when every line was written at once. A stream that is a terminal is written
/// at the end of every reply, so a user sees replies as they come; the runner
/// also flushes before it waits for input. Everything is written before `run`
/// returns.
struct ScriptOutput {
  /// Bytes held before a write.
  static let chunkSize = 1 << 16

  private var out: [UInt8] = []
  private var err: [UInt8] = []
  /// stdout and stderr are the same file: stderr's bytes go to `out`, in order.
  private let merged: Bool
  /// Write at the end of each reply (the stream is a terminal).
  private let outLive: Bool
  private let errLive: Bool

  init() {
    var outInfo = stat()
    var errInfo = stat()
    merged =
      fstat(STDOUT_FILENO, &outInfo) == 0 && fstat(STDERR_FILENO, &errInfo) == 0
      && outInfo.st_dev == errInfo.st_dev && outInfo.st_ino == errInfo.st_ino
    outLive = isatty(STDOUT_FILENO) == 1
    errLive = isatty(STDERR_FILENO) == 1
    out.reserveCapacity(Self.chunkSize + 4096)
  }

  /// A reply, on stdout, and its detail.
  mutating func reply(_ reply: Reply) {
    reply.appendText(to: &out)
    out.append(UInt8(ascii: "\n"))
    if merged ? reply.appendDetail(to: &out, prefix: "  ") : reply.appendDetail(to: &err, prefix: "  ") {
      if merged { out.append(UInt8(ascii: "\n")) } else { err.append(UInt8(ascii: "\n")) }
    }
  }

  /// A line of a reply, on stdout.
  mutating func reply(_ text: String) {
    out.append(contentsOf: text.utf8)
    out.append(UInt8(ascii: "\n"))
  }

  /// The blank line between two replies.
  mutating func separator() { out.append(UInt8(ascii: "\n")) }

  /// A detail of a reply or an error: stderr, indented, so stdout stays the exercise's wording.
  mutating func detail(_ text: String?) {
    guard let text else { return }
    if merged {
      out.append(contentsOf: "  ".utf8)
      out.append(contentsOf: text.utf8)
      out.append(UInt8(ascii: "\n"))
    } else {
      err.append(contentsOf: "  ".utf8)
      err.append(contentsOf: text.utf8)
      err.append(UInt8(ascii: "\n"))
    }
  }

  /// A diagnostic (a line that does not parse), on stderr.
  mutating func error(_ text: String) {
    if merged {
      out.append(contentsOf: text.utf8)
      out.append(UInt8(ascii: "\n"))
    } else {
      err.append(contentsOf: text.utf8)
      err.append(UInt8(ascii: "\n"))
    }
  }

  /// A reply (or an error) is complete: written now to a terminal, else once a chunk is full.
  mutating func endOfReply() {
    if outLive || out.count >= Self.chunkSize { Self.write(&out, to: STDOUT_FILENO) }
    if errLive || err.count >= Self.chunkSize { Self.write(&err, to: STDERR_FILENO) }
  }

  /// Writes everything held.
  mutating func flush() {
    Self.write(&out, to: STDOUT_FILENO)
    Self.write(&err, to: STDERR_FILENO)
  }

  /// Writes and empties `bytes`. A write that fails (a full disk, a closed stream) is kept by
  /// `Output`, which ends `run` with exit status 74; what follows is still run (and saved).
  private static func write(_ bytes: inout [UInt8], to descriptor: Int32) {
    guard !bytes.isEmpty else { return }
    Output.put(bytes, to: descriptor)
    bytes.removeAll(keepingCapacity: true)
  }
}
