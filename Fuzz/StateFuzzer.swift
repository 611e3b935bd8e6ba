// libFuzzer target: any bytes as a stored session (the state file's "session" object).
// Either it is refused with an error, or the heap it loads keeps its invariants and
// every command works on it without trapping.
// Built and run by scripts/fuzz-core.sh with the sources of MemallookCore.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStoredSession(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(bytes: data, count: size)
  guard var session = try? JSONDecoder().decode(Session.self, from: bytes) else { return 0 }
  for line in ["SHOW", "STATS", "ALLOC 1", "ALLOC 4096", "DEALLOC 1", "DEFRAG 1", "POLICY next", "ALLOC 3", "DEFRAG"] {
    _ = try? session.execute(line)
    if let heap = session.heap {
      do { try heap.checkInvariants() } catch { fatalError("invariant broken after \(line): \(error)") }
    }
  }
  return 0
}
