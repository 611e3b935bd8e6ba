// libFuzzer target: any bytes as a stored session, in both formats the state file has
// had: the compact one (`StoredState`, a whole file) and the older JSON (the file's
// "session" object, through `JSONDecoder`). Either the bytes are refused with an error,
// or the heap they load keeps its invariants and every command works on it without trapping.
// Built and run by scripts/fuzz-core.sh with the sources of MemallookCore.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStoredSession(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  if let compact = try? StoredState.decode(bytes) { exercise(compact) }
  if let older = try? JSONDecoder().decode(Session.self, from: Data(buffer: bytes)) { exercise(older) }
  return 0
}

func exercise(_ loaded: Session) {
  var session = loaded
  for line in [
    "SHOW", "STATS", "ALLOC 1", "ALLOC 4096", "DEALLOC 1", "DEFRAG 1", "POLICY next", "ALLOC 3", "DEFRAG",
  ] {
    _ = try? session.execute(line)
    if let heap = session.heap {
      do { try heap.checkInvariants() } catch { fatalError("invariant broken after \(line): \(error)") }
    }
  }
  // What loads is written back and loads again as the same session.
  let again = StoredState.encode(session).withUnsafeBufferPointer { try? StoredState.decode($0) }
  guard let again, again.history.changes == session.history.changes,
    again.heap?.show() == session.heap?.show()
  else {
    fatalError("a loaded session does not survive writing and reading")
  }
}
