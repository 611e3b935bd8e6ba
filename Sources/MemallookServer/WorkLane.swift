import Foundation
import Synchronization

/// Where work that may take long runs: on threads of its own, never the server's (nor
/// Dispatch's shared ones), so that while it runs other requests (GET /show, /healthz, the
/// mirror) are answered. At most `width` jobs run at once and `limit` are admitted (running
/// or waiting); one more is turned away at once (503 with Retry-After) rather than queued
/// without end. A job waiting holds no thread.
final class WorkLane: Sendable {
  let width: Int
  let limit: Int
  private let label: String
  private let state = Mutex(State())

  private struct State {
    var running = 0
    var waiting: [@Sendable () -> Void] = []
  }

  init(label: String, width: Int, limit: Int) {
    self.label = label
    self.width = width
    self.limit = limit
  }

  /// Changes to a heap kept in a state file: one at a time (each may wait for another
  /// process's lock), a few waiting.
  static func changes() -> WorkLane { WorkLane(label: "memallook.changes", width: 1, limit: 32) }

  /// A change that waited this long in `changes` is not made (its client may have gone).
  static let changeWait = Duration.seconds(5)

  /// Trace replays: one core fewer than the machine has (at least one), so that one is
  /// left for answering; two more may wait.
  static func traces() -> WorkLane {
    let width = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
    return WorkLane(label: "memallook.traces", width: width, limit: width + 2)
  }

  /// Runs `body` in the lane and gives its result; nil, without running it, when the lane is full.
  func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T? {
    await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
      let job: @Sendable () -> Void = { continuation.resume(returning: body()) }
      let admitted: Bool? = state.withLock { state in
        guard state.running + state.waiting.count < limit else { return nil }
        guard state.running < width else {
          state.waiting.append(job)
          return false
        }
        state.running += 1
        return true
      }
      switch admitted {
      case nil: continuation.resume(returning: nil)
      case true?: start(job)
      case false?: break  // a running job's thread takes it when done
      }
    }
  }

  /// A thread that runs `job`, then the jobs waiting, until none is left.
  private func start(_ job: @escaping @Sendable () -> Void) {
    let thread = Thread { [self] in
      var next: (@Sendable () -> Void)? = job
      while let job = next {
        job()
        next = state.withLock { state in
          guard !state.waiting.isEmpty else {
            state.running -= 1
            return nil
          }
          return state.waiting.removeFirst()
        }
      }
    }
    thread.name = label
    thread.start()
  }
}
