import MemallookCore

/// `--script`: a script of ALLOC/DEALLOC lines (~10^4 live, 2^20 pages of 16 bytes)
/// run as `memallook run` runs it (lines read as bytes, parsed, applied, replies and
/// details appended as bytes to an output buffer), against the path `run` took
/// before (the text split into `Character` lines, `Session.execute`, the reply's
/// `text` and `detail` strings) and against the same commands applied directly (the
/// core's own cost), in the same run, interleaved. No I/O: the buffer is emptied
/// every 64 KiB as `run` writes it. Times are the thread's CPU time.
enum ScriptBench {
  /// The script: `NEW 16 1048576`, then ALLOC of 1 to 1,024 bytes or DEALLOC of a random live tag.
  static func script(lines: Int) -> (text: [UInt8], commands: [Command]) {
    var random = SplitMix64(seed: 2026)
    var commands: [Command] = [.new(pageSize: 16, pageCount: 1 << 20)]
    var live: [Int] = []
    var next = 1
    for _ in 0..<lines {
      if !live.isEmpty, live.count >= 10_000 || random.next(upperBound: 10 as UInt64) < 4 {
        let index = Int(random.next(upperBound: UInt64(live.count)))
        live.swapAt(index, live.count - 1)
        commands.append(.dealloc(tag: String(live.removeLast())))
      } else {
        commands.append(.alloc(bytes: 1 + Int(random.next(upperBound: 1024 as UInt64))))
        live.append(next)
        next += 1
      }
    }
    return (Array(commands.map(\.line).joined(separator: "\n").utf8) + [10], commands)
  }

  static func run(lines: Int) {
    let (text, commands) = script(lines: lines)
    print("memallook run of a \(lines)-line ALLOC/DEALLOC script (~10^4 live, 2^20 pages), no I/O:")
    var rounds: [(bytes: Double, strings: Double, direct: Double)] = []
    for _ in 0..<3 {
      rounds.append((asBytes(text), asStrings(text), direct(commands)))
    }
    for (index, round) in rounds.enumerated() {
      print(
        "  round \(index + 1): as bytes \(format(round.bytes / Double(lines), 6)) ns/line "
          + "(\(Int(Double(lines) * 1e9 / round.bytes)) lines/s); as Characters and Strings (before) "
          + "\(format(round.strings / Double(lines), 6)) ns/line; commands applied directly "
          + "\(format(round.direct / Double(lines), 6)) ns/line; before/now "
          + format(round.strings / round.bytes, 5) + "x")
    }
  }

  /// What `run` does now. Returns nanoseconds.
  static func asBytes(_ text: [UInt8]) -> Double {
    var session = Session(seed: 1)
    var out: [UInt8] = []
    var err: [UInt8] = []
    out.reserveCapacity(1 << 17)
    err.reserveCapacity(1 << 17)
    let start = threadCPUNanoseconds()
    text.withUnsafeBufferPointer { bytes in
      var lineStart = 0
      var first = true
      while lineStart < bytes.count {
        var end = lineStart
        while end < bytes.count, bytes[end] != 10 { end += 1 }
        defer { lineStart = end + 1 }
        guard
          let command = try? CommandParser.parse(utf8: UnsafeBufferPointer(rebasing: bytes[lineStart..<end])),
          let reply = try? session.apply(command)
        else { continue }
        if !first { out.append(10) }
        first = false
        reply.appendText(to: &out)
        out.append(10)
        if reply.appendDetail(to: &err, prefix: "  ") { err.append(10) }
        if out.count >= 1 << 16 { out.removeAll(keepingCapacity: true) }
        if err.count >= 1 << 16 { err.removeAll(keepingCapacity: true) }
      }
    }
    let elapsed = threadCPUNanoseconds() - start
    precondition(session.heap!.liveAllocationCount > 0)
    return elapsed
  }

  /// What `run` did before: the whole text as a `String`, split into `Character` lines, each line
  /// executed from a `String`, the reply's text and detail built as strings. Returns nanoseconds.
  static func asStrings(_ bytes: [UInt8]) -> Double {
    var session = Session(seed: 1)
    var out: [UInt8] = []
    var err: [UInt8] = []
    let start = threadCPUNanoseconds()
    let text = String(decoding: bytes, as: UTF8.self)
    var first = true
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      guard let reply = try? session.execute(String(line)) else { continue }
      if !first { out.append(10) }
      first = false
      out.append(contentsOf: reply.text.utf8)
      out.append(10)
      if let detail = reply.detail { err.append(contentsOf: ("  " + detail + "\n").utf8) }
      if out.count >= 1 << 16 { out.removeAll(keepingCapacity: true) }
      if err.count >= 1 << 16 { err.removeAll(keepingCapacity: true) }
    }
    let elapsed = threadCPUNanoseconds() - start
    precondition(session.heap!.liveAllocationCount > 0)
    return elapsed
  }

  /// The same commands, parsed up front, applied with no reply written: the core's cost.
  static func direct(_ commands: [Command]) -> Double {
    var session = Session(seed: 1)
    let start = threadCPUNanoseconds()
    for command in commands { _ = try? session.apply(command) }
    let elapsed = threadCPUNanoseconds() - start
    precondition(session.heap!.liveAllocationCount > 0)
    return elapsed
  }
}
