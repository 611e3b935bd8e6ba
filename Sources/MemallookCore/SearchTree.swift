/// A key of a `SearchTree`: ordered, sendable, and plain bits (the tree moves keys as bytes).
public protocol SearchTreeKey: Comparable, Sendable, BitwiseCopyable {}

extension Int: SearchTreeKey {}

/// An ordered map from unique keys to `Int` values that also knows, for every
/// subtree, its largest value.
///
/// A B+ tree in one block of memory (`SearchTreeStorage`: three flat regions, a
/// structure of arrays with `Int32` node indices), so it is a value type with
/// copy-on-write and the struct is 24 bytes. Node `t` owns
/// `fanout` slots at `t * fanout` of the keys and values, and `fanout + 1` links at
/// `t * (fanout + 1)`: a header (slot count, and level above the leaves) then the
/// children. A leaf slot holds an entry; an inner slot holds a child, its least key
/// and its largest value, which answer "the lowest key at or after `k` whose value
/// is at least `v`" (first fit, next fit) in O(log n). Every node but the root is at
/// least half full and all leaves are at the same depth. The root is node 0; the
/// pool has no holes (a freed node is filled with the last one).
///
/// A tree of at most `fanout` entries is one unpadded leaf (`nodeCount` 0): `count`
/// keys and values in a block with room for a few more, and no links; an empty tree
/// allocates nothing.
struct SearchTree<Key: SearchTreeKey>: Sendable {
  typealias Nodes = SearchTreeNodes<Key>

  private var storage: SearchTreeStorage<Key>?
  /// Nodes in the pool; 0 for one unpadded leaf (or none).
  private(set) var nodeCount = 0
  /// Keys and values in use: the single leaf's entries, or every node's slots.
  var usedSlots: Int { nodeCount == 0 ? count : nodeCount * Self.fanout }
  /// Number of entries; set only by the tree and `SearchTree+FreeRuns` (checked by the invariants).
  var count = 0

  /// Slots per node; at most 255 (the header keeps the count in 8 bits).
  @inline(__always) static var fanout: Int { 32 }
  @inline(__always) static var minFill: Int { fanout / 2 }
  @inline(__always) static var linkStride: Int { fanout + 1 }

  init() {}

  /// Builds a tree from entries sorted by strictly increasing key, nodes full.
  /// - Complexity: O(n).
  init(sorted entries: some Sequence<(key: Key, value: Int)>) {
    var sortedKeys: [Key] = []
    var sortedValues: [Int] = []
    for entry in entries {
      sortedKeys.append(entry.key)
      sortedValues.append(entry.value)
    }
    let entryCount = sortedKeys.count
    defer { count = entryCount }  // the pool is built first: until then the tree holds nothing
    guard entryCount > Self.fanout else {
      guard entryCount > 0 else { return }
      storage = SearchTreeStorage(slots: entryCount, links: 0)
      sortedKeys.withUnsafeBufferPointer { storage!.key.initialize(from: $0.baseAddress!, count: entryCount) }
      sortedValues.withUnsafeBufferPointer {
        storage!.value.initialize(from: $0.baseAddress!, count: entryCount)
      }
      return
    }
    let (width, stride) = (Self.fanout, Self.linkStride)
    appendNodes(1, filler: sortedKeys[0])  // node 0: the root, copied there at the end
    var level: [Int] = []
    var low = 0
    for size in Self.groupSizes(entryCount) {
      let t = nodeCount
      appendNodes(1, filler: sortedKeys[low])
      withNodes { n in
        sortedKeys.withUnsafeBufferPointer {
          (n.key + t * width).update(from: $0.baseAddress! + low, count: size)
        }
        sortedValues.withUnsafeBufferPointer {
          (n.value + t * width).update(from: $0.baseAddress! + low, count: size)
        }
        n.link[t * stride] = Self.header(count: size, level: 0)
      }
      level.append(t)
      low += size
    }
    var height = 0
    while level.count > 1 {
      height += 1
      var upper: [Int] = []
      low = 0
      for size in Self.groupSizes(level.count) {
        let t = nodeCount
        appendNodes(1, filler: sortedKeys[0])
        withNodes { n in
          for i in 0..<size { n.setSlot(t, i, key: n.key[level[low + i] * width], child: level[low + i]) }
          n.link[t * stride] = Self.header(count: size, level: height)
        }
        upper.append(t)
        low += size
      }
      level = upper
    }
    withNodes { $0.copyNode(level[0], to: 0) }
    removeLastNodes(1)
  }

  var isEmpty: Bool { count == 0 }

  /// The largest value in the tree, or nil when empty. - Complexity: O(fanout).
  var maxValue: Int? { count == 0 ? nil : withView { $0.maxValue(0) } }

