import Hummingbird
import NIOCore

/// The context of a request: Hummingbird's basic one, plus its connection, so that a
/// route that stops reading a body (too slow, too large) can stop the connection's input
/// rather than leave the rest to be read.
public struct ServerContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  let channel: any Channel

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    channel = source.channel
  }
}
