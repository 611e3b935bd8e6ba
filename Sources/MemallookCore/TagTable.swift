import CPrefetch

/// The live allocations by tag: a table indexed by the tag itself.
///
/// Tags are given in order (1, 2, 3, ...), so the live ones are mostly recent and
/// close together: tag `t` lives in slot `t & mask`, found with one indexed load, and a
/// new tag lands beside the one before. A tag whose slot is taken by an older live tag
/// (one `capacity` or more tags older) goes to `overflow`, a hash map, and is looked for
/// there whenever its slot does not hold it (the older tag may have been freed since).
/// Tags kept at a stride (every 64th) share few slots and mostly overflow: still O(1)
/// expected, at the cost of a slot read and a hash probe. The slots number a power of two from 2 to 4 times
/// the live tags (at least 16, none while empty): they grow past a load of 1/2 and shrink
/// below 1/8, so memory follows the live tags, never the tags ever issued. A value type.
struct TagTable: Sendable {
  /// The allocation of each slot's tag; a tag of 0 marks a vacant slot (tags start at 1).
  private var slots: [Allocation] = []
  /// Live allocations whose slot another live tag holds.
  private var overflow = IntMap<Allocation>()
  /// The table does not shrink below this many slots (`reserveCapacity`).
  private var reservedSlots = 0
  /// Number of live tags.
  private(set) var count = 0

  /// Slots in the table (0 while it has never held a tag).
  var slotCount: Int { slots.count }
  /// Live tags in the overflow.
  var overflowCount: Int { overflow.count }

  init() {}

  /// A table with room for `capacity` tags before it grows.
  init(minimumCapacity capacity: Int) {
    if capacity > 0 { resize(slotCount: Self.slotCount(for: capacity)) }
  }

  /// The allocation with `tag`, or nil. - Complexity: O(1), one load unless the tag is
  /// in the overflow.
  subscript(tag: Int) -> Allocation? {
    guard !slots.isEmpty, tag > 0 else { return nil }
    let slot = slots[tag & (slots.count - 1)]
    if slot.tag == tag { return slot }
    return overflow.isEmpty ? nil : overflow[tag]
  }

  /// Hints that the allocation with `tag` is looked up soon: its slot's line is fetched
  /// meanwhile. Changes nothing. - Complexity: O(1).
  @inline(__always)
  func prefetch(tag: Int) {
    guard !slots.isEmpty, tag > 0 else { return }
    slots.withUnsafeBufferPointer { memallook_prefetch($0.baseAddress! + (tag & ($0.count - 1))) }
  }

  /// Files `allocation`, whose tag must be positive and not live. - Complexity: O(1) amortized.
  mutating func insert(_ allocation: Allocation) {
    precondition(allocation.tag > 0, "tag \(allocation.tag) is not positive")
    if (count + 1) * 2 > slots.count { resize(slotCount: max(16, slots.count * 2)) }
    count += 1
    precondition(place(allocation), "tag \(allocation.tag) filed twice")
  }

  /// Replaces the live allocation with `allocation.tag` by `allocation`. - Complexity: O(1).
  mutating func update(_ allocation: Allocation) {
    let index = allocation.tag & (slots.count - 1)
    if slots[index].tag == allocation.tag {
      slots[index] = allocation
    } else {
      precondition(
        overflow.updateValue(allocation, forKey: allocation.tag) != nil, "no tag \(allocation.tag)")
    }
  }

  /// Removes the allocation with `tag` and returns it, or nil when it is not live.
  /// - Complexity: O(1) amortized.
  @discardableResult
  mutating func remove(_ tag: Int) -> Allocation? {
    guard !slots.isEmpty, tag > 0 else { return nil }
    let index = tag & (slots.count - 1)
    let removed: Allocation
    if slots[index].tag == tag {
      removed = slots[index]
      slots[index] = .placeholder
    } else if !overflow.isEmpty, let allocation = overflow.removeValue(forKey: tag) {
      removed = allocation
    } else {
      return nil
    }
    count -= 1
    if count == 0, reservedSlots == 0 {
      self = TagTable()
    } else if slots.count > 16, count * 8 < slots.count, slots.count / 2 >= reservedSlots {
      resize(slotCount: max(reservedSlots, Self.slotCount(for: count, spread: 4)))
    }
    return removed
  }

