import Foundation
import MemallookCore

/// Operations parsed on a thread of their own, a batch at a time, while the caller plays
/// them: `replay` of one policy spends about a sixth of its time parsing, which the
/// second core takes off its path. At most `capacity` batches wait, so memory stays a few
/// batches, whatever the trace's length.
final class ParsedAside: @unchecked Sendable {
  /// What the parsing thread hands over, in order.
  enum Item {
    /// Operations, and the file's bytes read once they were parsed.
    case batch([Trace.Operation], bytesRead: Int)
    /// The end: the parser, or the first problem (every operation before it was handed over).
    case end(Result<TraceParser, TraceFailure>)
  }

  /// Why the parsing stopped before the file's end.
  enum TraceFailure: Error {
    case trace(TraceError)
    case read(errno: Int32)
  }

  /// Operations in a batch.
  static let batchSize = 1 << 15
  private static let capacity = 4

  private let condition = NSCondition()
  private var items: [Item] = []

  /// Starts parsing `descriptor` on a new thread; `take()` gives what it parsed.
  init(descriptor: Int32, format: Trace.Format?, strict: Bool, chunkSize: Int) {
    let thread = Thread { [self] in
      self.parse(descriptor: descriptor, format: format, strict: strict, chunkSize: chunkSize)
    }
    thread.start()
  }

  /// The next item, waiting for it. After `.end`, nothing more comes.
  func take() -> Item {
    condition.lock()
    defer { condition.unlock() }
    while items.isEmpty { condition.wait() }
    condition.broadcast()
    return items.removeFirst()
  }

  private func put(_ item: Item) {
    condition.lock()
    defer { condition.unlock() }
    while items.count >= Self.capacity { condition.wait() }
    items.append(item)
    condition.broadcast()
  }

  private func parse(descriptor: Int32, format: Trace.Format?, strict: Bool, chunkSize: Int) {
    var parser = TraceParser(format: format, strict: strict)
    var buffer = [UInt8](repeating: 0, count: chunkSize)
    var batch: [Trace.Operation] = []
    batch.reserveCapacity(Self.batchSize)
    var done = 0
    func handle(_ operation: Trace.Operation, _: Int) throws(TraceError) {
      batch.append(operation)
      if batch.count == Self.batchSize {
        put(.batch(batch, bytesRead: done))
        batch.removeAll(keepingCapacity: true)
      }
    }
    let ending: Result<TraceParser, TraceFailure>
    do throws(TraceError) {
      while true {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunkSize) }
        if count < 0, errno == EINTR { continue }
        if count < 0 {
          put(.batch(batch, bytesRead: done))
          put(.end(.failure(.read(errno: errno))))
          return
        }
        if count == 0 { break }
        try buffer.withUnsafeBufferPointer { all throws(TraceError) in
          try parser.read(UnsafeBufferPointer(rebasing: all[..<count]), handle)
        }
        done += count
      }
      try parser.finish(handle)
      ending = .success(parser)
    } catch {
      ending = .failure(.trace(error))
    }
    put(.batch(batch, bytesRead: done))
    put(.end(ending))
  }
}
