/// glibc's `mtrace()` log (`MALLOC_TRACE=file`): `= Start`, then a line per call,
/// `@ caller + 0xADDR 0xSIZE` (malloc and its kin), `@ caller - 0xADDR` (free),
/// `@ caller < 0xOLD` then `@ caller > 0xNEW 0xSIZE` (realloc), `= End`. Blocks are
/// named by address: each live address gets an id (ids are reused once freed, so the
/// ids stay near the most blocks live at once).
struct MtraceState {
  /// Live addresses → ids.
  var ids: [UInt64: Int] = [:]
  /// Ids freed, for reuse.
  var freeIDs: [Int] = []
  var nextID = 0
  /// The address a `<` line gave, waiting for its `>` line.
  var reallocating: UInt64?

  /// A new id (reused when one is free).
  mutating func newID() -> Int {
    if let id = freeIDs.popLast() { return id }
    defer { nextID += 1 }
    return nextID
  }

  /// The id of `address`, and forgets it (its id goes back for reuse); a new id never
  /// allocated when the address is unknown (a block from before the log started).
  mutating func release(_ address: UInt64) -> Int {
    guard let id = ids.removeValue(forKey: address) else {
      let unknown = newID()
      freeIDs.append(unknown)
      return unknown
    }
    freeIDs.append(id)
    return id
  }
}

extension TraceParser {
  mutating func mtraceLine(
    _ line: Slice<UnsafeBufferPointer<UInt8>>, _ body: (Trace.Operation, Int) throws(TraceError) -> Void
  ) throws(TraceError) {
    var index = line.startIndex
    guard let first = TraceReader.nextWord(in: line, from: &index) else { return }
    if first.first == UInt8(ascii: "=") { return }  // = Start, = End
    var word: Slice<UnsafeBufferPointer<UInt8>>? = first
    if first.elementsEqual("@".utf8) {
      // The caller, then the call: the first word that is one of + - < >.
      word = TraceReader.nextWord(in: line, from: &index)
      while let current = word, !(current.count == 1 && "+-<>".utf8.contains(current.first!)) {
        word = TraceReader.nextWord(in: line, from: &index)
      }
    }
    guard let call = word, call.count == 1 else {
      throw TraceError(line: lineNumber, problem: .unknownOperation(TraceReader.text(first)))
    }
    let number = lineNumber
    let address = try Self.hex(TraceReader.nextWord(in: line, from: &index), "an address", line: number)
    func size(_ index: inout Int) throws(TraceError) -> Int {
      let value = try Self.hex(TraceReader.nextWord(in: line, from: &index), "a size in bytes", line: number)
      guard value <= UInt64(Trace.maximumBytes) else {
        throw TraceError(
          line: number,
          problem: .numberTooLarge(what: "size in bytes", found: String(value), limit: Trace.maximumBytes))
      }
      return Int(value)
    }
    switch call.first! {
    case UInt8(ascii: "+"):
      let bytes = try size(&index)
      let id = mtrace.ids[address] ?? mtrace.newID()
      mtrace.ids[address] = id
      try emit(.alloc(id: id, bytes: bytes), body)
    case UInt8(ascii: "-"):
      try emit(.free(id: mtrace.release(address)), body)
    case UInt8(ascii: "<"):
      mtrace.reallocating = address
    default:  // ">": the new address and size of the realloc whose old address came just before
      let bytes = try size(&index)
      let id: Int
      if let old = mtrace.reallocating, let known = mtrace.ids.removeValue(forKey: old) {
        id = known
      } else {
        id = mtrace.newID()  // realloc of a block the log never saw: an allocation
      }
      mtrace.reallocating = nil
      mtrace.ids[address] = id
      try emit(.realloc(id: id, bytes: bytes), body)
    }
    if let extra = TraceReader.nextWord(in: line, from: &index) {
      throw TraceError(line: number, problem: .extraWords(TraceReader.text(extra)))
    }
  }

  /// `0x1b3e010` as a number.
  static func hex(_ word: Slice<UnsafeBufferPointer<UInt8>>?, _ what: String, line: Int) throws(TraceError)
    -> UInt64
  {
    guard let word, word.count > 2, word.starts(with: "0x".utf8) || word.starts(with: "0X".utf8) else {
      throw TraceError(line: line, problem: .badNumber(what: what, found: word.map(TraceReader.text) ?? ""))
    }
    var value: UInt64 = 0
    for byte in word.dropFirst(2) {
      let digit: UInt64
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
      default: throw TraceError(line: line, problem: .badNumber(what: what, found: TraceReader.text(word)))
      }
      guard value >> 60 == 0 else {
        throw TraceError(line: line, problem: .badNumber(what: what, found: TraceReader.text(word)))
      }
      value = value << 4 | digit
    }
    return value
  }
}
