/// TLSF, two-level segregated fit (Masmano, Ripoll, Crespo and Real, 2004), counted in
/// pages, with 4 second-level lists per power of two.
///
/// A free run of L pages is in class L for L < 4 (three small lists); otherwise in list
/// (fl, sl) with fl = ⌊log2 L⌋ and sl = (L >> (fl − 2)) & 3, the classes ordered by
/// (fl, sl). A request of k ≥ 4 pages is first rounded up to k + 2^(⌊log2 k⌋ − 2) − 1, so
/// that every run of the rounded request's class holds it; the search takes the first
/// non-empty class at or above that one (two bitmaps: which first levels have a
/// non-empty list, and, per first level, which of its lists are non-empty) and in it
/// the head of the list. Lists are LIFO: a run inserted (freed, or changed in length)
/// goes to the head. So TLSF can refuse a request that a run of a class just below the
/// rounded one would hold (`refusal(forPages:in:)` says so).
///
/// Each list is a stack of (first page, stamp) entries, the head on top. A run taken out
/// only loses its stamp: its entry goes stale where it lies, and is dropped when it
/// reaches the top (the top of every list is always a live run, so the head is one load)
/// or when stale entries outnumber live ones (the list is then filtered, so a list holds
/// at most 2 entries a live run plus 16). An entry is live when the run's stamp is its own.
struct TLSFIndex: PolicyIndex {
  static var followsPages: Bool { false }
  /// A run as its list holds it: its first page and the stamp it was inserted with.
  struct Entry {
    let start: Int
    let stamp: Int
  }
  /// Each class's list, the head (the newest run) last.
  private var lists: [[Entry]]
  /// Live runs in each class's list.
  private var live: [Int]
  /// First page of each free run → the stamp it was inserted with.
  private var stamps = IntMap<Int>()
  private var nextStamp = 0
  /// Bit `level` set when a list of that level is not empty (level 0: the classes of 1 to 3
  /// pages; level fl − 1 for fl ≥ 2).
  private var firstLevels: UInt64 = 0
  /// Per level, bit `sl` set when that list is not empty (level 0 uses bits 1 to 3).
  private var secondLevels: [UInt8]

  /// Classes: 3 small ones, then 4 for each fl from 2 to 62 (no run is longer than `Int.max` pages).
  static let classCount = 3 + 4 * 61
  static let levelCount = 62

  /// The class of a run of `length` (≥ 1) pages.
  static func classOf(length: Int) -> Int {
    guard length >= 4 else { return length - 1 }
    let fl = Int.bitWidth - 1 - length.leadingZeroBitCount
    return 3 + 4 * (fl - 2) + (length >> (fl - 2)) & 3
  }

  /// The lengths of class `index`.
  static func lengths(ofClass index: Int) -> ClosedRange<Int> {
    guard index >= 3 else { return (index + 1)...(index + 1) }
    let fl = (index - 3) / 4 + 2
    let low = (1 << fl) + ((index - 3) % 4) << (fl - 2)
    return low...(low + (1 << (fl - 2)) - 1)
  }

  /// The class a request of `pages` pages searches from: its own below 4 pages, else
  /// the class of the request rounded up so that every run of the class holds it; nil
  /// past the largest class.
  static func searchClass(forPages pages: Int) -> Int? {
    guard pages >= 4 else { return pages >= 1 ? classOf(length: pages) : nil }
    let fl = Int.bitWidth - 1 - pages.leadingZeroBitCount
    let (rounded, overflow) = pages.addingReportingOverflow((1 << (fl - 2)) - 1)
    return overflow ? nil : classOf(length: rounded)
  }

  private static func level(ofClass index: Int) -> (level: Int, sl: Int) {
    index < 3 ? (0, index + 1) : ((index - 3) / 4 + 1, (index - 3) % 4)
  }

  private static func classAt(level: Int, sl: Int) -> Int { level == 0 ? sl - 1 : 3 + 4 * (level - 1) + sl }

  /// The lists built from `heap`'s free runs, inserted from the highest address down:
  /// each list starts with its lowest run at the head.
  init(for heap: Heap) {
    self.init(empty: heap)
    for run in Array(heap.freeRunsByStart).reversed() { runAdded(start: run.key, length: run.value) }
  }

