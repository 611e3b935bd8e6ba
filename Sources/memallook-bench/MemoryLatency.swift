import MemallookCore

/// How long this machine takes to load a word that is not in cache: the unit a pair's time
/// is made of once its working set outgrows the caches. A chase through one random cycle
/// of cache lines (each load's address is the one before's value, so no two loads overlap)
/// in a buffer of a given size: about the L1 or L2 latency while the buffer fits, the
/// memory latency (and the TLB's share of it) beyond.
enum MemoryLatency {
  /// Nanoseconds per dependent load in a buffer of `bytes`, one load per 64-byte line.
  static func nanosecondsPerLoad(bytes: Int, loads: Int = 2_000_000) -> Double {
    let intsPerLine = 8
    let lines = bytes / 64
    var random = SplitMix64(seed: UInt64(bytes))
    // The lines in a random order (Fisher–Yates), chased as one cycle.
    var order = Array(0..<lines)
    for index in stride(from: lines - 1, to: 0, by: -1) {
      order.swapAt(index, Int(random.next(upperBound: UInt64(index + 1))))
    }
    var next = [Int](repeating: 0, count: lines * intsPerLine)
    for index in 0..<lines { next[order[index] * intsPerLine] = order[(index + 1) % lines] * intsPerLine }
    return next.withUnsafeBufferPointer { next in
      var position = 0
      for _ in 0..<lines { position = next[position] }  // once round, to warm what fits
      let start = threadCPUNanoseconds()
      for _ in 0..<loads { position = next[position] }
      let elapsed = threadCPUNanoseconds() - start
      precondition(position >= 0)
      return elapsed / Double(loads)
    }
  }

  static func run() {
    print("dependent random loads, one per 64-byte line (ns per load):")
    for megabytes in [1, 2, 4, 16, 64] {
      print("  \(pad(String(megabytes), 3)) MiB  \(format(nanosecondsPerLoad(bytes: megabytes << 20), 6))")
    }
  }
}
