/// OSTEP's op list (malloc.py `-A`): `+10,-0,+20,-1`, where `+n` allocates n
/// bytes and `-i` frees the i-th allocation (counting from 0, failed ones included).
extension Trace {
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
        guard id >= 0, id < idCount else {
          throw TraceError(line: number + 1, problem: .notOSTEP("OSTEP's list has no free(NULL)"))
        }
        items.append("-\(index[id])")
      case .realloc:
        throw TraceError(line: number + 1, problem: .notOSTEP("OSTEP's list has no realloc"))
      }
    }
    return items.joined(separator: ",")
  }
}
