import Foundation
import MemallookCore

/// `--state`: a session with `allocations` live allocations (2^24 pages of 16 bytes,
/// ALLOCs of 1 to 1,024 bytes, so as many history changes) written and read back in the
/// compact state format (version 2, one pass) and in the older JSON (version 1, through
/// `JSONEncoder` and `JSONDecoder`), in the same run, interleaved. Reading includes what
/// loading a state file does: rebuilding the heap, checking it, replaying the history.
/// Times are the thread's CPU time.
enum StateBench {
  static func commands(allocations: Int) -> [Command] {
    var random = SplitMix64(seed: 3)
    return [.new(pageSize: 16, pageCount: 1 << 24)]
      + (0..<allocations).map { _ in .alloc(bytes: 1 + Int(random.next(upperBound: 1024 as UInt64))) }
  }

  static func session(allocations: Int) -> Session {
    var session = Session(seed: 1)
    for command in commands(allocations: allocations) { _ = try! session.apply(command) }
    return session
  }

  /// The same session as a script for `memallook run --state`.
  static func script(allocations: Int) -> String {
    commands(allocations: allocations).map(\.line).joined(separator: "\n") + "\n"
  }

  static func run(allocations: Int) {
    let stored = session(allocations: allocations)
    let compact = StoredState.encode(stored)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let older = try! encoder.encode(stored)
    print(
      "state file of \(allocations) allocations and \(stored.history.changes.count) changes: "
        + "compact \(compact.count) bytes, older JSON \(older.count) bytes")
    for round in 1...3 {
      var start = threadCPUNanoseconds()
      let compactBytes = StoredState.encode(stored)
      let compactWrite = threadCPUNanoseconds() - start
      start = threadCPUNanoseconds()
      let loaded = compactBytes.withUnsafeBufferPointer { try! StoredState.decode($0)! }
      let compactRead = threadCPUNanoseconds() - start
      start = threadCPUNanoseconds()
      let olderBytes = try! encoder.encode(stored)
      let olderWrite = threadCPUNanoseconds() - start
      start = threadCPUNanoseconds()
      let olderLoaded = try! JSONDecoder().decode(Session.self, from: olderBytes)
      let olderRead = threadCPUNanoseconds() - start
      precondition(loaded.heap!.liveAllocationCount == olderLoaded.heap!.liveAllocationCount)
      precondition(loaded.history == olderLoaded.history)
      print(
        "  round \(round): read compact \(milliseconds(compactRead)) ms, older \(milliseconds(olderRead)) ms "
          + "(\(format(olderRead / compactRead, 5))x); write compact "
          + "\(milliseconds(compactWrite)) ms, older \(milliseconds(olderWrite)) ms "
          + "(\(format(olderWrite / compactWrite, 5))x)")
    }
  }

  /// `--profile-state`: only reads of the compact file, for `perf record`.
  static func profileReads(allocations: Int, rounds: Int) {
    let compact = StoredState.encode(session(allocations: allocations))
    let start = threadCPUNanoseconds()
    for _ in 0..<rounds {
      let loaded = compact.withUnsafeBufferPointer { try! StoredState.decode($0)! }
      precondition(loaded.heap!.liveAllocationCount == allocations)
    }
    print("read compact: \(milliseconds((threadCPUNanoseconds() - start) / Double(rounds))) ms")
  }

  static func milliseconds(_ nanoseconds: Double) -> String { format(nanoseconds / 1e6, 7) }
}
