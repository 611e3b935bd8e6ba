import ArgumentParser
import Foundation
import MemallookCore

extension Trace.Format: ExpressibleByArgument {}
extension TraceGenerator.Sizes: ExpressibleByArgument {}

/// A trace file for `replay` and `compare`, read as a stream, a chunk at a time, as often
/// as a command needs (standard input is copied to a temporary file first, so that it can
/// be read again). Its errors are `FILE:LINE: message`, exit status 64.
struct TraceFile {
  /// What messages call it: the path, or `<stdin>`.
  let name: String
  private let path: String
  /// Bytes in the file, for the progress bar.
  let size: Int
  /// The temporary copy of standard input, removed when done.
  private let temporary: Bool

  /// Bytes read at a time.
  static let chunkSize = 1 << 20
  /// Operations handed over at once when parsed on the caller's thread.
  static let batchSize = 1 << 12

  /// Opens `argument` (`-` for standard input).
  static func open(_ argument: String) throws -> TraceFile {
    if argument == "-" { return try spoolStandardInput() }
    var information = stat()
    guard stat(argument, &information) == 0 else {
      Output.error("memallook: cannot read \(argument): \(String(cString: strerror(errno)))")
      throw ExitCode(Status.usage)
    }
    guard information.st_mode & S_IFMT == S_IFREG else {
      let what = information.st_mode & S_IFMT == S_IFDIR ? "a directory" : "not a regular file"
      Output.error("memallook: \(argument) is \(what), not a trace")
      throw ExitCode(Status.usage)
    }
    return TraceFile(name: argument, path: argument, size: Int(information.st_size), temporary: false)
  }

  /// Standard input, copied to a temporary file.
  private static func spoolStandardInput() throws -> TraceFile {
    var template = Array((NSTemporaryDirectory() + "/memallook-stdin-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else {
      Output.error("memallook: cannot copy standard input: \(String(cString: strerror(errno)))")
      throw ExitCode(Status.usage)
    }
    let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    defer { Foundation.close(descriptor) }
    var buffer = [UInt8](repeating: 0, count: chunkSize)
    var total = 0
    while true {
      let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, chunkSize) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { break }
      let written = buffer.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, count) }
      guard written == count else {
        unlink(path)
        Output.error("memallook: cannot copy standard input: \(String(cString: strerror(errno)))")
        throw ExitCode(Status.usage)
      }
      total += count
    }
    return TraceFile(name: "<stdin>", path: path, size: total, temporary: true)
  }

  /// Removes the temporary copy of standard input, if any.
  func close() {
    if temporary { unlink(path) }
  }

  /// Reads the whole file once, handing its operations to `body` a batch at a time, in
  /// order (a replay warms the cache for the operations ahead); `progress` is told the
  /// bytes read after each chunk. Returns the parser at the end (its header, its count).
  /// - Throws: the trace's first problem (after reporting it), or the file's read error.
  /// - Parameter parsesAside: parse on a thread of its own (`ParsedAside`) while `body`
  ///   runs on this one: for one replay, which leaves the other core idle.
  func stream(
    format: Trace.Format?, strict: Bool, parsesAside: Bool = false, progress: (Int) -> Void = { _ in },
    _ body: ([Trace.Operation]) -> Void
  ) throws -> TraceParser {
    let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      Output.error("memallook: cannot read \(name): \(String(cString: strerror(errno)))")
      throw ExitCode(Status.usage)
    }
    defer { Foundation.close(descriptor) }
    let ending: Result<TraceParser, ReadFailure>
    if parsesAside {
      ending = ParsedAside(descriptor: descriptor, format: format, strict: strict).play(
        progress: progress, body)
    } else {
      var batch: [Trace.Operation] = []
      batch.reserveCapacity(Self.batchSize)
      ending = Self.parse(descriptor, format: format, strict: strict, progress: progress) {
        batch.append($0)
        if batch.count == Self.batchSize {
          body(batch)
          batch.removeAll(keepingCapacity: true)
        }
      }
      body(batch)  // every operation before a problem is played before it is told
    }
    switch ending {
    case .success(let parser):
      return parser
    case .failure(.trace(let error)):
      Output.error(error.text(file: name))
      throw ExitCode(Status.usage)
    case .failure(.read(let code)):
      Output.error("memallook: cannot read \(name): \(String(cString: strerror(code)))")
      throw ExitCode(Status.usage)
    }
  }

  /// Why reading a trace stopped before its end.
  enum ReadFailure: Error {
    case trace(TraceError)
    case read(errno: Int32)
  }

  /// Reads `descriptor` to its end a chunk at a time, handing each operation to `body`
  /// and the bytes read so far, after each chunk, to `progress`: the parser at the end (its
  /// header, its count), or the first problem (every operation before it handed over).
  static func parse(
    _ descriptor: Int32, format: Trace.Format?, strict: Bool, progress: (Int) -> Void,
    _ body: (Trace.Operation) -> Void
  ) -> Result<TraceParser, ReadFailure> {
    var parser = TraceParser(format: format, strict: strict)
    var buffer = [UInt8](repeating: 0, count: chunkSize)
    var done = 0
    func handle(_ operation: Trace.Operation, _: Int) throws(TraceError) { body(operation) }
    do throws(TraceError) {
      while true {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunkSize) }
        if count < 0, errno == EINTR { continue }
        guard count >= 0 else { return .failure(.read(errno: errno)) }
        if count == 0 { break }
        try buffer.withUnsafeBufferPointer { all throws(TraceError) in
          try parser.read(UnsafeBufferPointer(rebasing: all[..<count]), handle)
        }
        done += count
        progress(done)
      }
      try parser.finish(handle)
      return .success(parser)
    } catch {
      return .failure(.trace(error))
    }
  }
}

