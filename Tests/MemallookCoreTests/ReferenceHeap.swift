@testable import MemallookCore

/// The obvious heap: one owner per page, every question answered by scanning.
/// Slow and simple, so the indexed `Heap` can be checked against it.
struct ReferenceHeap {
  let pageSize: Int
  var policy: Policy
  var owners: [Int?]
  var bytes: [Int: Int] = [:]
  var nextTag = 1
  var cursor = 0

  init(pageSize: Int, pageCount: Int, policy: Policy) {
    self.pageSize = pageSize
    self.policy = policy
    owners = Array(repeating: nil, count: pageCount)
  }

  var freeRuns: [(start: Int, length: Int)] {
    var runs: [(start: Int, length: Int)] = []
    var page = 0
    while page < owners.count {
      if owners[page] == nil {
        let start = page
        while page < owners.count, owners[page] == nil { page += 1 }
        runs.append((start, page - start))
      } else {
        page += 1
      }
    }
    return runs
  }

  /// The first page of the new allocation, or nil when it does not fit.
  mutating func allocate(bytes count: Int) -> (tag: Int, firstPage: Int)? {
    let pages = (count + pageSize - 1) / pageSize
    guard let run = chooseRun(pages: pages) else { return nil }
    let tag = nextTag
    nextTag += 1
    for page in run.start..<run.start + pages { owners[page] = tag }
    bytes[tag] = count
    cursor = run.start + pages
    return (tag, run.start)
  }

  /// REALLOC as the issue states it, by scanning: the first page afterwards, or nil when it fails.
  mutating func reallocate(tag: Int, bytes count: Int) -> Int? {
    let owned = owners.indices.filter { owners[$0] == tag }
    let start = owned[0]
    let old = owned.count
    let pages = (count + pageSize - 1) / pageSize
    if pages <= old {
      for page in start + pages..<start + old { owners[page] = nil }
    } else if start + pages <= owners.count, (start + old..<start + pages).allSatisfy({ owners[$0] == nil }) {
      for page in start + old..<start + pages { owners[page] = tag }
    } else {
      guard let run = chooseRun(pages: pages) else { return nil }  // the old pages still held
      for page in owned { owners[page] = nil }
      for page in run.start..<run.start + pages { owners[page] = tag }
      cursor = run.start + pages
      bytes[tag] = count
      return run.start
    }
    bytes[tag] = count
    return start
  }

  /// The free run the policy picks for `pages` pages.
  func chooseRun(pages: Int) -> (start: Int, length: Int)? {
    let fitting = freeRuns.filter { $0.length >= pages }
    let chosen: (start: Int, length: Int)?
    switch policy {
    case .first:
      chosen = fitting.first
    case .next:
      chosen = fitting.first { $0.start + $0.length > cursor } ?? fitting.first
    case .best:
      chosen = fitting.min { ($0.length, $0.start) < ($1.length, $1.start) }
    case .worst:
      let longest = freeRuns.map(\.length).max() ?? 0
      chosen = longest >= pages ? freeRuns.first { $0.length == longest } : nil
    }
    return chosen
  }

  mutating func deallocate(tag: Int) -> Bool {
    guard bytes.removeValue(forKey: tag) != nil else { return false }
    for page in owners.indices where owners[page] == tag { owners[page] = nil }
    return true
  }

  mutating func defragment() {
    var packed: [Int?] = []
    for owner in owners where owner != nil { packed.append(owner) }
    owners = packed + Array(repeating: nil, count: owners.count - packed.count)
  }
}

extension Heap {
  /// The owner of every page, read through the public cell view.
  var pageOwners: [Int?] {
    cells(from: 0, pagesPerCell: 1, count: pageCount).map { cell in
      if case .allocation(let allocation) = cell { return allocation.tag }
      return nil
    }
  }
}
