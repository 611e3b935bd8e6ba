/// A workload: allocations, frees and reallocations of trace ids, independent of a heap's tags.
///
/// A trace is checked when it is made (read from a file or built): every id is
/// in `0..<idCount`, a free or realloc names a live id, an alloc names an id
/// that is not live (an id may be allocated again after its free). Replaying
/// maps ids to the tags the heap gives.
public struct Trace: Sendable, Equatable {
  /// One line of a trace.
  public enum Operation: Sendable, Equatable {
    case alloc(id: Int, bytes: Int)
    case free(id: Int)
    case realloc(id: Int, bytes: Int)
  }

  /// The operations, in order.
  public let operations: [Operation]
  /// One more than the largest id a trace may use (a `.rep` header's number of ids).
  public let idCount: Int
  /// A `.rep` header's suggested heap size in bytes, if the trace came from one.
  public let suggestedHeapSize: Int?
  /// A `.rep` header's weight, if the trace came from one.
  public let weight: Int?

  /// A trace of `operations`, checked.
  /// - Throws: `TraceError` with the 1-based index of the first bad operation as its line.
  /// - Complexity: O(n + ids).
  public init(operations: [Operation], idCount: Int? = nil) throws(TraceError) {
    let count = idCount ?? (operations.map(\.id).max().map { $0 + 1 } ?? 0)
    guard operations.count <= Self.maximumOperations else {
      throw TraceError(line: nil, problem: .tooManyOperations(limit: Self.maximumOperations))
    }
    guard count <= Self.maximumIDs else {
      throw TraceError(line: nil, problem: .idTooLarge(count - 1, limit: Self.maximumIDs))
    }
    var checker = TraceChecker(idCount: count)
    for (index, operation) in operations.enumerated() { try checker.check(operation, line: index + 1) }
    self.init(checked: operations, idCount: count, suggestedHeapSize: nil, weight: nil)
  }

  /// A trace whose operations were checked by a `TraceChecker`.
  init(checked operations: [Operation], idCount: Int, suggestedHeapSize: Int?, weight: Int?) {
    self.operations = operations
    self.idCount = idCount
    self.suggestedHeapSize = suggestedHeapSize
    self.weight = weight
  }

  // MARK: Limits (docs/DECISIONS.md)

  /// The largest trace file read: 256 MiB (a 10^6-op trace is about 12 MB).
  public static let maximumFileSize = 256 << 20
  /// The longest line of a `.rep` trace, in bytes.
  public static let maximumLineLength = 256
  /// The most operations in one trace.
  public static let maximumOperations = 10_000_000
  /// Ids are `0 ..< maximumIDs`.
  public static let maximumIDs = 10_000_000
  /// The largest size of one operation, in bytes (1 TiB).
  public static let maximumBytes = 1 << 40

  /// The most bytes live at once, a moving realloc counting its old and new
  /// sizes together (saturating, never trapping).
  /// - Complexity: O(n + ids).
  public func peakLiveBytes(pageSize: Int = 1) -> Int {
    var sizes = [Int](repeating: 0, count: idCount)
    var live = 0
    var peak = 0
    for operation in operations {
      switch operation {
      case .alloc(let id, let bytes):
        sizes[id] = Self.rounded(bytes, pageSize)
        live = live.saturatingAdding(sizes[id])
        peak = max(peak, live)
      case .free(let id):
        live -= min(live, sizes[id])
        sizes[id] = 0
      case .realloc(let id, let bytes):
        let new = Self.rounded(bytes, pageSize)
        peak = max(peak, live.saturatingAdding(new))
        live = max(0, live - sizes[id]).saturatingAdding(new)
        sizes[id] = new
      }
    }
    return peak
  }

  /// `bytes` rounded up to whole pages of `pageSize`.
  static func rounded(_ bytes: Int, _ pageSize: Int) -> Int {
    ((bytes - 1) / pageSize + 1).saturatingMultiplied(by: pageSize)
  }
}

extension Trace.Operation {
  /// The trace id the operation names.
  public var id: Int {
    switch self {
    case .alloc(let id, _), .free(let id), .realloc(let id, _): id
    }
  }
}
