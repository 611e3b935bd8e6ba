// libFuzzer target: any bytes, read as lines of the command language, run on one
// session; nothing may trap and the heap must keep its invariants after each line.
// Built and run by scripts/fuzz-core.sh with the sources of MemallookCore.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCommands(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  var session = Session(seed: 1)
  for line in text.split(separator: "\n").prefix(64) {
    _ = try? CommandParser.parseLine(String(line))  // the TUI's prompt: the screen's commands too
    _ = try? session.execute(String(line))
    if let heap = session.heap {
      do { try heap.checkInvariants() } catch { fatalError("invariant broken after \(line): \(error)") }
      _ = heap.show(width: 7)
    }
  }
  return 0
}