  // MARK: Lookups

  /// The value stored for `key`. - Complexity: O(log n).
  func value(for key: Key) -> Int? {
    guard count > 0 else { return nil }
    return withView { n in
      let t = n.leaf(for: key)
      let p = n.lowerBound(t, key)
      return p < n.count(t) && !(key < n.key[t &* Self.fanout &+ p]) ? n.value[t &* Self.fanout &+ p] : nil
    }
  }

  /// The entry with the greatest key not above `key`. - Complexity: O(log n).
  func floor(_ key: Key) -> (key: Key, value: Int)? {
    guard count > 0 else { return nil }
    return withView { n in
      let t = n.leaf(for: key)
      var s = t &* Self.fanout &+ n.lowerBound(t, key)
      if s == t &* Self.fanout &+ n.count(t) || key < n.key[s] {
        // The leaf's least key is above `key` only on the leftmost path: then there is no floor.
        guard s > t &* Self.fanout else { return nil }
        s -= 1
      }
      return (n.key[s], n.value[s])
    }
  }

  /// The entry with the least key not below `key`. - Complexity: O(log n).
  func ceiling(_ key: Key) -> (key: Key, value: Int)? {
    guard count > 0 else { return nil }
    return withView { n in
      n.position(key, strictlyAbove: false).map {
        (n.key[$0 * Self.fanout + $1], n.value[$0 * Self.fanout + $1])
      }
    }
  }

  /// The entry with the lowest key not below `start` whose value is at least `minimum`.
  /// - Complexity: O(fanout · log n): the subtree maxima prune every child that cannot answer.
  func first(from start: Key, valueAtLeast minimum: Int) -> (key: Key, value: Int)? {
    guard count > 0 else { return nil }
    return withView { n in
      Self.withPath { Self.locateFirst(start, minimum, n, $0) }.map { (n.key[$0.slot], n.value[$0.slot]) }
    }
  }

  // MARK: Updates
  //
  // The updates run on the block (`SearchTreeStorage`) through one set of unsafe pointers
  // per operation (`Nodes`); only the rare structural steps (a single leaf out of room,
  // new nodes past the pool's room, switching between one unpadded leaf and the pool)
  // make a new block.

  /// Inserts `key`, which must not be present. - Complexity: O(fanout · log n).
  mutating func insert(_ key: Key, value: Int) {
    if nodeCount == 0 {
      if count < Self.fanout {
        if count == storage?.slotCapacity ?? 0 {  // room for twice as many, up to a node
          let room = Swift.min(Self.fanout, Swift.max(2, 2 * count))
          storage =
            storage?.copy(usedSlots: count, usedLinks: 0, slots: room, links: 0)
            ?? SearchTreeStorage(slots: room, links: 0)
        }
        withNodes { $0.insertSlot(0, at: $0.upperBound(0, key), key: key, value: value, child: -1) }
        count += 1
        return
      }
      // A full single leaf becomes node 0 of the pool, to be split below.
      storage = storage!.copy(
        usedSlots: count, usedLinks: 0, slots: 4 * Self.fanout, links: 4 * Self.linkStride)
      storage!.link.initialize(repeating: -1, count: Self.linkStride)
      storage!.link[0] = Self.header(count: count, level: 0)
      nodeCount = 1
    }
    count += 1
    if withNodes({ Self.insertWithoutSplit(key, value, into: 0, $0) }) { return }
    // A full leaf splits: take one spare node per level, plus one to move the root into.
    let first = nodeCount
    appendNodes(withView { $0.level(0) } + 2, filler: key)
    var next = first
    withNodes { n in
      if let right = Self.insert(key, value, into: 0, n, &next) {
        let left = next
        next += 1
        n.copyNode(0, to: left)
        n.link[0] = Self.header(count: 2, level: n.level(left) + 1)
        n.setSlot(0, 0, key: n.key[left * Self.fanout], child: left)
        n.setSlot(0, 1, key: n.key[right * Self.fanout], child: right)
      }
    }
    removeLastNodes(nodeCount - next)
  }

  /// Inserts into the subtree of `t` when its leaf has room; false (nothing changed) otherwise.
  private static func insertWithoutSplit(_ key: Key, _ value: Int, into t: Int, _ n: Nodes) -> Bool {
    if n.level(t) == 0 {
      guard n.count(t) < fanout else { return false }
      n.insertSlot(t, at: n.lowerBound(t, key), key: key, value: value, child: -1)
      return true
    }
    let j = n.slot(t, key)
    guard insertWithoutSplit(key, value, into: n.child(t, j), n) else { return false }
    let s = t &* fanout &+ j
    if key < n.key[s] { n.key[s] = key }
    if n.value[s] < value { n.value[s] = value }
    return true
  }

