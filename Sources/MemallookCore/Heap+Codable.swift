/// Heaps are stored as their allocations and counters; the indexes are rebuilt,
/// and a stored heap that breaks any rule fails to decode instead of loading.
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
    func corrupt(_ message: String) -> DecodingError {
      .dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: message))
    }
    let id = try container.decode(String.self, forKey: .id)
    guard Heap.isValidID(id) else { throw corrupt("heap id must be HEAP- and three digits") }
    do {
      try self.init(
        id: id,
        pageSize: container.decode(Int.self, forKey: .pageSize),
        pageCount: container.decode(Int.self, forKey: .pageCount),
        policy: container.decode(Policy.self, forKey: .policy))
    } catch let error as CommandError {
      throw corrupt(error.message)
    }
    // Every number is checked before it is used, so that no later operation can trap on it.
    func count(_ key: CodingKeys, in range: ClosedRange<Int>) throws -> Int {
      let value = try container.decode(Int.self, forKey: key)
      guard range.contains(value) else {
        throw corrupt("\(key.rawValue) is \(value), expected \(range.lowerBound) to \(range.upperBound)")
      }
      return value
    }
    nextTag = try count(.nextTag, in: 1...Heap.maximumCount)
    nextFitCursor = try count(.nextFitCursor, in: 0...pageCount)
    failedAllocations = try count(.failedAllocations, in: 0...Heap.maximumCount)
    let peak = try count(.peakPagesInUse, in: 0...pageCount)
    let allocations = try container.decode([Allocation].self, forKey: .allocations)
    var end = 0
    for allocation in allocations.sorted(by: { $0.firstPage < $1.firstPage }) {
      guard allocation.firstPage >= end, allocation.pageCount > 0,
        allocation.pageCount <= pageCount - allocation.firstPage,
        allocation.tag > 0, allocation.tag < nextTag, allocationsByTag[allocation.tag] == nil
      else { throw corrupt("allocation with tag \(allocation.tag) overlaps or lies outside the heap") }
      guard allocation.bytes > 0, allocation.pageCount == (allocation.bytes - 1) / pageSize + 1 else {
        throw corrupt("allocation with tag \(allocation.tag) has \(allocation.pageCount) pages for its bytes")
      }
      end = allocation.endPage
      reservePages(start: allocation.firstPage, length: allocation.pageCount)
      allocationsByTag[allocation.tag] = allocation
      allocationsByAddress.insert(allocation.firstPage, value: allocation.tag)
      glyphs.retain(allocation.glyphIndex)
      pagesInUse += allocation.pageCount
      bytesInUse += allocation.bytes
    }
    peakPagesInUse = max(pagesInUse, peak)
    do {
      try checkInvariants()
    } catch {
      throw corrupt(error.description)
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

extension Session: Codable {
  enum CodingKeys: String, CodingKey { case heap, random }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeIfPresent(heap, forKey: .heap)
    try container.encode(random.state, forKey: .random)
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    random = SplitMix64(seed: try container.decode(UInt64.self, forKey: .random))
    heap = try container.decodeIfPresent(Heap.self, forKey: .heap)
  }
}
