/// Reads a trace as it comes, a chunk of bytes at a time, and hands each operation on
/// with its line: memory is a line (or an OSTEP item) and, for mtrace, the live blocks,
/// never the whole trace. The three formats are told apart by their first bytes:
/// a number starts a CS:APP `.rep` header, `+` or `-` an OSTEP list, `=` or `@` glibc's
/// `mtrace` log.
///
/// A malformed input (a line that is no operation, an unknown one, a number that is not
/// one or is past the limits, a header that is not numbers) is a `TraceError` at its
/// line in every mode. What real traces contain that a tidy one would not (a free of
/// an id that is not live, `f -1`, a realloc of nothing, size 0, an alloc of a live id)
/// is left to the replay (`TraceReplayer`), unless `strict`, which refuses it here.
public struct TraceParser {
  /// The header a `.rep` trace starts with.
  public struct Header: Sendable, Equatable {
    public var suggestedHeapSize: Int
    public var idCount: Int
    public var operationCount: Int
    public var weight: Int
  }

  /// What the trace is (detected from the first bytes when not given).
  public private(set) var format: Trace.Format?
  public let strict: Bool
  /// The `.rep` header, once read.
  public private(set) var header: Header?
  /// Operations read so far.
  public private(set) var operationCount = 0
  /// The 1-based number of the line being read.
  private(set) var lineNumber = 1
  /// The bytes of the line (or OSTEP item) not finished yet.
  private var pending: [UInt8] = []
  private var headerFields: [Int] = []
  private var headerEndLine = 0
  /// Strict mode's check of each operation (ids in range, frees of live ids only).
  private var checker: TraceChecker?
  /// OSTEP: allocations so far (the next id).
  private var allocations = 0
  /// OSTEP: whether an item came since the last comma (`+10,,+5` has an empty one).
  private var itemSinceComma = true
  /// mtrace: addresses to ids.
  var mtrace = MtraceState()

  public init(format: Trace.Format? = nil, strict: Bool) {
    self.format = format
    self.strict = strict
  }

  /// Reads `bytes`, the next chunk of the input, calling `body` with each complete operation.
  /// - Throws: the first problem, at its line; nothing after it is read.
  public mutating func read(
    _ bytes: UnsafeBufferPointer<UInt8>, _ body: (Trace.Operation, Int) throws(TraceError) -> Void
  ) throws(TraceError) {
    var index = 0
    while format == nil, index < bytes.count {
      let byte = bytes[index]
      if Self.isSpace(byte) {
        if byte == UInt8(ascii: "\n") { lineNumber += 1 }
        index += 1
        continue
      }
      guard let detected = Self.format(startingWith: byte) else {
        throw TraceError(line: lineNumber, problem: .unknownFormat)
      }
      format = detected
      if detected == .ostep { checker = strict ? TraceChecker(idCount: 0, growing: true) : nil }
    }
    if format == .ostep {
      for byte in bytes[index...] {
        if byte == UInt8(ascii: ",") || Self.isSpace(byte) {
          if byte == UInt8(ascii: ",") {
            guard itemSinceComma || !pending.isEmpty else {
              throw TraceError(line: lineNumber, problem: .badOSTEPItem(""))
            }
            itemSinceComma = false
          }
          try endItem(body)
          if byte == UInt8(ascii: "\n") { lineNumber += 1 }
        } else {
          itemSinceComma = true
          guard pending.count < Self.maximumItemLength else {
            throw TraceError(line: lineNumber, problem: .lineTooLong(limit: Self.maximumItemLength))
          }
          pending.append(byte)
        }
      }
      return
    }
    // Lines: each read where it lies in the chunk; only a line cut by the chunk's end is copied.
    let limit = format == .mtrace ? Self.maximumMtraceLineLength : Trace.maximumLineLength
    while index < bytes.count {
      var end = index
      while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
      guard pending.count + end - index <= limit else {
        throw TraceError(line: lineNumber, problem: .lineTooLong(limit: limit))
      }
      guard end < bytes.count else {
        pending.append(contentsOf: bytes[index..<end])
        return
      }
      if pending.isEmpty {
        try parseLine(bytes[index..<end], body)
      } else {
        pending.append(contentsOf: bytes[index..<end])
        try endLine(body)
      }
      lineNumber += 1
      index = end + 1
    }
  }

  /// The end of the input: the last line, even without its line end; then the header's
  /// number of operations, which a strict read holds the trace to.
  public mutating func finish(_ body: (Trace.Operation, Int) throws(TraceError) -> Void) throws(TraceError) {
    if format == .ostep { try endItem(body) } else if !pending.isEmpty { try endLine(body) }
    guard let format else { throw TraceError(line: nil, problem: .unknownFormat) }
    if format == .rep {
      guard let header else {
        throw TraceError(
          line: max(1, lineNumber - 1),
          problem: .badHeader(field: Self.headerNames[headerFields.count], found: ""))
      }
      if strict, header.operationCount != operationCount {
        throw TraceError(
          line: headerEndLine,
          problem: .operationCountMismatch(declared: header.operationCount, found: operationCount))
      }
    }
  }

  /// The limit on an OSTEP item (`+123`), in bytes.
  static let maximumItemLength = 64
  /// mtrace lines name the caller, which can be long.
  static let maximumMtraceLineLength = 4096

  static let headerNames = ["suggested heap size", "number of ids", "number of operations", "weight"]

