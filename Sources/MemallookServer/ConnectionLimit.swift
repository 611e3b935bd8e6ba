import NIOCore
import Synchronization

/// At most `limit` connections open at once: one more is closed as soon as it is
/// accepted (the client sees the connection end), so a burst can neither exhaust
/// the process's descriptors nor stall the listener. Each connection's pipeline
/// gets a `Counter`; the count is shared.
final class ConnectionLimit: Sendable {
  let limit: Int
  private let open = Atomic<Int>(0)

  init(limit: Int) { self.limit = limit }

  /// Connections open now.
  var count: Int { open.load(ordering: .relaxed) }

  /// The handler for one new connection's pipeline.
  func counter() -> Counter { Counter(limit: self) }

  /// Counts its connection while it is in a pipeline; closes it at once past the limit.
  final class Counter: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny
    let limit: ConnectionLimit

    init(limit: ConnectionLimit) { self.limit = limit }

    func handlerAdded(context: ChannelHandlerContext) {
      if limit.open.wrappingAdd(1, ordering: .relaxed).newValue > limit.limit { context.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
      limit.open.wrappingSubtract(1, ordering: .relaxed)
    }
  }
}