  /// The first class at or above `index` with a run: the two bitmaps, O(1).
  private func firstNonEmpty(from index: Int) -> Int? {
    let (level, sl) = Self.level(ofClass: index)
    let here = secondLevels[level] & ~UInt8((1 << sl) - 1)
    if here != 0 { return Self.classAt(level: level, sl: here.trailingZeroBitCount) }
    guard level + 1 < 64 else { return nil }
    let above = firstLevels & ~((UInt64(1) << (level + 1)) - 1)
    guard above != 0 else { return nil }
    let next = above.trailingZeroBitCount
    return Self.classAt(level: next, sl: secondLevels[next].trailingZeroBitCount)
  }

  func spot(forPages pages: Int, in heap: Heap) -> (start: Int, pages: Int)? {
    guard let from = Self.searchClass(forPages: pages), let index = firstNonEmpty(from: from) else {
      return nil
    }
    return (lists[index][lists[index].count - 1].start, pages)
  }

  func refusal(forPages pages: Int, in heap: Heap) -> String? {
    guard let longest = heap.freeRunsByStart.maxValue, longest >= pages else { return nil }
    guard let from = Self.searchClass(forPages: pages) else { return "TLSF has no class that large" }
    let lengths = Self.lengths(ofClass: from)
    return
      "TLSF: \(pages) pages round up to class \(Self.text(lengths)); the \(longest)-page run is in a lower class"
  }

  mutating func runAdded(start: Int, length: Int) {
    let stamp = nextStamp
    nextStamp += 1
    stamps[start] = stamp
    let index = Self.classOf(length: length)
    lists[index].append(Entry(start: start, stamp: stamp))
    live[index] += 1
    let (level, sl) = Self.level(ofClass: index)
    secondLevels[level] |= UInt8(1 << sl)
    firstLevels |= UInt64(1) << level
  }

  mutating func runRemoved(start: Int, length: Int) {
    guard let stamp = stamps.removeValue(forKey: start) else {
      preconditionFailure("TLSF: no run at \(start)")
    }
    let index = Self.classOf(length: length)
    live[index] -= 1
    if live[index] == 0 {
      lists[index].removeAll(keepingCapacity: lists[index].capacity <= 64)
      let (level, sl) = Self.level(ofClass: index)
      secondLevels[level] &= ~UInt8(1 << sl)
      if secondLevels[level] == 0 { firstLevels &= ~(UInt64(1) << level) }
    } else if lists[index].count > 2 * live[index] + 16 {
      let stamps = stamps
      lists[index].removeAll { stamps[$0.start] != $0.stamp }
      shrinkIfLoose(index)
    } else if lists[index][lists[index].count - 1].stamp == stamp {
      // The head left: the next live entry below becomes the head (there is one: `live` > 0).
      repeat { lists[index].removeLast() } while !isLive(lists[index][lists[index].count - 1])
      shrinkIfLoose(index)
    }
  }

  /// Gives back the room of list `index` when it holds under a quarter of it, so that the
  /// lists' memory follows the free runs, not their peak. Amortised O(1): each time it
  /// copies n entries, at least 3n slots were let go since.
  private mutating func shrinkIfLoose(_ index: Int) {
    guard lists[index].capacity > 4 * lists[index].count + 64 else { return }
    var tight: [Entry] = []
    tight.reserveCapacity(lists[index].count)
    tight.append(contentsOf: lists[index])
    lists[index] = tight
  }

  /// Whether `entry` is its run's insertion, not an earlier one of a run taken out since.
  private func isLive(_ entry: Entry) -> Bool { stamps[entry.start] == entry.stamp }

