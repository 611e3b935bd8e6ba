/// OSTEP's op list (malloc.py `-A`): `+10,-0,+20,-1`, where `+n` allocates n
/// bytes and `-i` frees the i-th allocation (counting from 0, failed ones included).
extension Trace {
  /// - Complexity: O(bytes).
  static func readOSTEP(_ bytes: UnsafeBufferPointer<UInt8>) throws(TraceError) -> Trace {
    var reader = TraceReader(bytes)
    var checker = TraceChecker(idCount: 0, growing: true)
    var operations: [Operation] = []
    var allocations = 0
    // An OSTEP list is usually one long line: no line limit beyond the file's.
    while let line = try reader.nextLine(limit: maximumFileSize) {
      let number = reader.lineNumber
      var index = line.startIndex
      while let item = TraceReader.nextWord(in: line, from: &index, separator: UInt8(ascii: ",")) {
        guard operations.count < maximumOperations else {
          throw TraceError(line: number, problem: .tooManyOperations(limit: maximumOperations))
        }
        let sign = item.first!
        let rest = item.dropFirst()
        let operation: Operation
        switch sign {
        case UInt8(ascii: "+"):
          guard allocations < maximumIDs else {
            throw TraceError(line: number, problem: .idTooLarge(allocations, limit: maximumIDs))
          }
          operation = .alloc(
            id: allocations,
            bytes: try TraceReader.number(rest, "a size in bytes", limit: maximumBytes, line: number))
          allocations += 1
        case UInt8(ascii: "-"):
          operation = .free(id: try TraceReader.number(rest, "an index", limit: maximumIDs - 1, line: number))
        default:
          throw TraceError(line: number, problem: .badOSTEPItem(TraceReader.text(item)))
        }
        try checker.check(operation, line: number)
        operations.append(operation)
      }
    }
    return Trace(checked: operations, idCount: checker.idCount, suggestedHeapSize: nil, weight: nil)
  }

  /// The trace as an OSTEP op list (`+10,-0`), allocations numbered in order.
  /// - Throws: `.notOSTEP` for a realloc, which OSTEP's list cannot say.
  /// - Complexity: O(n + ids).
  public func ostepText() throws(TraceError) -> String {
    var index = [Int](repeating: 0, count: idCount)
    var allocations = 0
    var items: [String] = []
    items.reserveCapacity(operations.count)
    for (number, operation) in operations.enumerated() {
      switch operation {
      case .alloc(let id, let bytes):
        index[id] = allocations
        allocations += 1
        items.append("+\(bytes)")
      case .free(let id):
        items.append("-\(index[id])")
      case .realloc:
        throw TraceError(line: number + 1, problem: .notOSTEP("OSTEP's list has no realloc"))
      }
    }
    return items.joined(separator: ",")
  }
}
