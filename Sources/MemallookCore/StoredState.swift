/// The state file's compact format (version 2): one line of JSON, read in one pass.
///
/// ```
/// {"format":"memallook-state","version":2,"session":{"random":7,"heap":{"id":"HEAP-123",
///  "pageSize":16,"pageCount":64,"policy":"best","nextTag":4,"nextFitCursor":11,
///  "peakPagesInUse":11,"failedAllocations":1,"allocations":[1,40,0,3,0,3,100,4,7,2]},
///  "history":{"base":0,"position":4,"changes":[0,1,0,0,0,1,40,0,3,0, ...]}}}
/// ```
///
/// `allocations` is flat, five numbers an allocation in address order: tag, bytes,
/// first page, pages, glyph (its index in `1`-`9a`-`zA`-`Z`). `changes` is flat too:
/// each change is its kind, the four counters from before it (next tag, next fit's
/// cursor, peak, failed ALLOCs), then its payload: 0 ALLOC and 1 DEALLOC an
/// allocation (five numbers), 2 REALLOC two allocations, 3 DEFRAG its `moves` limit
/// (0 for none), the number of moves and four numbers a move (tag, from, to,
/// pages), 4 POLICY the two policies (0 first, 1 next, 2 best, 3 worst, 4 buddy).
/// `latest` (optional) is the four counters of the last step. Every value is
/// checked as the older format's are; a heap is rebuilt by `Heap(restoring:)` and
/// the history replayed on a copy of it.
public enum StoredState {
  public static let format = "memallook-state"
  public static let version = 2
  /// Policies by their number in the format; new policies go at the end.
  /// A policy's code is its position in the table (new policies are added last).
  static let policies: [Policy] = Policy.allCases

  // MARK: Writing

  /// The whole file's bytes for `session`, its history trimmed to `History.storedLimit`.
  /// - Complexity: O(allocations + changes).
  public static func encode(_ session: Session) -> [UInt8] {
    var out = StoredWriter()
    out.text("{\"format\":\"\(format)\",\"version\":\(version),\"session\":{\"random\":")
    out.number(session.random.state)
    if let heap = session.heap {
      out.text(",\"heap\":{\"id\":\"\(heap.id)\",\"pageSize\":")
      out.number(heap.pageSize)
      out.text(",\"pageCount\":")
      out.number(heap.pageCount)
      out.text(",\"policy\":\"\(heap.policy.rawValue)\",\"nextTag\":")
      out.number(heap.nextTag)
      out.text(",\"nextFitCursor\":")
      out.number(heap.nextFitCursor)
      out.text(",\"peakPagesInUse\":")
      out.number(heap.peakPagesInUse)
      out.text(",\"failedAllocations\":")
      out.number(heap.failedAllocations)
      out.text(",\"allocations\":[")
      var first = true
      for allocation in heap.allocationsInAddressOrder() {
        if !first { out.comma() }
        first = false
        out.allocation(allocation)
      }
      out.text("]")
      if let order = heap.index.insertionOrder {  // TLSF's lists: the free runs' order of insertion
        out.text(",\"freeOrder\":[")
        for (index, start) in order.enumerated() {
          if index > 0 { out.comma() }
          out.number(start)
        }
        out.text("]")
      }
      out.text("}")
      if !session.history.changes.isEmpty {
        var kept = session.history
        kept.trim(to: History.storedLimit)
        out.history(kept)
      }
    }
    out.text("}}")
    return out.bytes
  }

  // MARK: Reading

