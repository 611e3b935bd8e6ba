/// A workload in memory: allocations, frees and reallocations of trace ids, independent
/// of a heap's tags (for the TUI's player, HTTP, tests; `replay` and `compare` stream
/// theirs through a `TraceParser` instead).
///
/// A trace built from operations, or read strictly, is checked whole: every id is in
/// `0..<idCount`, a free or realloc names a live id, an alloc names an id that is not
/// live (an id may be allocated again after its free). A trace read as it is (the
/// default) keeps what real traces contain (`TraceReplayer` says how each is played).
/// Replaying maps ids to the tags the heap gives.
public struct Trace: Sendable, Equatable {
  /// One line of a trace.
  public enum Operation: Sendable, Equatable {
    case alloc(id: Int, bytes: Int)
    case free(id: Int)
    case realloc(id: Int, bytes: Int)
  }

  /// The operations, in order (12 bytes each).
  public let operations: Operations
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
    self.init(checked: Operations(operations), idCount: count, suggestedHeapSize: nil, weight: nil)
  }

  /// A trace whose operations were read (and, when strict, checked) by a `TraceParser`.
  init(checked operations: Operations, idCount: Int, suggestedHeapSize: Int?, weight: Int?) {
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
  /// The most operations in one trace held in memory (the player, HTTP).
  public static let maximumOperations = 10_000_000
  /// The most operations `replay` and `compare` stream from one trace (their memory is the
  /// live blocks, not the operations; tags stay below 2^31).
  public static let maximumStreamedOperations = 1_000_000_000
  /// Ids are `0 ..< maximumIDs`.
  public static let maximumIDs = 10_000_000
  /// The largest size of one operation, in bytes (1 TiB).
  public static let maximumBytes = 1 << 40

  /// The most bytes live at once, a moving realloc counting its old and new sizes
  /// together (saturating, never trapping), as `TraceReplayer` plays the operations.
  /// - Complexity: O(n + ids).
  public func peakLiveBytes(pageSize: Int = 1) -> Int {
    var live = LiveBytes(pageSize: pageSize)
    for operation in operations { live.apply(operation) }
    return live.peak
  }
}

/// The bytes a trace has live as it plays (with `TraceReplayer`'s reading of real traces),
/// and their peak: what sizes a heap for a trace.
public struct LiveBytes: Sendable {
  let pageSize: Int
  private var sizes: [Int] = []
  private var live = 0
  public private(set) var peak = 0

  public init(pageSize: Int) { self.pageSize = max(1, pageSize) }

  public mutating func apply(_ operation: Trace.Operation) {
    switch operation {
    case .alloc(let id, let bytes):
      release(id)
      set(id, Self.rounded(bytes, pageSize))
      live = live.saturatingAdding(sizes[id])
      peak = max(peak, live)
    case .free(let id):
      release(id)
    case .realloc(let id, let bytes):
      guard id >= 0 else { return }
      let old = id < sizes.count ? sizes[id] : 0
      if bytes == 0, old > 0 { return release(id) }
      let new = Self.rounded(bytes, pageSize)
      peak = max(peak, live.saturatingAdding(new))
      live = max(0, live - old).saturatingAdding(new)
      set(id, new)
    }
  }

  private mutating func release(_ id: Int) {
    guard id >= 0, id < sizes.count else { return }
    live -= min(live, sizes[id])
    sizes[id] = 0
  }

  private mutating func set(_ id: Int, _ size: Int) {
    if id >= sizes.count {
      sizes.append(contentsOf: repeatElement(0, count: max(id + 1, sizes.count * 2) - sizes.count))
    }
    sizes[id] = size
  }

  /// The pages a heap for the trace gets when none are given: the peak in pages, plus a
  /// quarter, at least 1.
  public var pageCount: Int {
    let pages = peak / pageSize
    return max(1, pages.saturatingAdding((pages + 3) / 4))
  }

  /// `bytes` (0 taken as 1) rounded up to whole pages of `pageSize`.
  static func rounded(_ bytes: Int, _ pageSize: Int) -> Int {
    ((max(1, bytes) - 1) / pageSize + 1).saturatingMultiplied(by: pageSize)
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
