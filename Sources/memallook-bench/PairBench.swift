import MemallookCore

// ALLOC+DEALLOC pairs: memallook's heap and the naive one, from the same filled layout.

/// The obvious allocator: one owner per page, every ALLOC a scan of the pages.
struct NaiveHeap {
  var owners: [Int32]
  var policy: Policy
  var cursor = 0

  init(pageCount: Int, policy: Policy) {
    owners = Array(repeating: 0, count: pageCount)
    self.policy = policy
  }

  /// First page of the new run, or nil.
  mutating func allocate(pages: Int, tag: Int32) -> Int? {
    var chosen: (start: Int, length: Int)?
    var page = 0
    let start = policy == .next ? cursor : 0
    func consider(_ run: (start: Int, length: Int)) -> Bool {
      guard run.length >= pages else { return false }
      switch policy {
      case .first, .next, .buddy, .tlsf, .segregated:  // the naive baseline covers the four fits only
        chosen = run
        return true
      case .best:
        if chosen == nil || run.length < chosen!.length { chosen = run }
      case .worst:
        if chosen == nil || run.length > chosen!.length { chosen = run }
      }
      return false
    }
    page = start
    scan: for _ in 0..<2 {
      while page < owners.count {
        if owners[page] == 0 {
          let runStart = page
          while page < owners.count, owners[page] == 0 { page += 1 }
          if consider((runStart, page - runStart)) { break scan }
        } else {
          page += 1
        }
      }
      if policy != .next || chosen != nil { break }
      page = 0
    }
    guard let run = chosen else { return nil }
    for index in run.start..<run.start + pages { owners[index] = tag }
    cursor = run.start + pages
    return run.start
  }

  mutating func deallocate(start: Int, pages: Int) {
    for index in start..<start + pages { owners[index] = 0 }
  }
}

struct Case {
  let policy: Policy
  let pageCount: Int
  let live: Int
}

let pageSize = 64

/// A heap filled with `test.live` allocations of 1 to `2 × pageCount / live` pages (about half full).
func filledHeap(_ test: Case) -> Heap {
  var random = SplitMix64(seed: 7)
  var heap = try! Heap(id: "HEAP-100", pageSize: pageSize, pageCount: test.pageCount, policy: test.policy)
  let maxPages = max(1, test.pageCount / test.live)
  for _ in 0..<test.live {
    let pages = 1 + Int(random.next(upperBound: UInt64(maxPages)))
    _ = try! heap.allocate(bytes: pages * pageSize)
  }
  return heap
}

/// Nanoseconds per ALLOC+DEALLOC pair on memallook's heap.
func measureIndexed(_ test: Case, from filled: Heap, pairs: Int) -> Double {
  measureWorkload(test, from: filled, pairs: pairs).nanoseconds
}

/// The pairs on memallook's heap: nanoseconds per pair, and the workload at the end.
/// - Parameter mapsFirstPages: false for a heap that keeps no map by first page (`Heap.mapsFirstPages`).
func measureWorkload(_ test: Case, from filled: Heap, pairs: Int, mapsFirstPages: Bool = true) -> (
  nanoseconds: Double, workload: PairWorkload
) {
  var heap = filled
  heap.mapsFirstPages = mapsFirstPages
  var workload = PairWorkload(heap: heap, maxPages: max(1, test.pageCount / test.live))
  workload.copyTheHeap()
  let clock = ContinuousClock()
  let start = clock.now
  workload.run(pairs: pairs)
  let elapsed = clock.now - start
  precondition((try? workload.heap.checkInvariants()) != nil)
  precondition(workload.failures < pairs / 10, "too many refused ALLOCs: the benchmark's heap is too full")
  return (nanoseconds(elapsed) / Double(pairs), workload)
}

/// The steady state of the pair benchmark: free a random live allocation, allocate a random size.
struct PairWorkload {
  var heap: Heap
  let maxPages: Int
  var live: [Int]
  var random = SplitMix64(seed: 42)
  var failures = 0
  /// FNV-1a of every ALLOC's tag and first page, in order: what the native reference
  /// (`ReferenceBench`) must reproduce.
  var digest: UInt64 = 0xcbf2_9ce4_8422_2325

  init(heap: Heap, maxPages: Int) {
    self.heap = heap
    self.maxPages = maxPages
    live = heap.allocationsInAddressOrder().map(\.tag)
  }

  /// One pair, untimed: the first change copies the heap's tables, shared with the filled heap.
  @inline(never)
  mutating func copyTheHeap() { pair() }

  /// The pairs alone: what `--profile` profiles (and callgrind can count by this function's name).
  @inline(never)
  mutating func run(pairs: Int) {
    for _ in 0..<pairs { pair() }
  }

  @inline(__always)
  private mutating func pair() {
    let index = Int(random.next(upperBound: UInt64(live.count)))
    _ = try! heap.deallocate(tag: live[index])
    let pages = 1 + Int(random.next(upperBound: UInt64(maxPages)))
    if let allocation = try? heap.allocate(bytes: pages * pageSize) {
      live[index] = allocation.tag
      digest = (digest ^ UInt64(allocation.tag)) &* 0x100_0000_01b3
      digest = (digest ^ UInt64(allocation.firstPage)) &* 0x100_0000_01b3
    } else {
      failures += 1
      live.swapAt(index, live.count - 1)
      live.removeLast()
    }
  }
}

/// Nanoseconds per ALLOC+DEALLOC pair on the naive heap, same starting state and workload.
func measureNaive(_ test: Case, from filled: Heap, pairs: Int) -> Double {
  var random = SplitMix64(seed: 42)
  var heap = NaiveHeap(pageCount: test.pageCount, policy: test.policy)
  let maxPages = max(1, test.pageCount / test.live)
  var live: [(start: Int, pages: Int)] = []
  var tag: Int32 = 0
  for allocation in filled.allocationsInAddressOrder() {
    tag &+= 1
    for page in allocation.firstPage..<allocation.endPage { heap.owners[page] = tag }
    live.append((allocation.firstPage, allocation.pageCount))
  }
  let clock = ContinuousClock()
  let start = clock.now
  do {
    for _ in 0..<pairs {
      let index = Int(random.next(upperBound: UInt64(live.count)))
      heap.deallocate(start: live[index].start, pages: live[index].pages)
      let pages = 1 + Int(random.next(upperBound: UInt64(maxPages)))
      tag &+= 1
      if let start = heap.allocate(pages: pages, tag: tag) {
        live[index] = (start, pages)
      } else {
        live.swapAt(index, live.count - 1)
        live.removeLast()
      }
    }
  }
  return nanoseconds(clock.now - start) / Double(pairs)
}
