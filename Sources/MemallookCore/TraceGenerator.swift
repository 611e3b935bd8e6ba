/// A seeded random workload: the same settings give the same trace on every
/// machine (splitmix64 and integer arithmetic only).
///
/// Each operation reallocates a live id with `reallocPercent`% chance; otherwise
/// it allocates a new id with `allocPercent`% chance, or frees a live id
/// (allocating when nothing is live, freeing when `maxLive` ids are live).
/// Ids are numbered in allocation order and never reused.
public struct TraceGenerator: Sendable, Equatable {
  /// How sizes are drawn between `minBytes` and `maxBytes`.
  public enum Sizes: String, CaseIterable, Sendable {
    /// Every size equally likely.
    case uniform
    /// Each power-of-two range (1, 2-3, 4-7, ...) equally likely, then uniform
    /// inside it: small sizes common, large ones rare (log-uniform).
    case exponential
    /// Only powers of two, each equally likely.
    case powers
  }

  public var seed: UInt64
  public var operations: Int
  public var minBytes = 1
  public var maxBytes = 4096
  public var allocPercent = 60
  public var reallocPercent = 0
  public var sizes = Sizes.uniform
  /// At most this many ids live at once; nil for no bound.
  public var maxLive: Int?

  public init(seed: UInt64, operations: Int) {
    self.seed = seed
    self.operations = operations
  }

  /// Checks the settings.
  /// - Throws: `.invalidParameter` naming the option that is out of range.
  public func validate() throws(CommandError) {
    func check(_ ok: Bool, _ name: String, _ value: Int, _ expected: String) throws(CommandError) {
      guard ok else { throw .invalidParameter(name: name, value: String(value), expected: expected) }
    }
    try check(
      (0...Trace.maximumOperations).contains(operations), "ops", operations,
      "a whole number of operations from 0 to \(Trace.maximumOperations)")
    try check(
      (1...Trace.maximumBytes).contains(minBytes), "min-bytes", minBytes,
      "a size from 1 to \(Trace.maximumBytes) bytes")
    try check(
      (minBytes...max(minBytes, Trace.maximumBytes)).contains(maxBytes), "max-bytes", maxBytes,
      "a size from min-bytes (\(minBytes)) to \(Trace.maximumBytes) bytes")
    try check((0...100).contains(allocPercent), "alloc-percent", allocPercent, "a percentage from 0 to 100")
    try check(
      (0...100).contains(reallocPercent), "realloc-percent", reallocPercent, "a percentage from 0 to 100")
    if let maxLive { try check(maxLive >= 1, "max-live", maxLive, "a positive whole number of ids") }
    if sizes == .powers {
      try check(
        Self.powers(minBytes, maxBytes).lowerBound <= Self.powers(minBytes, maxBytes).upperBound, "max-bytes",
        maxBytes, "a range holding a power of two (min-bytes is \(minBytes))")
    }
  }

  /// The trace.
  /// - Throws: what `validate()` throws.
  /// - Complexity: O(operations).
  public func generate() throws(CommandError) -> Trace {
    try validate()
    var random = SplitMix64(seed: seed)
    var live: [Int] = []
    var operations = Trace.Operations()
    operations.reserveCapacity(self.operations)
    var nextID = 0
    for _ in 0..<self.operations {
      if !live.isEmpty, random.below(100) < reallocPercent {
        let id = live[random.below(live.count)]
        operations.append(.realloc(id: id, bytes: size(&random)))
        continue
      }
      let wantsAlloc = random.below(100) < allocPercent
      if live.isEmpty || (wantsAlloc && live.count < (maxLive ?? .max)) {
        live.append(nextID)
        operations.append(.alloc(id: nextID, bytes: size(&random)))
        nextID += 1
      } else {
        let index = random.below(live.count)
        operations.append(.free(id: live[index]))
        live.swapAt(index, live.count - 1)
        live.removeLast()
      }
    }
    return Trace(checked: operations, idCount: nextID, suggestedHeapSize: nil, weight: nil)
  }

  private func size(_ random: inout SplitMix64) -> Int {
    switch sizes {
    case .uniform:
      return minBytes + random.below(maxBytes - minBytes + 1)
    case .exponential:
      let low = Self.log2(minBytes)
      let k = low + random.below(Self.log2(maxBytes) - low + 1)
      let from = max(minBytes, 1 << k)
      let to = min(maxBytes, (1 << (k + 1)) - 1)
      return from + random.below(to - from + 1)
    case .powers:
      let range = Self.powers(minBytes, maxBytes)
      return 1 << (range.lowerBound + random.below(range.upperBound - range.lowerBound + 1))
    }
  }

  /// Floor of log2 of a positive number.
  private static func log2(_ value: Int) -> Int { Int.bitWidth - 1 - value.leadingZeroBitCount }

  /// The exponents k with `low <= 2^k <= high` (empty when `lowerBound > upperBound`).
  private static func powers(_ low: Int, _ high: Int) -> (lowerBound: Int, upperBound: Int) {
    let first = low == 1 ? 0 : log2(low - 1) + 1
    return (first, log2(high))
  }
}

extension SplitMix64 {
  /// A number in `0 ..< bound` (bound > 0), without bias: Lemire's multiply-and-reject,
  /// integers only, so every machine draws the same.
  mutating func below(_ bound: Int) -> Int {
    let n = UInt64(bound)
    var (high, low) = next().multipliedFullWidth(by: n)
    if low < n {
      let threshold = (0 &- n) % n
      while low < threshold { (high, low) = next().multipliedFullWidth(by: n) }
    }
    return Int(high)
  }
}
