import HummingbirdCore
import Logging
import NIOCore

/// A server child channel whose connection task runs on the connection's event loop.
///
/// Hummingbird starts one task per connection on the global pool; this wrapper gives
/// that task (and its child tasks) an `EventLoopTaskExecutor` for the channel's own
/// loop, so the request never leaves the thread its socket is served on.
struct EventLoopBoundChannel<Base: ServerChildChannel>: ServerChildChannel {
  typealias Value = Base.Value
  let base: Base

  func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
    base.setup(channel: channel, logger: logger)
  }

  func handle(value: Value, logger: Logger) async {
    let executor = EventLoopTaskExecutor(loop: value.channel.eventLoop)
    await withTaskExecutorPreference(executor) {
      await base.handle(value: value, logger: logger)
    }
  }
}

extension HTTPServerBuilder {
  /// HTTP/1.1 as `.http1(configuration:)`, with each connection's task on its event loop.
  static func http1OnEventLoop(configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
    .init { responder in
      EventLoopBoundChannel(base: HTTP1Channel(responder: responder, configuration: configuration))
    }
  }
}
