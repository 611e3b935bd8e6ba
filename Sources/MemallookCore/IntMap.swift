import CPrefetch

/// A hash map from non-negative `Int` keys to values: open addressing with
/// linear probing, no tombstones.
///
/// Tags and page numbers are non-negative and often sequential. Groups of 4
/// consecutive keys are spread over the table by the splitmix64 finalizer of the
/// group number mixed with a seed, and stay together in 4 adjacent slots (a new
/// tag lands beside the one before); a lookup reads key and value side by side.
/// The seed comes from the process's `Hasher` seed and the table's size (random
/// per process, as `Dictionary`'s, unless `SWIFT_DETERMINISTIC_HASHING` is set),
/// so no one can choose keys that all collide.
/// Removal shifts the following entries back, reading the home of each entry up to the
/// end of the cluster: the load is kept between 1/8 and 1/2 (an empty map allocates
/// nothing), so memory follows the count and clusters stay short; its size
/// is any multiple of 4 (a home slot is found by multiplying, not masking), so a
/// table made for a known count is sized for it, not for the next power of two.
/// A slot is a key and a value side by side, no optional: a vacant slot is told by its
/// key alone and holds the value type's `placeholder` (an `IntMap<Int>` slot is 16 bytes).
/// A value type: the slots are copied on write.
struct IntMap<Value: IntMapValue>: Sendable {
  private struct Slot: Sendable {
    var key: Int
    var value: Value
  }

  /// A multiple of 4 slots, at least 8 (none while the map has never held anything).
  private var slots: [Slot] = []
  /// Mixed into every key's home slot; set at each resize.
  private var seed: UInt64 = 0
  /// The table does not shrink below this many slots (`reserveCapacity`).
  private var reservedSlots = 0
  /// Number of entries.
  private(set) var count = 0

  private static var vacant: Int { -1 }

  init() {}

  /// A map with room for `capacity` entries before it grows.
  init(minimumCapacity capacity: Int) {
    if capacity > 0 { rehash(slotCount: Self.slotCount(for: capacity, load: Self.plannedLoad)) }
  }

  var isEmpty: Bool { count == 0 }

  /// Slots in the table (0 while empty).
  var slotCount: Int { slots.count }

  /// The value for `key`, or nil; setting nil removes it. - Complexity: O(1) expected.
  subscript(key: Int) -> Value? {
    get { slot(of: key).map { slots[$0].value } }
    set {
      if let newValue { updateValue(newValue, forKey: key) } else { removeValue(forKey: key) }
    }
  }

  /// The values, in no particular order. - Complexity: O(slots), one pass.
  var allValues: [Value] {
    var values: [Value] = []
    values.reserveCapacity(count)
    for slot in slots {
      if slot.key != Self.vacant { values.append(slot.value) }
    }
    return values
  }

  /// The keys, in no particular order. - Complexity: O(slots), one pass.
  var allKeys: [Int] {
    var keys: [Int] = []
    keys.reserveCapacity(count)
    for slot in slots where slot.key != Self.vacant { keys.append(slot.key) }
    return keys
  }

  /// The entries, in no particular order.
  var entries: some Sequence<(key: Int, value: Value)> {
    slots.lazy.filter { $0.key != Self.vacant }.map { (key: $0.key, value: $0.value) }
  }

  /// Removes `key` and returns its value, or nil when absent. - Complexity: O(1) expected.
  @discardableResult
  mutating func removeValue(forKey key: Int) -> Value? {
    guard let found = slot(of: key) else { return nil }
    let removed = slots[found].value
    // Shift back every following entry of the cluster that may live in the hole: in one
    // access to the slots, not a uniqueness check and a bounds check a step.
    let seed = seed
    slots.withUnsafeMutableBufferPointer { slots in
      let count = slots.count
      var hole = found
      var next = Self.after(hole, count)
      while slots[next].key != Self.vacant {
        let home = Self.home(of: slots[next].key, seed: seed, slotCount: count)
        if Self.distance(from: home, to: next, count) >= Self.distance(from: hole, to: next, count) {
          slots[hole] = slots[next]
          hole = next
        }
        next = Self.after(next, count)
      }
      slots[hole] = Slot(key: Self.vacant, value: .placeholder)
    }
    count -= 1
    if count == 0, reservedSlots == 0 {
      self = IntMap()
    } else if slots.count > 16, count * 8 < slots.count, slots.count / 2 >= reservedSlots {
      rehash(slotCount: max(reservedSlots, Self.slotCount(for: count, load: Self.grownLoad)))
    }
    return removed
  }