  /// Inserts into the subtree of `t`, splitting full nodes with spare nodes from `next`.
  /// Returns the new right sibling of `t` when `t` split.
  private static func insert(_ key: Key, _ value: Int, into t: Int, _ n: Nodes, _ next: inout Int) -> Int? {
    if n.level(t) == 0 {
      return n.insertSplitting(t, at: n.lowerBound(t, key), key: key, value: value, child: -1, &next)
    }
    let j = n.slot(t, key)
    let child = n.child(t, j)
    let right = insert(key, value, into: child, n, &next)
    n.setSlot(t, j, key: n.key[child * fanout], child: child)
    guard let right else { return nil }
    return n.insertSplitting(
      t, at: j + 1, key: n.key[right * fanout], value: n.maxValue(right), child: right, &next)
  }

  /// Removes `key` and returns its value, or nil when absent. - Complexity: O(fanout · log n).
  @discardableResult
  mutating func remove(_ key: Key) -> Int? {
    if nodeCount == 0 {
      guard count > 0 else { return nil }
      let removed = withNodes { n -> Int? in
        let p = n.lowerBound(0, key)
        guard p < n.count(0), !(key < n.key[p]) else { return nil }
        defer { n.removeSlot(0, at: p) }
        return n.value[p]
      }
      guard let removed else { return nil }
      count -= 1
      if count == 0 { storage = nil }
      return removed
    }
    var freed: [Int] = []
    let removed = withNodes { n in
      let removed = Self.remove(key, from: 0, n, &freed)
      if n.level(0) > 0, n.count(0) == 1 {  // the root's last two children merged
        freed.append(n.child(0, 0))
        n.copyNode(n.child(0, 0), to: 0)
      }
      return removed
    }
    guard let removed else { return nil }
    count -= 1
    if withView({ $0.level(0) }) == 0 {  // back to one leaf: drop the pool
      storage = count == 0 ? nil : storage!.copy(usedSlots: count, usedLinks: 0, slots: count, links: 0)
      nodeCount = 0
    } else if !freed.isEmpty {
      for t in freed.sorted(by: >) { release(t) }
    }
    return removed
  }

  private static func remove(_ key: Key, from t: Int, _ n: Nodes, _ freed: inout [Int]) -> Int? {
    if n.level(t) == 0 {
      let p = n.lowerBound(t, key)
      guard p < n.count(t), !(key < n.key[t &* fanout &+ p]) else { return nil }
      let value = n.value[t &* fanout &+ p]
      n.removeSlot(t, at: p)
      return value
    }
    let j = n.slot(t, key)
    let child = n.child(t, j)
    guard let value = remove(key, from: child, n, &freed) else { return nil }
    let s = t &* fanout &+ j
    n.key[s] = n.key[child &* fanout]
    if value == n.value[s] { n.value[s] = n.maxValue(child) }
    if n.count(child) < minFill { n.rebalance(t, j, &freed) }
    return value
  }

  /// Replaces the entry at `key` by `newKey` with `value`, in place.
  ///
  /// `newKey` must keep the entry's rank: no other key may lie between `key` and
  /// `newKey`. Used when a free run shrinks from its front or grows backwards.
  /// - Complexity: O(log n), O(fanout · log n) when the value decreases.
  mutating func replace(_ key: Key, with newKey: Key, value: Int) {
    precondition(count > 0, "SearchTree.replace: key not present")
    let old = withNodes { Self.replace(key, newKey, value, in: 0, $0) }
    precondition(old != nil, "SearchTree.replace: key not present")
  }

  private static func replace(_ key: Key, _ newKey: Key, _ value: Int, in t: Int, _ n: Nodes) -> Int? {
    if n.level(t) == 0 {
      let s = t &* fanout &+ n.lowerBound(t, key)
      guard s < t &* fanout &+ n.count(t), !(key < n.key[s]) else { return nil }
      defer { (n.key[s], n.value[s]) = (newKey, value) }
      return n.value[s]
    }
    let j = n.slot(t, key)
    let child = n.child(t, j)
    guard let old = replace(key, newKey, value, in: child, n) else { return nil }
    let s = t &* fanout &+ j
    n.key[s] = n.key[child &* fanout]
    if value >= n.value[s] {
      n.value[s] = value
    } else if old == n.value[s] {
      n.value[s] = n.maxValue(child)
    }
    return old
  }

  // MARK: Storage

  /// Bytes of heap storage held (capacity, not count).
  var storageBytes: Int { storage?.bytes ?? 0 }

