/// The CS:APP malloc-lab `.rep` format: four header numbers (suggested heap
/// size, number of ids, number of operations, weight), then one operation a
/// line: `a id size`, `f id`, `r id size`.
extension Trace {
  /// The formats a trace is read from and written to.
  public enum Format: String, CaseIterable, Sendable {
    case rep
    case ostep
  }

  /// The format of `bytes` from its first word: a number starts a `.rep`
  /// header, `+` or `-` an OSTEP list; nil otherwise.
  public static func detectFormat(_ bytes: [UInt8]) -> Format? {
    guard let first = bytes.first(where: { !($0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D)) }) else { return nil }
    if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") { return .rep }
    return first == UInt8(ascii: "+") || first == UInt8(ascii: "-") ? .ostep : nil
  }

  /// Reads a trace in `format` (detected from the content when nil), checked whole:
  /// nothing of a malformed trace is returned.
  /// - Throws: `TraceError` with the line of the first problem.
  /// - Complexity: O(bytes + ids).
  public init(parsing bytes: [UInt8], format: Format? = nil) throws(TraceError) {
    try self.init(parsing: bytes, format: format, sizeLimit: Self.maximumFileSize)
  }

  /// `init(parsing:format:)` with another size limit (tests use a small one).
  init(parsing bytes: [UInt8], format: Format?, sizeLimit: Int) throws(TraceError) {
    guard bytes.count <= sizeLimit else {
      throw TraceError(line: nil, problem: .fileTooLarge(limit: sizeLimit))
    }
    guard let format = format ?? Self.detectFormat(bytes) else {
      throw TraceError(line: bytes.isEmpty ? nil : 1, problem: .unknownFormat)
    }
    let result = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(TraceError) in
        format == .rep ? try Self.readRep(buffer) : try Self.readOSTEP(buffer)
      }
    }
    self = try result.get()
  }

  private static let headerFields = [
    "suggested heap size", "number of ids", "number of operations", "weight",
  ]

  /// - Complexity: O(bytes + ids).
  private static func readRep(_ bytes: UnsafeBufferPointer<UInt8>) throws(TraceError) -> Trace {
    var reader = TraceReader(bytes)
    let limits = [Heap.maximumCount, maximumIDs, maximumOperations, Heap.maximumCount]
    var header: [Int] = []
    var operationsLine = 0
    while header.count < 4, let line = try reader.nextLine(limit: maximumLineLength) {
      var index = line.startIndex
      while header.count < 4, let word = TraceReader.nextWord(in: line, from: &index) {
        let field = headerFields[header.count]
        guard word.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
          throw TraceError(
            line: reader.lineNumber, problem: .badHeader(field: field, found: TraceReader.text(word)))
        }
        header.append(
          try TraceReader.number(word, field, limit: limits[header.count], line: reader.lineNumber))
        if header.count == 3 { operationsLine = reader.lineNumber }
      }
      if let extra = TraceReader.nextWord(in: line, from: &index) {
        throw TraceError(line: reader.lineNumber, problem: .extraWords(TraceReader.text(extra)))
      }
    }
    guard header.count == 4 else {
      throw TraceError(
        line: max(1, reader.lineNumber), problem: .badHeader(field: headerFields[header.count], found: ""))
    }
    var checker = TraceChecker(idCount: header[1])
    var operations: [Operation] = []
    operations.reserveCapacity(header[2])
    while let line = try reader.nextLine(limit: maximumLineLength) {
      let number = reader.lineNumber
      var index = line.startIndex
      guard let word = TraceReader.nextWord(in: line, from: &index) else { continue }
      guard operations.count < maximumOperations else {
        throw TraceError(line: number, problem: .tooManyOperations(limit: maximumOperations))
      }
      let operation: Operation
      let id = { () throws(TraceError) in
        try TraceReader.number(
          TraceReader.nextWord(in: line, from: &index), "an id", limit: maximumIDs - 1, line: number)
      }
      let size = { () throws(TraceError) in
        try TraceReader.number(
          TraceReader.nextWord(in: line, from: &index), "a size in bytes", limit: maximumBytes, line: number)
      }
      switch word.count == 1 ? word.first! : 0 {
      case UInt8(ascii: "a"): operation = .alloc(id: try id(), bytes: try size())
      case UInt8(ascii: "f"): operation = .free(id: try id())
      case UInt8(ascii: "r"): operation = .realloc(id: try id(), bytes: try size())
      default: throw TraceError(line: number, problem: .unknownOperation(TraceReader.text(word)))
      }
      if let extra = TraceReader.nextWord(in: line, from: &index) {
        throw TraceError(line: number, problem: .extraWords(TraceReader.text(extra)))
      }
      try checker.check(operation, line: number)
      operations.append(operation)
    }
    guard operations.count == header[2] else {
      throw TraceError(
        line: operationsLine, problem: .operationCountMismatch(declared: header[2], found: operations.count))
    }
    return Trace(checked: operations, idCount: header[1], suggestedHeapSize: header[0], weight: header[3])
  }

  /// The trace as a `.rep` file. The header keeps a read trace's suggested
  /// heap size and weight; a built one gets its peak of live bytes and weight 1.
  /// - Complexity: O(n).
  public var repText: String {
    var out: [UInt8] = []
    out.reserveCapacity(operations.count * 12 + 64)
    func put(_ text: String) { out.append(contentsOf: text.utf8) }
    put("\(suggestedHeapSize ?? peakLiveBytes())\n\(idCount)\n\(operations.count)\n\(weight ?? 1)\n")
    for operation in operations {
      switch operation {
      case .alloc(let id, let bytes): put("a \(id) \(bytes)\n")
      case .free(let id): put("f \(id)\n")
      case .realloc(let id, let bytes): put("r \(id) \(bytes)\n")
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
