/// Live tags → their allocation's first page: a table indexed by the tag itself.
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
  private struct Slot: Sendable {
    /// 0: vacant (tags start at 1).
    var tag: Int
    var firstPage: Int
  }

  private var slots: [Slot] = []
  /// Live tags whose slot another live tag holds.
  private var overflow = IntMap<Int>()
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

  /// The first page of the allocation with `tag`, or nil. - Complexity: O(1), one load
  /// unless the tag is in the overflow.
  subscript(tag: Int) -> Int? {
    guard !slots.isEmpty, tag > 0 else { return nil }
    let slot = slots[tag & (slots.count - 1)]
    if slot.tag == tag { return slot.firstPage }
    return overflow.isEmpty ? nil : overflow[tag]
  }

  /// Files `tag` (which must be positive and not live) at `firstPage`. - Complexity: O(1) amortized.
  mutating func insert(_ tag: Int, firstPage: Int) {
    precondition(tag > 0, "tag \(tag) is not positive")
    if (count + 1) * 2 > slots.count { resize(slotCount: max(16, slots.count * 2)) }
    count += 1
    precondition(place(tag, firstPage: firstPage), "tag \(tag) filed twice")
  }

  /// Changes the first page of live `tag`. - Complexity: O(1).
  mutating func update(_ tag: Int, firstPage: Int) {
    let index = tag & (slots.count - 1)
    if slots[index].tag == tag {
      slots[index].firstPage = firstPage
    } else {
      precondition(overflow.updateValue(firstPage, forKey: tag) != nil, "no tag \(tag)")
    }
  }

  /// Removes `tag` and returns its first page, or nil when it is not live. - Complexity: O(1) amortized.
  @discardableResult
  mutating func remove(_ tag: Int) -> Int? {
    guard !slots.isEmpty, tag > 0 else { return nil }
    let index = tag & (slots.count - 1)
    let firstPage: Int
    if slots[index].tag == tag {
      firstPage = slots[index].firstPage
      slots[index].tag = 0
    } else if !overflow.isEmpty, let page = overflow.removeValue(forKey: tag) {
      firstPage = page
    } else {
      return nil
    }
    count -= 1
    if count == 0, reservedSlots == 0 {
      self = TagTable()
    } else if slots.count > 16, count * 8 < slots.count, slots.count / 2 >= reservedSlots {
      resize(slotCount: max(reservedSlots, Self.slotCount(for: count, spread: 4)))
    }
    return firstPage
  }

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

  /// Every broken rule (a tag away from its slot, a wrong count, a load out of bounds), as text.
  func structuralViolations() -> [String] {
    var problems = overflow.structuralViolations()
    let inSlots = slots.indices.filter { slots[$0].tag != 0 }
    for index in inSlots where slots[index].tag & (slots.count - 1) != index {
      problems.append("tag \(slots[index].tag) in slot \(index)")
    }
    for tag in overflow.allKeys {
      if tag <= 0 { problems.append("tag \(tag) in the overflow") }
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

  /// Files `tag` in its slot, or in the overflow when another holds it; false when it was
  /// filed already.
  @discardableResult
  private mutating func place(_ tag: Int, firstPage: Int) -> Bool {
    let index = tag & (slots.count - 1)
    switch slots[index].tag {
    case 0:
      guard overflow.isEmpty || overflow[tag] == nil else { return false }
      slots[index] = Slot(tag: tag, firstPage: firstPage)
      return true
    case tag:
      return false
    default:
      return overflow.updateValue(firstPage, forKey: tag) == nil
    }
  }

  private mutating func resize(slotCount: Int) {
    let old = slots
    let overflowed = overflow
    slots = Array(repeating: Slot(tag: 0, firstPage: 0), count: slotCount)
    overflow = IntMap()
    for slot in old where slot.tag != 0 { place(slot.tag, firstPage: slot.firstPage) }
    for entry in overflowed.entries { place(entry.key, firstPage: entry.value) }
  }
}