  /// Makes room for `capacity` entries and keeps it until `capacity` is 0 again: the table
  /// neither grows nor shrinks while the count stays below it (a replay that frees every
  /// allocation, then makes them again, rebuilds the table no time). With 0, the table
  /// shrinks to fit its count.
  mutating func reserveCapacity(_ capacity: Int) {
    reservedSlots = capacity > 0 ? Self.slotCount(for: capacity, load: Self.plannedLoad) : 0
    if slots.count < reservedSlots {
      rehash(slotCount: reservedSlots)
    } else if reservedSlots == 0, count == 0 {
      self = IntMap()
    } else if reservedSlots == 0, slots.count > 16, count * 8 < slots.count {
      rehash(slotCount: Self.slotCount(for: count, load: Self.grownLoad))
    }
  }

  /// Removes every entry, keeping the slots when they suit `capacity` entries (they hold
  /// them at a load between 1/8 and the most, 1/2: any table grown to about that count
  /// does), else making the slots `init(minimumCapacity:)` would: a map refilled to about
  /// its old count (a checkpoint restored over the replay it came from) writes memory
  /// already mapped, where a new one is faulted in page by page. A reserved map is made
  /// anew, its reservation dropped. - Complexity: O(slots).
  mutating func removeAll(keepingRoomFor capacity: Int) {
    let holds = slots.count >= Self.slotCount(for: capacity, load: Self.maximumLoad)
    guard capacity > 0, reservedSlots == 0, holds, capacity * 8 >= slots.count else {
      self = capacity > 0 ? IntMap(minimumCapacity: capacity) : IntMap()
      return
    }
    slots.withUnsafeMutableBufferPointer { $0.update(repeating: Slot(key: Self.vacant, value: .placeholder)) }
    count = 0
  }