  /// What is wrong with the block itself, or nil: it must exist exactly while there are
  /// entries, and hold the slots and nodes in use (checked first by the invariants).
  var storageProblem: String? {
    guard let storage else { return count > 0 || nodeCount > 0 ? "no block for \(count) entries" : nil }
    if count == 0 { return "an empty tree keeps a block of \(storage.bytes) bytes" }
    if usedSlots > storage.slotCapacity || nodeCount * Self.linkStride > storage.linkCapacity {
      return
        "\(usedSlots) slots and \(nodeCount) nodes in a block for \(storage.slotCapacity) and \(storage.linkCapacity / Self.linkStride)"
    }
    return nil
  }

  static func header(count: Int, level: Int) -> Int32 { Int32(count | level << 8) }

  /// Sizes of the fewest groups of at most `fanout` that share `n` items evenly (each ≥ half full when > 1).
  private static func groupSizes(_ n: Int) -> [Int] {
    let groups = (n + fanout - 1) / fanout
    return (0..<groups).map { n / groups + ($0 < n % groups ? 1 : 0) }
  }

  /// Adds `m` nodes to the pool, their keys `filler`, values 0 and links -1; the pool's room
  /// doubles when it runs out.
  private mutating func appendNodes(_ m: Int, filler: Key) {
    let (width, stride, used) = (Self.fanout, Self.linkStride, nodeCount)
    let room = storage.map { $0.linkCapacity / stride } ?? 0
    if used + m > room {
      let nodes = Swift.max(used + m, 2 * room, 4)
      storage =
        storage?.copy(
          usedSlots: used * width, usedLinks: used * stride, slots: nodes * width, links: nodes * stride)
        ?? SearchTreeStorage(slots: nodes * width, links: nodes * stride)
    }
    withNodes { n in  // the block is this tree's own before the pool counts the new nodes
      (n.key + used * width).initialize(repeating: filler, count: m * width)
      (n.value + used * width).initialize(repeating: 0, count: m * width)
      (n.link + used * stride).initialize(repeating: -1, count: m * stride)
    }
    nodeCount += m
  }

  private mutating func removeLastNodes(_ m: Int) { nodeCount -= m }

  /// Frees node `t` (unreachable) by moving the last node into it. - Complexity: O(fanout · log n).
  private mutating func release(_ t: Int) {
    let last = nodeCount - 1
    if t != last {
      withNodes { n in
        let least = n.key[last * Self.fanout]
        var parent = 0
        while n.level(parent) > n.level(last) + 1 { parent = n.child(parent, n.slot(parent, least)) }
        let j = n.slot(parent, least)
        precondition(n.child(parent, j) == last, "SearchTree: lost the parent of a moved node")
        n.link[parent * Self.linkStride + 1 + j] = Int32(t)
        n.copyNode(last, to: t)
      }
    }
    removeLastNodes(1)
  }

  /// Runs `body` on the storage; a single unpadded leaf gets a header made up on the stack.
  @inline(__always)
  func withView<R>(_ body: (Nodes) -> R) -> R {
    guard storage != nil else {  // empty: nothing to read, the header says so
      assert(count == 0, "SearchTree: \(count) entries and no block")
      var header = Self.header(count: 0, level: 0)
      return withUnsafeMutablePointer(to: &header) { header in
        withUnsafeTemporaryAllocation(of: Key.self, capacity: 1) { key in
          withUnsafeTemporaryAllocation(of: Int.self, capacity: 1) {
            body(Nodes(key: key.baseAddress!, value: $0.baseAddress!, link: header))
          }
        }
      }
    }
    assert(
      usedSlots <= storage.unsafelyUnwrapped.slotCapacity
        && nodeCount * Self.linkStride <= storage.unsafelyUnwrapped.linkCapacity,
      "SearchTree: \(usedSlots) slots and \(nodeCount) nodes in a block too small for them")
    // Read through `self`, which holds the block for the call: no reference of its own to count.
    let (key, value) = (storage.unsafelyUnwrapped.key, storage.unsafelyUnwrapped.value)
    guard nodeCount == 0 else {
      return body(Nodes(key: key, value: value, link: storage.unsafelyUnwrapped.link))
    }
    var header = Self.header(count: count, level: 0)
    return withUnsafeMutablePointer(to: &header) { body(Nodes(key: key, value: value, link: $0)) }
  }

  /// Runs `body` on the storage, to change it, copied first when shared (the tree's own
  /// extensions; the caller keeps `count`).
  @inline(__always)
  mutating func withNodes<R>(_ body: (Nodes) -> R) -> R {
    if !isKnownUniquelyReferenced(&storage), let shared = storage {
      storage = shared.copy(
        usedSlots: usedSlots, usedLinks: nodeCount * Self.linkStride, slots: shared.slotCapacity,
        links: shared.linkCapacity)
    }
    return withView(body)
  }
}
