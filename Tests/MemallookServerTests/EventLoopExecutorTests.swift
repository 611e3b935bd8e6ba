import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import MemallookServer

/// Where a request's work runs: on its connection's event loop, and off it for work that can block.
@Suite struct EventLoopExecutorTests {
  /// Whether a task is on `loop` after each of two suspensions (before the first, a
  /// task still runs where it was: a preference takes effect when it is next enqueued).
  static func places(on loop: any EventLoop) async -> [Bool] {
    var seen: [Bool] = []
    await Task.yield()
    seen.append(loop.inEventLoop)
    try? await Task.sleep(for: .milliseconds(2))
    seen.append(loop.inEventLoop)
    return seen
  }

  @Test func aTaskPreferringTheExecutorRunsOnItsLoopAcrossSuspensions() async throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    let loop = group.next()
    let seen = await withTaskExecutorPreference(EventLoopTaskExecutor(loop: loop)) {
      await Self.places(on: loop)
    }
    #expect(seen == [true, true])
    try await group.shutdownGracefully()
  }

  @Test func offloadedWorkLeavesTheLoopAndTheCallerComesBack() async throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let loop = group.next()
    let seen = await withTaskExecutorPreference(EventLoopTaskExecutor(loop: loop)) {
      await Task.yield()
      // Offloaded work that never suspends runs off the loop too.
      let inside = await Offload.run { loop.inEventLoop }
      await Task.yield()
      return [inside, loop.inEventLoop]
    }
    #expect(seen == [false, true])
    try await group.shutdownGracefully()
  }

  /// A child channel that records where its connection task ran.
  struct Probe: ServerChildChannel {
    struct Value: ServerChildChannelValue { let channel: any Channel }
    let seen: AsyncStream<[Bool]>.Continuation

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
      channel.eventLoop.makeSucceededFuture(Value(channel: channel))
    }

    func handle(value: Value, logger: Logger) async {
      seen.yield(await EventLoopExecutorTests.places(on: value.channel.eventLoop))
    }
  }

  @Test func aBoundChannelHandlesItsConnectionOnTheChannelsLoop() async throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    let channel = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
    let (stream, continuation) = AsyncStream.makeStream(of: [Bool].self)
    let bound = EventLoopBoundChannel(base: Probe(seen: continuation))
    await bound.handle(value: Probe.Value(channel: channel), logger: Logger(label: "test"))
    var results = stream.makeAsyncIterator()
    #expect(await results.next() == [true, true])
    try await channel.close()
    try await group.shutdownGracefully()
  }
}