  /// The session in a file's bytes, or nil when they are not this format (an older
  /// version, or not a state file at all: the caller's older reader decides).
  ///
  /// Without `history`, the history's records are read and checked one by one, as
  /// always, but neither kept nor replayed: the session has an empty history. That is
  /// for a command that reads the heap only and saves nothing (a one-shot SHOW), and
  /// saves it the memory and time of the history (half of the load, for 10^5 changes).
  /// - Throws: what is wrong with a file that says it is this format.
  /// - Complexity: one pass over the bytes, O(n) to rebuild the heap (allocations in
  ///   address order), and, with `history`, the history's replay.
  public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, history: Bool = true)
    throws(StoredStateError) -> Session?
  {
    var reader = StoredJSONReader(bytes)
    // The envelope: exactly `{"format":"memallook-state","version":2,` to be ours.
    guard reader.consume(UInt8(ascii: "{")), let key = try? reader.stringRange(),
      reader.equals(key, "format"),
      reader.consume(UInt8(ascii: ":")), let name = try? reader.stringRange(),
      reader.equals(name, "memallook-state"), reader.consume(UInt8(ascii: ",")),
      let versionKey = try? reader.stringRange(), reader.equals(versionKey, "version"),
      reader.consume(UInt8(ascii: ":")), (try? reader.integer()) == version
    else { return nil }
    try reader.expect(UInt8(ascii: ","))
    let sessionKey = try reader.stringRange()
    guard reader.equals(sessionKey, "session") else { throw reader.error("expected \"session\"") }
    try reader.expect(UInt8(ascii: ":"))
    let session = try readSession(&reader, history: history)
    try reader.expect(UInt8(ascii: "}"))
    guard reader.atEnd() else { throw reader.error("unexpected bytes after the state") }
    return session
  }

  private static func readSession(_ reader: inout StoredJSONReader, history keep: Bool)
    throws(StoredStateError) -> Session
  {
    var random: UInt64?
    var heap: Heap?
    var freeOrder: [Int]?
    var history: History?
    try reader.object { reader, key throws(StoredStateError) in
      if reader.equals(key, "random") {
        random = try reader.unsignedInteger()
      } else if reader.equals(key, "heap") {
        (heap, freeOrder) = try readHeap(&reader)
      } else if reader.equals(key, "history") {
        history = try readHistory(&reader, keepingChanges: keep)
      } else {
        throw reader.error("unknown field")
      }
    }
    guard let random else { throw StoredStateError("the session has no random state") }
    var session = Session(seed: random)
    guard keep, var checked = heap, let history else {
      if let freeOrder { try heap?.restore(freeOrder: freeOrder) }
      session.heap = heap
      return session
    }
    // The heap is checked in place while it has one owner: no copy of it is made.
    heap = nil
    do {
      try history.verify(inPlace: &checked)
    } catch {
      throw StoredStateError("history: \(error.description)")
    }
    // The replay's gives and takes reorder TLSF's lists: the stored order goes back last.
    if let freeOrder { try checked.restore(freeOrder: freeOrder) }
    session.heap = checked
    session.history = history
    return session
  }

  /// The heap, and the order of its free runs when its policy keeps one (TLSF).
  private static func readHeap(_ reader: inout StoredJSONReader) throws(StoredStateError) -> (Heap, [Int]?) {
    var id: String?
    var freeOrder: [Int]?
    var policy: Policy?
    var numbers = [Int?](repeating: nil, count: 6)
    let names: [StaticString] = [
      "pageSize", "pageCount", "nextTag", "nextFitCursor", "peakPagesInUse", "failedAllocations",
    ]
    var allocations: [Allocation] = []
    var sawAllocations = false
    try reader.object { reader, key throws(StoredStateError) in
      if reader.equals(key, "id") {
        id = try reader.string()
      } else if reader.equals(key, "policy") {
        let name = try reader.string()
        guard let value = Policy(rawValue: name) else { throw reader.error("unknown policy") }
        policy = value
      } else if reader.equals(key, "allocations") {
        try reader.expect(UInt8(ascii: "["))
        if !reader.consume(UInt8(ascii: "]")) {
          repeat {
            allocations.append(try allocation(&reader, first: try reader.integer()))
          } while reader.consume(UInt8(ascii: ","))
          try reader.expect(UInt8(ascii: "]"))
        }
        sawAllocations = true
      } else if reader.equals(key, "freeOrder") {
        var order: [Int] = []
        try reader.expect(UInt8(ascii: "["))
        if !reader.consume(UInt8(ascii: "]")) {
          repeat { order.append(try reader.integer()) } while reader.consume(UInt8(ascii: ","))
          try reader.expect(UInt8(ascii: "]"))
        }
        freeOrder = order
      } else if let index = names.firstIndex(where: { reader.equals(key, $0) }) {
        numbers[index] = try reader.integer()
      } else {
        throw reader.error("unknown field")
      }
    }
    guard let id, let policy, sawAllocations, let numbers = numbers as? [Int] else {
      throw StoredStateError("the heap lacks a field")
    }
    let heap = try Heap(
      restoring: Heap.Stored(
        id: id, pageSize: numbers[0], pageCount: numbers[1], policy: policy, nextTag: numbers[2],
        nextFitCursor: numbers[3], peakPagesInUse: numbers[4], failedAllocations: numbers[5],
        allocations: allocations))
    return (heap, freeOrder)
  }

  /// The allocation whose tag was just read: four more numbers.
  private static func allocation(_ reader: inout StoredJSONReader, first tag: Int) throws(StoredStateError)
    -> Allocation
  {
    let bytes = try reader.element()
    let firstPage = try reader.element()
    let pageCount = try reader.element()
    let glyph = try reader.element()
    guard (0..<GlyphTable.alphabet.count).contains(glyph) else {
      throw StoredStateError("allocation with tag \(tag) has no glyph \(glyph)")
    }
    return Allocation(
      tag: tag, bytes: bytes, firstPage: firstPage, pageCount: pageCount, glyphIndex: UInt8(glyph))
  }

  private static func counters(_ values: (Int, Int, Int, Int)) throws(StoredStateError) -> Counters {
    let counters = Counters(
      nextTag: values.0, nextFitCursor: values.1, peakPagesInUse: values.2, failedAllocations: values.3)
    guard counters.isValid else { throw StoredStateError("a change's counters are out of range") }
    return counters
  }

  /// The history; with `keepingChanges` false, its records are read and checked but not kept.
  private static func readHistory(_ reader: inout StoredJSONReader, keepingChanges keep: Bool)
    throws(StoredStateError) -> History
  {
    var base: Int?
    var position: Int?
    var latest: [Int] = []
    var changes: [Change] = []
    var count = 0
    try reader.object { reader, key throws(StoredStateError) in
      if reader.equals(key, "base") {
        base = try reader.integer()
      } else if reader.equals(key, "position") {
        position = try reader.integer()
      } else if reader.equals(key, "latest") {
        try reader.integers(into: &latest)
        guard latest.count == 4 else { throw reader.error("latest is not four numbers") }
      } else if reader.equals(key, "changes") {
        try reader.expect(UInt8(ascii: "["))
        // Room for as many changes as the bytes left could hold (the fewest a change takes),
        // up to what a file keeps: no copy as the array grows; room never written costs no memory.
        if keep {
          changes.reserveCapacity(min(reader.bytesLeft / Self.shortestChangeBytes, History.storedLimit))
        }
        if !reader.consume(UInt8(ascii: "]")) {
          repeat {
            let change = try change(&reader)
            if keep { changes.append(change) }
            count += 1
          } while reader.consume(UInt8(ascii: ","))
          try reader.expect(UInt8(ascii: "]"))
        }
      } else {
        throw reader.error("unknown field")
      }
    }
    guard let base, let position else { throw StoredStateError("the history lacks a field") }
    var history = History()
    history.changes = changes
    history.base = base
    history.position = position
    history.latest = latest.isEmpty ? nil : try counters((latest[0], latest[1], latest[2], latest[3]))
    guard (0...Heap.maximumCount).contains(base), (0...count).contains(position) else {
      throw StoredStateError("history position outside its changes")
    }
    return keep ? history : History()
  }

  /// The fewest bytes a change takes: seven one-digit numbers (a POLICY change) and their commas.
  private static let shortestChangeBytes = 14

  /// One change: its kind, the four counters from before it, its payload.
  private static func change(_ reader: inout StoredJSONReader) throws(StoredStateError) -> Change {
    let code = try reader.integer()
    let before = try counters((reader.element(), reader.element(), reader.element(), reader.element()))
    let kind: Change.Kind
    switch code {
    case 0: kind = .allocated(try allocation(&reader, first: try reader.element()))
    case 1: kind = .freed(try allocation(&reader, first: try reader.element()))
    case 2:
      let from = try allocation(&reader, first: try reader.element())
      kind = .reallocated(from: from, to: try allocation(&reader, first: try reader.element()))
    case 3:
      let limit = try reader.element()
      let count = try reader.element()
      guard limit >= 0, count >= 0 else {
        throw StoredStateError("a DEFRAG's moves are not [tag, from, to, pages]")
      }
      var moves: [Move] = []
      for _ in 0..<count {
        let move = Move(
          tag: try reader.element(), from: try reader.element(), to: try reader.element(),
          pageCount: try reader.element())
        guard move.pageCount > 0 else { throw StoredStateError("a move is not [tag, from, to, pages]") }
        moves.append(move)
      }
      kind = .defragmented(moves, limit: limit == 0 ? nil : limit)
    case 4:
      let from = try reader.element()
      let to = try reader.element()
      guard policies.indices.contains(from), policies.indices.contains(to) else {
        throw StoredStateError("a POLICY change names no policy")
      }
      kind = .policyChanged(from: policies[from], to: policies[to])
    default:
      throw StoredStateError("a change is none of alloc, free, realloc, defrag, policy")
    }
    return Change(kind: kind, before: before)
  }
}

