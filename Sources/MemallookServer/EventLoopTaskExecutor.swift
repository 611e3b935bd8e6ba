import NIOCore

/// Runs a task's jobs on one NIO event loop: the loop of the connection the task serves.
///
/// Without it, a request's handler runs on Swift concurrency's global pool while its
/// socket lives on an event loop, and every request crosses between the two threads
/// twice (the request parts in, the response out), each time waking a thread.
/// With a task bound to its channel's loop (`withTaskExecutorPreference`), reading the
/// request, running the handler and writing the response happen on one thread, as in
/// a plain NIO handler. A job enqueued from the loop's own thread takes NIO's
/// lock-free path; from elsewhere (a change from the TUI waking an event stream), the
/// loop is woken as for any `execute`.
///
/// Nothing that blocks may run under it: a blocked loop stalls every connection on it.
/// Work that can block or take long (a replayed trace, the state file) goes back to the
/// global pool with `Offload.run`.
final class EventLoopTaskExecutor: TaskExecutor {
  let loop: any EventLoop

  init(loop: any EventLoop) { self.loop = loop }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
  }
}

/// Running work that may block, or take long, away from the event loops.
enum Offload {
  /// Runs `body` on the global concurrent pool (whatever the task's executor preference);
  /// the caller goes back to its own executor at its next suspension.
  ///
  /// A preference alone moves a task only when it is next enqueued, and `body` may never
  /// suspend: it runs as a child task, which starts on the preferred executor.
  static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withTaskExecutorPreference(globalConcurrentExecutor) {
      async let result = body()
      return await result
    }
  }
}
