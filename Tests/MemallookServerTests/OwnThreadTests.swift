import Foundation
import Testing

/// The tests' blocking reads and sends (`onOwnThread`) leave Swift's tasks, the test
/// server's handlers among them, free to run.
@Suite struct OwnThreadTests {
  @Test func blockedReadsDoNotHoldTheTasksBack() async {
    let release = DispatchSemaphore(value: 0)
    let blocked = (0..<8).map { _ in Task { await onOwnThread { release.wait() } } }
    // A task that sleeps 200 ms while they block wakes on time, and a new one runs at
    // once: not after Dispatch has found more workers (seconds, when they shared its threads).
    let clock = ContinuousClock()
    let start = clock.now
    try? await Task.sleep(for: .milliseconds(200))
    let ran = await Task.detached { clock.now }.value
    #expect(ran - start < .seconds(1), "200 ms of sleep and a task took \(ran - start) behind blocked reads")
    for _ in blocked { release.signal() }
    for task in blocked { await task.value }
  }
}