/// The bytes of a state file in the compact format, numbers written without `String`s.
private struct StoredWriter {
  var bytes: [UInt8] = []

  mutating func text(_ text: String) { bytes.append(contentsOf: text.utf8) }
  mutating func comma() { bytes.append(UInt8(ascii: ",")) }

  mutating func number(_ value: Int) { appendDecimal(value, to: &bytes) }

  mutating func number(_ value: UInt64) { appendDecimal(magnitude: value, to: &bytes) }

  mutating func numbers(_ a: Int, _ b: Int) {
    number(a)
    comma()
    number(b)
  }

  mutating func numbers(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
    numbers(a, b)
    comma()
    numbers(c, d)
  }

  mutating func allocation(_ allocation: Allocation) {
    numbers(allocation.tag, allocation.bytes, allocation.firstPage, allocation.pageCount)
    comma()
    number(Int(allocation.glyphIndex))
  }

  mutating func counters(_ counters: Counters) {
    numbers(counters.nextTag, counters.nextFitCursor, counters.peakPagesInUse, counters.failedAllocations)
  }

  mutating func history(_ history: History) {
    text(",\"history\":{\"base\":")
    number(history.base)
    text(",\"position\":")
    number(history.position)
    if let latest = history.latest {
      text(",\"latest\":[")
      counters(latest)
      text("]")
    }
    text(",\"changes\":[")
    for (index, change) in history.changes.enumerated() {
      if index > 0 { comma() }
      let code: Int
      switch change.kind {
      case .allocated: code = 0
      case .freed: code = 1
      case .reallocated: code = 2
      case .defragmented: code = 3
      case .policyChanged: code = 4
      }
      number(code)
      comma()
      counters(change.before)
      comma()
      switch change.kind {
      case .allocated(let allocation), .freed(let allocation):
        self.allocation(allocation)
      case .reallocated(let from, let to):
        self.allocation(from)
        comma()
        self.allocation(to)
      case .defragmented(let moves, let limit):
        numbers(limit ?? 0, moves.count)
        for move in moves {
          comma()
          numbers(move.tag, move.from, move.to, move.pageCount)
        }
      case .policyChanged(let from, let to):
        numbers(
          StoredState.policies.firstIndex(of: from) ?? 0, StoredState.policies.firstIndex(of: to) ?? 0)
      }
    }
    text("]}")
  }
}
