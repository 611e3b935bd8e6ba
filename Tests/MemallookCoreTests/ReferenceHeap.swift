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
  /// Under buddy: the free blocks as (start, size), in no order; every question a scan.
  var freeBlocks: [(start: Int, size: Int)] = []
  /// Under TLSF: when each free run (by first page) was put in its list, and its length then;
  /// the list's head is the newest.
  var stamps: [Int: (length: Int, stamp: Int)] = [:]
  var nextStamp = 0

  init(pageSize: Int, pageCount: Int, policy: Policy) {
    self.pageSize = pageSize
    self.policy = policy
    owners = Array(repeating: nil, count: pageCount)
    var start = 0
    for bit in (0..<62).reversed() where pageCount & (1 << bit) != 0 {  // the arenas
      freeBlocks.append((start, 1 << bit))
      start += 1 << bit
    }
    restamp(all: true)
  }

  /// TLSF: after one change of the free runs (a take or a give), the runs that are new or
  /// changed go to the heads of their lists; `all`: every run anew, from the highest address
  /// down (so the lowest is at the head), as when the lists are built.
  mutating func restamp(all: Bool = false) {
    guard policy == .tlsf else { return }
    if all { stamps = [:] }
    var kept: [Int: (length: Int, stamp: Int)] = [:]
    for run in freeRuns.reversed() {
      if let old = stamps[run.start], old.length == run.length {
        kept[run.start] = old
      } else {
        kept[run.start] = (run.length, nextStamp)
        nextStamp += 1
      }
    }
    stamps = kept
  }

  /// TLSF's class of a run of `length` pages, by the definition: `length` below 4, else
  /// (⌊log2 length⌋, the two bits after the leading one) in order.
  static func tlsfClass(_ length: Int) -> Int {
    guard length >= 4 else { return length - 1 }
    var fl = 0
    while length >> (fl + 1) > 0 { fl += 1 }
    return 3 + 4 * (fl - 2) + ((length >> (fl - 2)) & 3)
  }

  /// ⌊log2 length⌋.
  static func log2(_ length: Int) -> Int {
    var power = 0
    while length >> (power + 1) > 0 { power += 1 }
    return power
  }

  /// The size of the arena holding `page`.
  func arenaSize(at page: Int) -> Int {
    var start = 0
    for bit in (0..<62).reversed() where owners.count & (1 << bit) != 0 {
      if page < start + (1 << bit) { return 1 << bit }
      start += 1 << bit
    }
    return 1
  }

  /// Buddy: the smallest free block of at least `pages` pages, lowest address on ties, split down
  /// (lower half kept) to the smallest power of two holding `pages`; its start and size.
  mutating func takeBlock(pages: Int) -> (start: Int, size: Int)? {
    var size = 1
    while size < pages { size *= 2 }
    guard
      let index = freeBlocks.indices.filter({ freeBlocks[$0].size >= size })
        .min(by: { (freeBlocks[$0].size, freeBlocks[$0].start) < (freeBlocks[$1].size, freeBlocks[$1].start) }
        )
    else { return nil }
    var block = freeBlocks.remove(at: index)
    while block.size > size {
      block.size /= 2
      freeBlocks.append((block.start + block.size, block.size))
    }
    return block
  }

  /// Buddy: gives a block back, merging with its buddy while it is free, of the same size, in the arena.
  mutating func giveBlock(start: Int, size: Int) {
    var block = (start: start, size: size)
    while block.size < arenaSize(at: block.start),
      let buddy = freeBlocks.firstIndex(where: {
        $0.start == block.start ^ block.size && $0.size == block.size
      })
    {
      freeBlocks.remove(at: buddy)
      block = (block.start & ~block.size, block.size * 2)
    }
    freeBlocks.append(block)
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
    var pages = (count + pageSize - 1) / pageSize
    let run: (start: Int, length: Int)
    if policy == .buddy {
      guard let block = takeBlock(pages: pages) else { return nil }
      (run, pages) = ((block.start, block.size), block.size)
    } else {
      guard let chosen = chooseRun(pages: pages) else { return nil }
      run = chosen
    }
    let tag = nextTag
    nextTag += 1
    for page in run.start..<run.start + pages { owners[page] = tag }
    restamp()
    bytes[tag] = count
    cursor = run.start + pages
    return (tag, run.start)
  }

  /// REALLOC as the issue states it, by scanning: the first page afterwards, or nil when it fails.
  mutating func reallocate(tag: Int, bytes count: Int) -> Int? {
    let owned = owners.indices.filter { owners[$0] == tag }
    let start = owned[0]
    let old = owned.count
    var pages = (count + pageSize - 1) / pageSize
    if policy == .buddy {
      while pages & (pages - 1) != 0 { pages += 1 }
      guard pages != old else {
        bytes[tag] = count
        return start
      }
      guard let block = takeBlock(pages: pages) else { return nil }  // the old block still held
      for page in owned { owners[page] = nil }
      giveBlock(start: start, size: old)
      for page in block.start..<block.start + block.size { owners[page] = tag }
      bytes[tag] = count
      cursor = block.start + block.size
      return block.start
    }
    if pages <= old {
      for page in start + pages..<start + old { owners[page] = nil }
      restamp()
    } else if start + pages <= owners.count, (start + old..<start + pages).allSatisfy({ owners[$0] == nil }) {
      for page in start + old..<start + pages { owners[page] = tag }
      restamp()
    } else {
      guard let run = chooseRun(pages: pages) else { return nil }  // the old pages still held
      for page in run.start..<run.start + pages { owners[page] = -1 }
      restamp()  // the new pages taken first, then the old ones given back
      for page in owned { owners[page] = nil }
      restamp()
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
    case .buddy:
      chosen = nil
    case .tlsf:
      // The request rounded up to a class all of whose runs hold it; the newest run of the first
      // class at or above it that has one.
      let rounded = pages < 4 ? pages : pages + (1 << (Self.log2(pages) - 2)) - 1
      let from = Self.tlsfClass(rounded)
      let candidates = freeRuns.filter { Self.tlsfClass($0.length) >= from }
      let lowest = candidates.map { Self.tlsfClass($0.length) }.min()
      chosen = candidates.filter { Self.tlsfClass($0.length) == lowest }.max {
        stamps[$0.start]!.stamp < stamps[$1.start]!.stamp
      }
    case .segregated:
      let own = Self.log2(pages)
      chosen =
        freeRuns.first { Self.log2($0.length) == own && $0.length >= pages }
        ?? freeRuns.filter { Self.log2($0.length) > own }.min {
          (Self.log2($0.length), $0.start) < (Self.log2($1.length), $1.start)
        }
    }
    return chosen
  }

  mutating func deallocate(tag: Int) -> Bool {
    guard bytes.removeValue(forKey: tag) != nil else { return false }
    let owned = owners.indices.filter { owners[$0] == tag }
    for page in owned { owners[page] = nil }
    if policy == .buddy { giveBlock(start: owned[0], size: owned.count) }
    restamp()
    return true
  }

  mutating func defragment() {
    var packed: [Int?] = []
    for owner in owners where owner != nil { packed.append(owner) }
    owners = packed + Array(repeating: nil, count: owners.count - packed.count)
    restamp(all: true)
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
