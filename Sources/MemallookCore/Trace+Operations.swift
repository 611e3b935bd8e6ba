extension Trace {
  /// A trace's operations, 12 bytes each instead of the 24 of an array of `Operation`: a
  /// 10^7-operation workload held by the player (one lane or a race) takes 114 MiB, not 229.
  ///
  /// An operation is three 32-bit words: its kind and its id plus one (a negative id, C's
  /// NULL, is -1), then its size's low and high halves. One that does not fit (an id of
  /// 2^30 - 1 or more, another negative id, a negative size: never from a parser, whose
  /// limits are far below) is kept whole on the side, so any operation comes back as it was.
  public struct Operations: RandomAccessCollection, Sendable, Equatable, ExpressibleByArrayLiteral {
    private var words: [UInt32] = []
    /// The operations that do not fit the words, by position.
    private var asTheyAre: [Int: Operation] = [:]

    private static var wordsPerOperation: Int { 3 }
    private static var kindShift: UInt32 { 30 }
    private static var idMask: UInt32 { (1 << 30) - 1 }
    private enum Kind: UInt32 { case alloc = 0, free = 1, realloc = 2, asItIs = 3 }

    public init() {}

    public init(_ operations: some Sequence<Operation>) {
      reserveCapacity(operations.underestimatedCount)
      for operation in operations { append(operation) }
    }

    public init(arrayLiteral operations: Operation...) { self.init(operations) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { words.count / Self.wordsPerOperation }

    public subscript(position: Int) -> Operation {
      let base = position * Self.wordsPerOperation
      let head = words[base]
      let id = Int(head & Self.idMask) - 1
      let bytes = Int(words[base + 1]) | Int(words[base + 2]) << 32
      switch Kind(rawValue: head >> Self.kindShift)! {
      case .alloc: return .alloc(id: id, bytes: bytes)
      case .free: return .free(id: id)
      case .realloc: return .realloc(id: id, bytes: bytes)
      case .asItIs: return asTheyAre[position]!
      }
    }

    public mutating func reserveCapacity(_ count: Int) {
      words.reserveCapacity(count * Self.wordsPerOperation)
    }

    public mutating func append(_ operation: Operation) {
      let (kind, id, bytes): (Kind, Int, Int) =
        switch operation {
        case .alloc(let id, let bytes): (.alloc, id, bytes)
        case .free(let id): (.free, id, 0)
        case .realloc(let id, let bytes): (.realloc, id, bytes)
        }
      guard id >= -1, id < Int(Self.idMask), bytes >= 0 else {
        asTheyAre[endIndex] = operation
        words.append(contentsOf: [Kind.asItIs.rawValue << Self.kindShift, 0, 0])
        return
      }
      words.append(kind.rawValue << Self.kindShift | UInt32(id + 1))
      words.append(UInt32(truncatingIfNeeded: bytes))
      words.append(UInt32(truncatingIfNeeded: bytes >> 32))
    }
  }
}