  /// Removes every tag, keeping the slots when they suit `capacity` tags (the slots
  /// `init(minimumCapacity:)` would make, or twice as many while the load stays at least
  /// 1/8), else making those: the memory of a table refilled to about its old count is
  /// already mapped (`IntMap.removeAll`). A reserved table is made anew, its reservation
  /// dropped. - Complexity: O(slots).
  mutating func removeAll(keepingRoomFor capacity: Int) {
    let fitting = Self.slotCount(for: capacity)
    let suits = slots.count == fitting || (slots.count == 2 * fitting && capacity * 8 >= slots.count)
    guard capacity > 0, reservedSlots == 0, suits else {
      self = TagTable(minimumCapacity: capacity)
      return
    }
    slots.withUnsafeMutableBufferPointer { $0.update(repeating: .placeholder) }
    overflow = IntMap()
    count = 0
  }

  /// Where the slots are in memory (tests: whether a table was filled again in place).
  var slotsAddress: UInt { slots.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } }

  /// Keeps room for `capacity` tags until it is called with 0 (as `IntMap.reserveCapacity`).
  mutating func reserveCapacity(_ capacity: Int) {
    reservedSlots = capacity > 0 ? Self.slotCount(for: capacity) : 0
    if slots.count < reservedSlots {
      resize(slotCount: reservedSlots)
    } else if reservedSlots == 0, count == 0 {
      self = TagTable()
    } else if reservedSlots == 0, slots.count > 16, count * 8 < slots.count {
      resize(slotCount: Self.slotCount(for: count, spread: 4))
    }
  }

  /// The live tags, in no particular order. - Complexity: O(slots), one pass.
  var tags: [Int] {
    var tags: [Int] = []
    tags.reserveCapacity(count)
    for slot in slots where slot.tag != 0 { tags.append(slot.tag) }
    tags.append(contentsOf: overflow.allKeys)
    return tags
  }

  /// Calls `body` with every live allocation, in no order, reading the slots front to back.
  /// - Complexity: O(slots), one pass.
  func forEach(_ body: (Allocation) -> Void) {
    slots.withUnsafeBufferPointer { for slot in $0 where slot.tag != 0 { body(slot) } }
    if !overflow.isEmpty { for allocation in overflow.allValues { body(allocation) } }
  }

  /// The live allocations, in no particular order. - Complexity: O(slots), one pass.
  var all: [Allocation] {
    var all: [Allocation] = []
    all.reserveCapacity(count)
    for slot in slots where slot.tag != 0 { all.append(slot) }
    all.append(contentsOf: overflow.allValues)
    return all
  }

  /// Every broken rule (a tag away from its slot, a wrong count, a load out of bounds), as text.
  func structuralViolations() -> [String] {
    var problems = overflow.structuralViolations()
    let inSlots = slots.indices.filter { slots[$0].tag != 0 }
    for index in inSlots where slots[index].tag & (slots.count - 1) != index {
      problems.append("tag \(slots[index].tag) in slot \(index)")
    }
    for (tag, allocation) in overflow.entries {
      if tag <= 0 || allocation.tag != tag { problems.append("tag \(tag) in the overflow") }
      // Its slot may have been freed since: lookups read the overflow past any other tag.
      if slots[tag & (slots.count - 1)].tag == tag { problems.append("tag \(tag) filed twice") }
    }
    if inSlots.count + overflow.count != count {
      problems.append("\(inSlots.count) + \(overflow.count) tags filed, \(count) counted")
    }
    if count * 2 > slots.count { problems.append("load above 1/2") }
    if reservedSlots == 0, slots.count > 16, count * 8 < slots.count {
      problems.append("load below 1/8")
    }
    if !slots.isEmpty, slots.count & (slots.count - 1) != 0 { problems.append("\(slots.count) slots") }
    return problems
  }

  /// The smallest power of two, at least 16, that holds `tags` at a load of at most
  /// 1/`spread`: 2 to make room (the table grows past 1/2), 4 to shrink (to between 1/8 and 1/4).
  private static func slotCount(for tags: Int, spread: Int = 2) -> Int {
    let needed = tags * spread
    return needed <= 16 ? 16 : 1 << (Int.bitWidth - (needed - 1).leadingZeroBitCount)
  }

  /// Files `allocation` in its tag's slot, or in the overflow when another holds it; false
  /// when its tag was filed already.
  @discardableResult
  private mutating func place(_ allocation: Allocation) -> Bool {
    let tag = allocation.tag
    let index = tag & (slots.count - 1)
    switch slots[index].tag {
    case 0:
      guard overflow.isEmpty || overflow[tag] == nil else { return false }
      slots[index] = allocation
      return true
    case tag:
      return false
    default:
      return overflow.updateValue(allocation, forKey: tag) == nil
    }
  }

  private mutating func resize(slotCount: Int) {
    let old = slots
    let overflowed = overflow
    slots = Array(repeating: .placeholder, count: slotCount)
    overflow = IntMap()
    for slot in old where slot.tag != 0 { place(slot) }
    for allocation in overflowed.allValues { place(allocation) }
  }
}