  func violations(in heap: Heap) -> [String] {
    var problems: [String] = stamps.structuralViolations()
    var listed = 0
    var starts = Set<Int>()
    for (index, list) in lists.enumerated() {
      let liveEntries = list.filter(isLive)
      listed += liveEntries.count
      starts.formUnion(liveEntries.map(\.start))
      if list.capacity > 4 * list.count + 64 { problems.append("class \(index): room for \(list.capacity)") }
      if liveEntries.count != live[index] {
        problems.append("class \(index): \(liveEntries.count) live entries, \(live[index]) counted")
      }
      if let top = list.last, !isLive(top) { problems.append("class \(index): a stale entry at the head") }
      if list.count > 2 * live[index] + 16 { problems.append("class \(index): \(list.count) entries") }
      for entry in liveEntries {
        let length = heap.freeRunsByStart.value(for: entry.start)
        if length.map(Self.classOf(length:)) != index {
          problems.append("\(entry.start) is listed in class \(index), no free run of that class")
        }
      }
      let (level, sl) = Self.level(ofClass: index)
      let marked = secondLevels[level] & UInt8(1 << sl) != 0
      if marked == (live[index] == 0) { problems.append("the bitmap is wrong for class \(index)") }
    }
    // Every free run is one live entry's, no run listed twice.
    if listed != heap.freeRunsByStart.count || stamps.count != listed || starts.count != listed {
      problems.append(
        "\(listed) runs in the lists, \(stamps.count) stamped, \(heap.freeRunsByStart.count) free")
    }
    for level in 0..<Self.levelCount
    where (firstLevels >> level) & 1 == 1 ? secondLevels[level] == 0 : secondLevels[level] != 0 {
      problems.append("the first-level bitmap is wrong for level \(level)")
    }
    return problems
  }

  /// The free runs' first pages, the oldest insertion first: the lists' order.
  var insertionOrder: [Int]? {
    stamps.entries.sorted { $0.value < $1.value }.map(\.key)
  }

  /// The lists as `runAdded` would leave them given the runs in `order` (stamps 0, 1, ...),
  /// each list built at once from its runs; nil when `order` is not an order of the
  /// free runs (one missing, one twice, one that is no run).
  /// - Complexity: O(r log r) for r free runs.
  static func restored(order: [Int], in heap: Heap) -> TLSFIndex? {
    guard order.count == heap.freeRunsByStart.count else { return nil }
    var index = TLSFIndex(empty: heap)
    index.stamps = IntMap(minimumCapacity: order.count)
    for (stamp, start) in order.enumerated() {
      guard let length = heap.freeRunsByStart.value(for: start),
        index.stamps.updateValue(stamp, forKey: start) == nil
      else { return nil }
      let list = classOf(length: length)
      index.lists[list].append(Entry(start: start, stamp: stamp))  // the newest last: the head
      index.live[list] += 1
    }
    index.nextStamp = order.count
    for list in index.lists.indices where index.live[list] > 0 {
      let (level, sl) = Self.level(ofClass: list)
      index.secondLevels[level] |= UInt8(1 << sl)
      index.firstLevels |= UInt64(1) << level
    }
    return index
  }

  /// Lists with no run in them.
  private init(empty heap: Heap) {
    lists = Array(repeating: [], count: Self.classCount)
    live = Array(repeating: 0, count: Self.classCount)
    secondLevels = Array(repeating: 0, count: Self.levelCount)
  }

  /// The non-empty lists from the smallest class up, each head first; the two bitmaps.
  func structure(in heap: Heap, limit: Int) -> FreeStructure {
    let groups = lists.indices.filter { live[$0] > 0 }.map { index in
      FreeStructure.Group.group(
        Self.text(Self.lengths(ofClass: index)),
        lists[index].reversed().lazy.filter(isLive).map {
          FreeStructure.Entry(start: $0.start, length: heap.freeRunsByStart.value(for: $0.start) ?? 0)
        },
        count: live[index], limit: limit)
    }
    let levels = (0..<Self.levelCount).filter { (firstLevels >> $0) & 1 == 1 }
    let name = { (level: Int) in level == 0 ? "1-3" : "2^\(level + 1)" }
    let second = levels.map { level in
      let bits = String(secondLevels[level], radix: 2)
      return name(level) + ":" + String(repeating: "0", count: 4 - bits.count) + bits
    }
    return FreeStructure(
      title: "TLSF lists, heads first",
      groups: groups,
      notes: [
        "FL " + (levels.isEmpty ? "none" : levels.map(name).joined(separator: " ")),
        "SL " + (second.isEmpty ? "none" : second.joined(separator: " ")),
      ])
  }

  private static func text(_ lengths: ClosedRange<Int>) -> String {
    lengths.count == 1 ? "\(lengths.lowerBound)" : "\(lengths.lowerBound)-\(lengths.upperBound)"
  }
}
