/// The CS:APP malloc-lab `.rep` format: four header numbers (suggested heap
/// size, number of ids, number of operations, weight), then one operation a
/// line: `a id size`, `f id`, `r id size` (read by `TraceParser`).
extension Trace {
  /// The formats a trace is read in (`mtrace` is read only).
  public enum Format: String, CaseIterable, Sendable {
    case rep
    case ostep
    /// glibc's `mtrace()` log.
    case mtrace
  }

  /// The format of `bytes` from its first word: a number starts a `.rep`
  /// header, `+` or `-` an OSTEP list, `=` or `@` an mtrace log; nil otherwise.
  public static func detectFormat(_ bytes: [UInt8]) -> Format? {
    bytes.first { !TraceParser.isSpace($0) }.flatMap(TraceParser.format(startingWith:))
  }

  /// Reads a whole trace in `format` (detected from the content when nil): as it is (what
  /// real traces contain is kept for the replay to read as C's allocator would), or
  /// `strict`ly (checked whole). Nothing of a malformed trace is returned.
  /// - Throws: `TraceError` with the line of the first problem.
  /// - Complexity: O(bytes + ids).
  public init(parsing bytes: [UInt8], format: Format? = nil, strict: Bool = false) throws(TraceError) {
    try self.init(parsing: bytes, format: format, strict: strict, sizeLimit: Self.maximumFileSize)
  }

  /// `init(parsing:format:strict:)` with another size limit (tests use a small one).
  init(parsing bytes: [UInt8], format: Format?, strict: Bool = false, sizeLimit: Int) throws(TraceError) {
    guard bytes.count <= sizeLimit else {
      throw TraceError(line: nil, problem: .fileTooLarge(limit: sizeLimit))
    }
    var parser = TraceParser(format: format, strict: strict)
    var operations = Operations()
    var largest = -1
    try bytes.withUnsafeBufferPointer { buffer throws(TraceError) in
      func collect(_ operation: Operation, _ line: Int) throws(TraceError) {
        guard operations.count < Trace.maximumOperations else {
          throw TraceError(line: line, problem: .tooManyOperations(limit: Trace.maximumOperations))
        }
        operations.append(operation)
        largest = max(largest, operation.id)
      }
      try parser.read(buffer, collect)
      try parser.finish(collect)
    }
    let header = parser.header
    self.init(
      checked: operations, idCount: max(header?.idCount ?? 0, largest + 1),
      suggestedHeapSize: header?.suggestedHeapSize, weight: header?.weight)
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
