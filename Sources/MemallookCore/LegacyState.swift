// The state file's first format (version 1): JSON through `Codable`. Read only, to convert
// a file written by an older memallook (`LegacyStateFile` in MemallookStore); every file is
// written in the current format, `StoredState`. Nothing else encodes these types.

extension Heap: Codable {
  enum CodingKeys: String, CodingKey {
    case id, pageSize, pageCount, policy, nextTag, nextFitCursor, peakPagesInUse, failedAllocations
    case allocations
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(pageSize, forKey: .pageSize)
    try container.encode(pageCount, forKey: .pageCount)
    try container.encode(policy, forKey: .policy)
    try container.encode(nextTag, forKey: .nextTag)
    try container.encode(nextFitCursor, forKey: .nextFitCursor)
    try container.encode(peakPagesInUse, forKey: .peakPagesInUse)
    try container.encode(failedAllocations, forKey: .failedAllocations)
    try container.encode(allocationsInTagOrder, forKey: .allocations)
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let stored = Stored(
      id: try container.decode(String.self, forKey: .id),
      pageSize: try container.decode(Int.self, forKey: .pageSize),
      pageCount: try container.decode(Int.self, forKey: .pageCount),
      policy: try container.decode(Policy.self, forKey: .policy),
      nextTag: try container.decode(Int.self, forKey: .nextTag),
      nextFitCursor: try container.decode(Int.self, forKey: .nextFitCursor),
      peakPagesInUse: try container.decode(Int.self, forKey: .peakPagesInUse),
      failedAllocations: try container.decode(Int.self, forKey: .failedAllocations),
      allocations: try container.decode([Allocation].self, forKey: .allocations))
    do {
      try self.init(restoring: stored)
    } catch {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: error.description))
    }
  }
}

extension Allocation {
  enum CodingKeys: String, CodingKey { case tag, bytes, firstPage, pageCount, glyph }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(tag, forKey: .tag)
    try container.encode(bytes, forKey: .bytes)
    try container.encode(firstPage, forKey: .firstPage)
    try container.encode(pageCount, forKey: .pageCount)
    try container.encode(String(glyph), forKey: .glyph)
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    tag = try container.decode(Int.self, forKey: .tag)
    bytes = try container.decode(Int.self, forKey: .bytes)
    firstPage = try container.decode(Int.self, forKey: .firstPage)
    pageCount = try container.decode(Int.self, forKey: .pageCount)
    let glyphText = try container.decode(String.self, forKey: .glyph)
    guard glyphText.count == 1, let index = glyphText.first.flatMap(GlyphTable.index(of:)) else {
      throw DecodingError.dataCorruptedError(
        forKey: .glyph, in: container, debugDescription: "a glyph is one character of 1-9, a-z, A-Z")
    }
    glyphIndex = index
  }
}

/// A session is stored with its heap and its history (the newest
/// `History.storedLimit` changes). A file from before histories loads with an
/// empty one. A history that does not replay on its heap is refused.
extension Session: Codable {
  enum CodingKeys: String, CodingKey { case heap, random, history }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeIfPresent(heap, forKey: .heap)
    try container.encode(random.state, forKey: .random)
    if heap != nil, !history.changes.isEmpty {
      var kept = history
      kept.trim(to: History.storedLimit)
      try container.encode(kept, forKey: .history)
    }
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    random = SplitMix64(seed: try container.decode(UInt64.self, forKey: .random))
    heap = try container.decodeIfPresent(Heap.self, forKey: .heap)
    guard let heap, let stored = try container.decodeIfPresent(History.self, forKey: .history) else { return }
    do {
      try stored.verify(on: heap)
    } catch {
      throw DecodingError.dataCorruptedError(
        forKey: .history, in: container, debugDescription: "history: \(error.description)")
    }
    history = stored
  }
}

extension History: Codable {
  enum CodingKeys: String, CodingKey { case base, position, changes, latest }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(base, forKey: .base)
    try container.encode(position, forKey: .position)
    try container.encode(changes, forKey: .changes)
    try container.encodeIfPresent(latest, forKey: .latest)
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    changes = try container.decode([Change].self, forKey: .changes)
    base = try container.decode(Int.self, forKey: .base)
    position = try container.decode(Int.self, forKey: .position)
    latest = try container.decodeIfPresent(Counters.self, forKey: .latest)
    guard (0...Heap.maximumCount).contains(base), (0...changes.count).contains(position),
      latest.map({ $0.isValid }) ?? true
    else {
      throw DecodingError.dataCorruptedError(
        forKey: .position, in: container, debugDescription: "history position outside its changes")
    }
  }
}

extension Change: Codable {
  enum CodingKeys: String, CodingKey { case alloc, free, realloc, defrag, moves, policy, before }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch kind {
    case .allocated(let allocation): try container.encode(allocation, forKey: .alloc)
    case .freed(let allocation): try container.encode(allocation, forKey: .free)
    case .reallocated(let from, let to): try container.encode([from, to], forKey: .realloc)
    case .defragmented(let moves, let limit):
      try container.encode(moves.map { [$0.tag, $0.from, $0.to, $0.pageCount] }, forKey: .defrag)
      try container.encodeIfPresent(limit, forKey: .moves)
    case .policyChanged(let from, let to): try container.encode([from, to], forKey: .policy)
    }
    let counters = before
    try container.encode(
      [counters.nextTag, counters.nextFitCursor, counters.peakPagesInUse, counters.failedAllocations],
      forKey: .before)
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    func corrupt(_ message: String) -> DecodingError {
      .dataCorruptedError(forKey: .before, in: container, debugDescription: message)
    }
    let numbers = try container.decode([Int].self, forKey: .before)
    guard numbers.count == 4 else { throw corrupt("a change's counters are not four numbers") }
    before = Counters(
      nextTag: numbers[0], nextFitCursor: numbers[1], peakPagesInUse: numbers[2],
      failedAllocations: numbers[3])
    guard before.isValid else { throw corrupt("a change's counters are out of range") }
    if let allocation = try container.decodeIfPresent(Allocation.self, forKey: .alloc) {
      kind = .allocated(allocation)
    } else if let allocation = try container.decodeIfPresent(Allocation.self, forKey: .free) {
      kind = .freed(allocation)
    } else if let pair = try container.decodeIfPresent([Allocation].self, forKey: .realloc) {
      guard pair.count == 2 else { throw corrupt("a REALLOC is not [from, to]") }
      kind = .reallocated(from: pair[0], to: pair[1])
    } else if let moves = try container.decodeIfPresent([[Int]].self, forKey: .defrag) {
      guard moves.allSatisfy({ $0.count == 4 && $0[3] > 0 }) else {
        throw corrupt("a move is not [tag, from, to, pages]")
      }
      let limit = try container.decodeIfPresent(Int.self, forKey: .moves)
      guard limit.map({ $0 > 0 }) ?? true else { throw corrupt("a DEFRAG's moves must be positive") }
      kind = .defragmented(
        moves.map { Move(tag: $0[0], from: $0[1], to: $0[2], pageCount: $0[3]) }, limit: limit)
    } else if let policies = try container.decodeIfPresent([Policy].self, forKey: .policy),
      policies.count == 2
    {
      kind = .policyChanged(from: policies[0], to: policies[1])
    } else {
      throw corrupt("a change is none of alloc, free, defrag, policy")
    }
  }
}