/// Replaying a trace file: the heap's size from a first pass when not given, then the
/// replay, streamed, with a progress bar on stderr when it is a terminal and the file is large.
enum TraceInput {
  /// What a first pass learns: the operations and the pages the trace needs.
  struct Survey {
    let operations: Int
    let pageCount: Int
  }

  /// One pass over the file without a heap: how many operations, and the pages a heap
  /// for it gets (`LiveBytes.pageCount`).
  static func survey(_ file: TraceFile, format: Trace.Format?, strict: Bool, pageSize: Int) throws -> Survey {
    var live = LiveBytes(pageSize: pageSize)
    let bar = ProgressBar(total: file.size, label: "reading", bytes: true)
    defer { bar.finish() }
    let parser = try file.stream(format: format, strict: strict, parsesAside: true, progress: bar.show) {
      for operation in $0 { live.apply(operation) }
    }
    return Survey(operations: parser.operationCount, pageCount: live.pageCount)
  }

  /// Replays the file on a fresh heap of `pageCount` pages.
  static func replay(
    _ file: TraceFile, format: Trace.Format?, strict: Bool, _ settings: ReplaySettings, pageCount: Int,
    label: String, showsProgress: Bool = true, parsesAside: Bool = false
  ) throws -> ReplaySummary {
    var replayer: TraceReplayer
    do {
      replayer = try TraceReplayer(settings: settings, pageCount: pageCount, mapsFirstPages: false)
    } catch {
      Output.error("memallook: \(error.fullText)")
      throw ExitCode(error.isUsageError ? Status.usage : Status.refused)
    }
    let bar = ProgressBar(total: showsProgress ? file.size : 0, label: label, bytes: true)
    defer { bar.finish() }
    _ = try file.stream(format: format, strict: strict, parsesAside: parsesAside, progress: bar.show) {
      replayer.play($0)
    }
    return replayer.summary
  }

  /// JSON as every front writes it: keys sorted.
  static func json(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
  }
}