  /// The format a trace starting with `byte` (its first non-blank byte) is in.
  static func format(startingWith byte: UInt8) -> Trace.Format? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): .rep
    case UInt8(ascii: "+"), UInt8(ascii: "-"): .ostep
    case UInt8(ascii: "="), UInt8(ascii: "@"): .mtrace
    default: nil
    }
  }

  @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || (byte >= 0x09 && byte <= 0x0D)
  }

  /// Hands `operation` on, counted, checked first when strict.
  mutating func emit(_ operation: Trace.Operation, _ body: (Trace.Operation, Int) throws(TraceError) -> Void)
    throws(TraceError)
  {
    guard operationCount < Trace.maximumStreamedOperations else {
      throw TraceError(line: lineNumber, problem: .tooManyOperations(limit: Trace.maximumStreamedOperations))
    }
    try checker?.check(operation, line: lineNumber)
    operationCount += 1
    try body(operation, lineNumber)
  }

  /// The line kept in `pending` (it was cut by a chunk's end).
  private mutating func endLine(_ body: (Trace.Operation, Int) throws(TraceError) -> Void) throws(TraceError)
  {
    defer { pending.removeAll(keepingCapacity: true) }
    let text = pending
    try text.withUnsafeBufferPointer { buffer throws(TraceError) in try parseLine(buffer[...], body) }
  }

  /// One line of a `.rep` or mtrace trace, without its line end.
  private mutating func parseLine(
    _ words: Slice<UnsafeBufferPointer<UInt8>>, _ body: (Trace.Operation, Int) throws(TraceError) -> Void
  ) throws(TraceError) {
    switch format {
    case .rep: try repLine(words, body)
    case .mtrace: try mtraceLine(words, body)
    default: break
    }
  }

  // MARK: .rep

  private mutating func repLine(
    _ line: Slice<UnsafeBufferPointer<UInt8>>, _ body: (Trace.Operation, Int) throws(TraceError) -> Void
  ) throws(TraceError) {
    var index = line.startIndex
    let number = lineNumber
    if header == nil {
      let limits = [Heap.maximumCount, Trace.maximumIDs, Heap.maximumCount, Heap.maximumCount]
      while headerFields.count < 4, let word = TraceReader.nextWord(in: line, from: &index) {
        let field = Self.headerNames[headerFields.count]
        guard word.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
          throw TraceError(line: number, problem: .badHeader(field: field, found: TraceReader.text(word)))
        }
        headerFields.append(
          try TraceReader.number(word, field, limit: limits[headerFields.count], line: number))
        if headerFields.count == 3 { headerEndLine = number }
      }
      if let extra = TraceReader.nextWord(in: line, from: &index) {
        throw TraceError(line: number, problem: .extraWords(TraceReader.text(extra)))
      }
      if headerFields.count == 4 {
        header = Header(
          suggestedHeapSize: headerFields[0], idCount: headerFields[1], operationCount: headerFields[2],
          weight: headerFields[3])
        if strict { checker = TraceChecker(idCount: headerFields[1]) }
      }
      return
    }
    guard let word = TraceReader.nextWord(in: line, from: &index) else { return }
    if operationCount == 0, word.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
      throw TraceError(line: number, problem: .extraHeaderNumber(TraceReader.text(word)))
    }
    let idLimit = Trace.maximumIDs - 1
    func id(_ index: inout Int) throws(TraceError) -> Int {
      // `-1` (and any negative id) is C's NULL: `free(NULL)`, `realloc(NULL, n)`.
      let word = TraceReader.nextWord(in: line, from: &index)
      if let word, word.first == UInt8(ascii: "-"), word.count > 1 {
        _ = try TraceReader.number(word.dropFirst(), "an id", limit: idLimit, line: number)
        return -1
      }
      return try TraceReader.number(word, "an id", limit: idLimit, line: number)
    }
    func size(_ index: inout Int) throws(TraceError) -> Int {
      try TraceReader.number(
        TraceReader.nextWord(in: line, from: &index), "a size in bytes", limit: Trace.maximumBytes,
        line: number)
    }
    let operation: Trace.Operation
    switch word.count == 1 ? word.first! : 0 {
    case UInt8(ascii: "a"):
      let id = try id(&index)
      guard id >= 0 else { throw TraceError(line: number, problem: .badNumber(what: "an id", found: "-1")) }
      operation = .alloc(id: id, bytes: try size(&index))
    case UInt8(ascii: "f"): operation = .free(id: try id(&index))
    case UInt8(ascii: "r"): operation = .realloc(id: try id(&index), bytes: try size(&index))
    default: throw TraceError(line: number, problem: .unknownOperation(TraceReader.text(word)))
    }
    if let extra = TraceReader.nextWord(in: line, from: &index) {
      throw TraceError(line: number, problem: .extraWords(TraceReader.text(extra)))
    }
    try emit(operation, body)
  }

  // MARK: OSTEP

  /// `+size` allocates the next id, `-index` frees the index-th allocation.
  private mutating func endItem(_ body: (Trace.Operation, Int) throws(TraceError) -> Void) throws(TraceError)
  {
    guard let sign = pending.first else { return }
    defer { pending.removeAll(keepingCapacity: true) }
    let number = lineNumber
    let item = pending
    let operation = try item.withUnsafeBufferPointer { buffer throws(TraceError) -> Trace.Operation in
      let rest = buffer[1...]
      switch sign {
      case UInt8(ascii: "+"):
        guard allocations < Trace.maximumIDs else {
          throw TraceError(line: number, problem: .idTooLarge(allocations, limit: Trace.maximumIDs))
        }
        return .alloc(
          id: allocations,
          bytes: try TraceReader.number(rest, "a size in bytes", limit: Trace.maximumBytes, line: number))
      case UInt8(ascii: "-"):
        return .free(id: try TraceReader.number(rest, "an index", limit: Trace.maximumIDs - 1, line: number))
      default:
        throw TraceError(line: number, problem: .badOSTEPItem(TraceReader.text(buffer[...])))
      }
    }
    if case .alloc = operation { allocations += 1 }
    try emit(operation, body)
  }
}
