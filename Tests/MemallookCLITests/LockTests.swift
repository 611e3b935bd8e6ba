import Foundation
import Testing

/// Another process holding the state file's lock: a change says it waits, then gives up
/// (exit 75) with nothing done; a read does not wait; `run --state` gives the lock back
/// while its script waits for more lines.
@Suite struct LockTests {
  /// Holds `state`'s lock as a memallook would (its pid in the lock file) until `release`.
  final class HeldLock {
    let descriptor: Int32

    /// `writingPid: false` holds it as another program would (`flock(1)`).
    init(on state: String, writingPid: Bool = true) throws {
      descriptor = open(state + ".lock", O_CREAT | O_RDWR, 0o600)
      try #require(descriptor >= 0 && flock(descriptor, LOCK_EX) == 0)
      guard writingPid else { return }
      let pid = "\(getpid())\n"
      _ = ftruncate(descriptor, 0)
      _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    func release() { close(descriptor) }
  }

  @Test func aChangeSaysItWaitsThenGivesUpWithNothingDone() throws {
    let state = try Memallook.temporaryStatePath()
    #expect(try Memallook.run(["16", "64", "--state", state]).status == 0)
    let lock = try HeldLock(on: state)
    let refused = try Memallook.run(
      ["alloc", "8", "--state", state], environment: ["MEMALLOOK_LOCK_TIMEOUT": "2"])
    #expect(refused.status == 75)
    #expect(
      refused.stderr.hasPrefix("memallook: waiting for the lock on \(state).lock (held by pid \(getpid()))\n")
    )
    #expect(
      refused.stderr.contains("is held by pid \(getpid()) for longer than 2 s: nothing was done (try again)"))
    // A read needs no lock.
    let shown = try Memallook.run(["show", "--state", state])
    #expect(shown.status == 0 && shown.stdout.hasPrefix("................"))
    lock.release()
    #expect(
      try Memallook.run(["alloc", "8", "--state", state]).stdout == "ok, tag = \"1\"\n", "the first ALLOC")
  }

  /// The pid of a memallook that has let the lock go is not named as the holder's.
  @Test func aHolderThatWritesNoPidIsNotGivenAStaleOne() throws {
    let state = try Memallook.temporaryStatePath()
    #expect(try Memallook.run(["16", "64", "--state", state]).status == 0)
    let lock = try HeldLock(on: state, writingPid: false)
    let refused = try Memallook.run(
      ["alloc", "8", "--state", state], environment: ["MEMALLOOK_LOCK_TIMEOUT": "2"])
    #expect(refused.status == 75)
    #expect(
      refused.stderr.hasPrefix("memallook: waiting for the lock on \(state).lock\n"), "\(refused.stderr)")
    lock.release()
  }

  @Test func aBadTimeoutIsSaidAndTheDefaultKept() throws {
    let state = try Memallook.temporaryStatePath()
    let made = try Memallook.run(
      ["16", "64", "--state", state], environment: ["MEMALLOOK_LOCK_TIMEOUT": "soon"])
    #expect(made.status == 0)
    #expect(
      made.stderr.contains(
        "MEMALLOOK_LOCK_TIMEOUT must be a whole number of seconds, not \"soon\": waiting 30 s"))
  }

  /// The script is fed through a pipe, a line at a time, as a person typing would.
  @Test func runStateGivesTheLockBackWhileItsScriptWaits() throws {
    let state = try Memallook.temporaryStatePath()
    let process = Process()
    process.executableURL = Memallook.binary
    process.arguments = ["run", "--state", state, "-"]
    let input = Pipe()
    let output = try Memallook.temporaryFolder().appendingPathComponent("out")
    FileManager.default.createFile(atPath: output.path, contents: nil)
    process.standardInput = input
    process.standardOutput = try FileHandle(forWritingTo: output)
    try process.run()
    input.fileHandleForWriting.write(Data("NEW 16 64\nALLOC 8\n".utf8))
    // Once the ALLOC is in the file, another command changes it without waiting.
    var shown = ""
    for _ in 0..<200 where !shown.hasPrefix("1") {
      shown = try Memallook.run(["show", "--state", state]).stdout
      if !shown.hasPrefix("1") { usleep(50_000) }
    }
    let other = try Memallook.run(
      ["alloc", "16", "--state", state], environment: ["MEMALLOOK_LOCK_TIMEOUT": "0"])
    #expect(other.status == 0 && other.stdout == "ok, tag = \"2\"\n", "\(other.stderr)")
    input.fileHandleForWriting.write(Data("ALLOC 8\n".utf8))
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let replies = try String(contentsOf: output, encoding: .utf8)
    #expect(replies.hasSuffix("ok, tag = \"3\"\n"), "the script saw the other change: \(replies)")
  }
}