  /// Where the slots are in memory (tests: whether a map was filled again in place).
  var slotsAddress: UInt { slots.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } }

  /// Every broken rule (a key its lookup would not reach, a wrong count, a load above 1/2), as text.
  /// - Complexity: O(slots), in one pass over them.
  func structuralViolations() -> [String] {
    var problems: [String] = []
    var found = 0
    // A lookup probes from a key's home to the first vacant slot: every slot from
    // its home to where it lies must be taken. Start the pass after a vacant slot.
    let start = (slots.lastIndex { $0.key == Self.vacant } ?? -1) + 1
    var clusterStart = start
    for offset in 0..<slots.count {
      let index = (start + offset) % slots.count
      let slot = slots[index]
      guard slot.key != Self.vacant else {
        clusterStart = index + 1
        continue
      }
      found += 1
      if slot.key < 0 { problems.append("negative key \(slot.key)") }
      if distance(from: home(of: slot.key), to: index) > distance(from: clusterStart, to: index) {
        problems.append("key \(slot.key) not on its probe path")
      }
    }
    if found != count { problems.append("count \(count) but \(found) keys") }
    if !slots.isEmpty, slots.count % 4 != 0 || slots.count < 8 { problems.append("\(slots.count) slots") }
    if count * Self.maximumLoad.denominator > slots.count * Self.maximumLoad.numerator {
      problems.append("load above \(Self.maximumLoad.numerator)/\(Self.maximumLoad.denominator)")
    }
    if reservedSlots == 0, slots.count > 16, count * 8 < slots.count { problems.append("load below 1/8") }
    return problems
  }

  // MARK: Slots

  /// The slot a lookup of `key` starts at: each group of 4 consecutive keys is spread by
  /// the seeded mix over the table's aligned groups of 4 slots (the mix, a fraction of
  /// 2^64, times their number) and stays together in one.
  @inline(__always)
  func home(of key: Int) -> Int { Self.home(of: key, seed: seed, slotCount: slots.count) }

  @inline(__always)
  private static func home(of key: Int, seed: UInt64, slotCount: Int) -> Int {
    let mixed = mixBits(UInt64(bitPattern: Int64(key >> 2)) ^ seed)
    let group = Int(truncatingIfNeeded: mixed.multipliedFullWidth(by: UInt64(slotCount >> 2)).high)
    return group << 2 | (key & 3)
  }

  /// The slot after `index`, round the end of the table.
  @inline(__always)
  private func after(_ index: Int) -> Int { Self.after(index, slots.count) }

  @inline(__always)
  private static func after(_ index: Int, _ slotCount: Int) -> Int { index + 1 == slotCount ? 0 : index + 1 }

  /// How many slots forward from `start` to `end`, round the end of the table.
  @inline(__always)
  private func distance(from start: Int, to end: Int) -> Int {
    Self.distance(from: start, to: end, slots.count)
  }

  @inline(__always)
  private static func distance(from start: Int, to end: Int, _ slotCount: Int) -> Int {
    end >= start ? end - start : end - start + slotCount
  }

  /// The seed for a table of `slotCount` slots: different in every process.
  private static func seed(slotCount: Int) -> UInt64 {
    var hasher = Hasher()
    hasher.combine(slotCount)
    return UInt64(bitPattern: Int64(hasher.finalize()))
  }

  /// The longest distance from a key's home to its slot: how long the longest lookup probes.
  var longestProbe: Int {
    var longest = 0
    for (index, slot) in slots.enumerated() where slot.key != Self.vacant {
      longest = Swift.max(longest, distance(from: home(of: slot.key), to: index))
    }
    return longest
  }

  /// Hints that `key` is looked up soon: its home slot's line is fetched meanwhile.
  /// Changes nothing. - Complexity: O(1).
  @inline(__always)
  func prefetch(_ key: Int) {
    guard count > 0, key >= 0 else { return }
    slots.withUnsafeBufferPointer { memallook_prefetch($0.baseAddress! + home(of: key)) }
  }

  private func slot(of key: Int) -> Int? {
    // A negative key is never stored (and -1 marks a vacant slot): no lookup may find it.
    guard count > 0, key >= 0 else { return nil }
    var index = home(of: key)
    while true {
      let found = slots[index].key
      if found == key { return index }
      if found == Self.vacant { return nil }
      index = after(index)
    }
  }

  /// Sets the value for `key` and returns the one it replaces, nil when `key` is new.
  /// - Complexity: O(1) expected, one probe.
  @discardableResult
  mutating func updateValue(_ value: Value, forKey key: Int) -> Value? {
    precondition(key >= 0, "IntMap keys are non-negative")
    if (count + 1) * Self.maximumLoad.denominator > slots.count * Self.maximumLoad.numerator {
      rehash(slotCount: Self.slotCount(for: count + 1, load: Self.grownLoad))
    }
    var index = home(of: key)
    while slots[index].key != Self.vacant {
      if slots[index].key == key {
        defer { slots[index].value = value }
        return slots[index].value
      }
      index = after(index)
    }
    slots[index] = Slot(key: key, value: value)
    count += 1
    return nil
  }

  /// The load a table is sized for when it grows or shrinks: 1/4, so that it doubles each
  /// time and the work of growing stays O(1) a key on average.
  private static var grownLoad: (numerator: Int, denominator: Int) { (1, 4) }
  /// The load past which a table grows: 1/2. At 3/4 (until 2026-12-08) a removal's shift
  /// read the homes of 6.6 entries on average in the pair benchmark, and the first-page
  /// map cost a pair 500 instructions; at 1/2, 300 (docs/performance.md).
  private static var maximumLoad: (numerator: Int, denominator: Int) { (1, 2) }
  /// The load a table is sized for when told how many keys to expect (`reserveCapacity`,
  /// `init(minimumCapacity:)`): 3/8, an expected probe of 1.3 slots for a hit and 1.8 for a miss.
  private static var plannedLoad: (numerator: Int, denominator: Int) { (3, 8) }

  /// The fewest slots (a multiple of 4, at least 8) that keep `entries` at a load of at most `load`.
  private static func slotCount(for entries: Int, load: (numerator: Int, denominator: Int)) -> Int {
    let needed = (entries * load.denominator + load.numerator - 1) / load.numerator
    return max(8, (needed + 3) & ~3)
  }

  private mutating func rehash(slotCount: Int) {
    let old = slots
    slots = Array(repeating: Slot(key: Self.vacant, value: .placeholder), count: slotCount)
    seed = Self.seed(slotCount: slotCount)
    for slot in old where slot.key != Self.vacant {
      var index = home(of: slot.key)
      while slots[index].key != Self.vacant { index = after(index) }
      slots[index] = slot
    }
  }
}

/// A value an `IntMap` keeps: any sendable type with a value to fill vacant slots with.
protocol IntMapValue: Sendable {
  /// What a vacant slot holds; never read as a value.
  static var placeholder: Self { get }
}

extension Int: IntMapValue {
  static var placeholder: Int { 0 }
}
