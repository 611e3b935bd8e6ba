import Foundation
import MemallookCore

/// A trace parsed on a thread of its own (`TraceFile.parse`), a batch of operations at a
/// time, while the caller plays them: `replay` of one policy spends about a sixth of its
/// time parsing, which the second core takes off its path. At most `capacity` batches
/// wait, so memory stays a few batches, whatever the trace's length.
final class ParsedAside: @unchecked Sendable {
  /// What the parsing thread hands over, in order.
  private enum Item {
    /// Operations, and the file's bytes read once they were parsed.
    case batch([Trace.Operation], bytesRead: Int)
    /// The end: the parser, or the first problem (every operation before it was handed over).
    case end(Result<TraceParser, TraceFile.ReadFailure>)
  }

  /// Operations in a batch.
  static let batchSize = 1 << 15
  private static let capacity = 4

  private let condition = NSCondition()
  private var items: [Item] = []

  /// Starts parsing `descriptor` on a new thread; `play` takes what it parses.
  init(descriptor: Int32, format: Trace.Format?, strict: Bool) {
    Thread { [self] in
      var batch: [Trace.Operation] = []
      batch.reserveCapacity(Self.batchSize)
      var done = 0
      let ending = TraceFile.parse(descriptor, format: format, strict: strict, progress: { done = $0 }) {
        batch.append($0)
        if batch.count == Self.batchSize {
          self.put(.batch(batch, bytesRead: done))
          batch.removeAll(keepingCapacity: true)
        }
      }
      self.put(.batch(batch, bytesRead: done))
      self.put(.end(ending))
    }.start()
  }

  /// Hands the operations parsed to `body` a batch at a time, and the bytes read after each batch to
  /// `progress`, until the end: what `TraceFile.parse` ended with.
  func play(progress: (Int) -> Void, _ body: ([Trace.Operation]) -> Void) -> Result<
    TraceParser, TraceFile.ReadFailure
  > {
    while true {
      switch take() {
      case .batch(let operations, let bytesRead):
        body(operations)
        progress(bytesRead)
      case .end(let ending):
        return ending
      }
    }
  }

  private func take() -> Item {
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
}
