/// A broken rule of the heap's representation: always a bug in memallook.
public struct InvariantViolation: Error, CustomStringConvertible, Sendable {
  public let description: String
}

extension Heap {
  /// Verifies the representation: allocations never overlap and lie inside the
  /// heap, every page is free or owned by exactly one allocation, free runs are
  /// maximal, the indexes agree, the address walk sees every allocation once in
  /// order, and the counters match.
  /// - Complexity: O(n + r).
  public func checkInvariants() throws(InvariantViolation) {
    func fail(_ message: String) throws(InvariantViolation) -> Never {
      throw InvariantViolation(description: "\(id): \(message)")
    }
    for (name, problems) in [
      ("allocations", allocations.structuralViolations()),
      ("free runs by start", freeRunsByStart.structuralViolations()),
    ] where !problems.isEmpty {
      try fail("\(name): \(problems.joined(separator: "; "))")
    }
    guard Swift.type(of: index) == policy.row.index else {
      try fail("the index is \(Swift.type(of: index)) under \(policy.title)")
    }

    // Walk allocations and free runs together in address order: they must tile 0..<pageCount.
    var page = 0
    var previousWasFree = false
    var pages = 0
    var bytes = 0
    var glyphUses = [Int32](repeating: 0, count: GlyphTable.alphabet.count)
    // The allocations come from the address walk (the one SHOW and DEFRAG use): it must
    // reach every allocation, in order, or the tiling below breaks.
    var allocations = AddressWalk(self, from: 0)
    var visited = 0
    var runs = freeRunsByStart.makeIterator()
    var nextAllocation = allocations.next()
    var nextRun = runs.next()
    while nextAllocation != nil || nextRun != nil {
      if let run = nextRun, nextAllocation.map({ run.key < $0.firstPage }) ?? true {
        guard run.key == page else { try fail("free run at \(run.key), expected something at \(page)") }
        guard run.value > 0 else { try fail("empty free run at \(run.key)") }
        guard !previousWasFree else { try fail("free run at \(run.key) touches the one before") }
        page += run.value
        previousWasFree = true
        nextRun = runs.next()
      } else if let allocation = nextAllocation {
        guard allocation.firstPage == page else {
          try fail("tag \(allocation.tag) starts at \(allocation.firstPage), expected \(page)")
        }
        let size = allocation.pageCount
        guard pagesFit(allocation),
          !Swift.type(of: index).takesBlocks
            || (size & (size - 1) == 0 && allocation.firstPage & (size - 1) == 0)
        else {
          try fail("tag \(allocation.tag) has \(allocation.pageCount) pages for \(allocation.bytes) bytes")
        }
        guard allocation.tag < nextTag else {
          try fail("tag \(allocation.tag) not below next tag \(nextTag)")
        }
        glyphUses[Int(allocation.glyphIndex)] += 1
        visited += 1
        page += allocation.pageCount
        pages += allocation.pageCount
        bytes += allocation.bytes
        previousWasFree = false
        nextAllocation = allocations.next()
      }
    }
    guard page == pageCount else { try fail("pages cover 0..<\(page), expected 0..<\(pageCount)") }
    guard visited == self.allocations.count else {
      try fail("the address walk reaches \(visited) of \(self.allocations.count) allocations")
    }
    guard pages == pagesInUse, bytes == bytesInUse else {
      try fail("counters: \(pagesInUse) pages, \(bytesInUse) bytes; allocations: \(pages), \(bytes)")
    }
    guard peakPagesInUse >= pagesInUse else { try fail("peak \(peakPagesInUse) below \(pagesInUse)") }
    guard glyphUses == glyphs.uses, glyphs.isConsistent else {
      try fail("glyph use counts do not match the allocations")
    }
    guard indexFollowsRuns == Swift.type(of: index).followsRuns,
      indexFollowsPages == Swift.type(of: index).followsPages,
      indexSearchesFirstRun == Swift.type(of: index).searchesFirstRun
    else { try fail("what the index follows is not what is kept beside it") }
    let problems = index.violations(in: self)
    if !problems.isEmpty { try fail("\(policy.title): \(problems.joined(separator: "; "))") }
  }
}

extension Heap {
  /// Whether an allocation holds the pages its bytes need, or their whole buddy
  /// block (kept when the policy changed away from buddy), and positive bytes.
  func pagesFit(_ allocation: Allocation) -> Bool {
    guard allocation.bytes > 0 else { return false }
    let needed = (allocation.bytes - 1) / pageSize + 1
    return allocation.pageCount == needed
      || allocation.pageCount == BuddyIndex.order(forPages: needed).map { 1 << $0 }
  }
}
