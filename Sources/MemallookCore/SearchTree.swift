/// A key of a `SearchTree`: ordered, with a well-mixed priority for the treap.
public protocol SearchTreeKey: Comparable, Sendable {
  /// A pseudo-random priority derived from the key; keeps the treap balanced.
  var treapPriority: UInt64 { get }
}

extension Int: SearchTreeKey {
  public var treapPriority: UInt64 { mixBits(UInt64(bitPattern: Int64(self))) }
}

/// The splitmix64 finalizer: spreads the bits of `x` over the whole word.
@inline(__always)
func mixBits(_ x: UInt64) -> UInt64 {
  var z = x &+ 0x9E37_79B9_7F4A_7C15
  z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}

/// An ordered map from unique keys to `Int` values, each node also knowing the
/// largest value in its subtree.
///
/// A treap stored in one array (indices, not references), so it is a value type
/// with copy-on-write and its memory grows with its count only. The subtree
/// maximum answers "the lowest key at or after `k` whose value is at least `v`"
/// in O(log n): that is first fit and next fit over free runs keyed by start
/// with their length as value.
struct SearchTree<Key: SearchTreeKey>: Sendable {
  struct Node: Sendable {
    var key: Key
    var value: Int
    var maxValue: Int
    var left: Int32
    var right: Int32
    let priority: UInt64
  }

  private(set) var nodes: [Node] = []
  private var vacant: [Int32] = []
  private var root: Int32 = -1
  /// Number of entries.
  private(set) var count = 0

  init() {}

  /// Builds a tree from entries sorted by strictly increasing key.
  /// - Complexity: O(n), a Cartesian-tree build with a stack.
  init(sorted entries: some Sequence<(key: Key, value: Int)>) {
    var spine: [Int32] = []
    for entry in entries {
      let node = allocate(entry.key, entry.value)
      var last: Int32 = -1
      while let top = spine.last, nodes[Int(top)].priority < nodes[Int(node)].priority {
        last = spine.removeLast()
        refresh(last)
      }
      nodes[Int(node)].left = last
      if let top = spine.last { nodes[Int(top)].right = node }
      spine.append(node)
    }
    // The bottom of the spine has the highest priority: it is the root.
    root = spine.first ?? -1
    while let top = spine.popLast() { refresh(top) }
  }

  var isEmpty: Bool { count == 0 }

  /// The largest value in the tree, or nil when empty. - Complexity: O(1).
  var maxValue: Int? { root < 0 ? nil : nodes[Int(root)].maxValue }

  // MARK: Lookups

  /// The value stored for `key`. - Complexity: O(log n).
  func value(for key: Key) -> Int? {
    var t = root
    while t >= 0 {
      let node = nodes[Int(t)]
      if key < node.key {
        t = node.left
      } else if node.key < key {
        t = node.right
      } else {
        return node.value
      }
    }
    return nil
  }

  /// The entry with the greatest key not above `key`. - Complexity: O(log n).
  func floor(_ key: Key) -> (key: Key, value: Int)? {
    var t = root
    var found: (key: Key, value: Int)?
    while t >= 0 {
      let node = nodes[Int(t)]
      if key < node.key {
        t = node.left
      } else {
        found = (node.key, node.value)
        t = node.right
      }
    }
    return found
  }

  /// The entry with the least key not below `key`. - Complexity: O(log n).
  func ceiling(_ key: Key) -> (key: Key, value: Int)? {
    var t = root
    var found: (key: Key, value: Int)?
    while t >= 0 {
      let node = nodes[Int(t)]
      if node.key < key {
        t = node.right
      } else {
        found = (node.key, node.value)
        t = node.left
      }
    }
    return found
  }

  /// The entry with the lowest key not below `start` whose value is at least `minimum`.
  /// - Complexity: O(log n): the subtree maxima prune every branch that cannot answer.
  func first(from start: Key, valueAtLeast minimum: Int) -> (key: Key, value: Int)? {
    first(in: root, from: start, minimum)
  }

  private func first(in t: Int32, from start: Key, _ minimum: Int) -> (key: Key, value: Int)? {
    guard t >= 0 else { return nil }
    let node = nodes[Int(t)]
    guard node.maxValue >= minimum else { return nil }
    if node.key < start { return first(in: node.right, from: start, minimum) }
    if let found = first(in: node.left, from: start, minimum) { return found }
    if node.value >= minimum { return (node.key, node.value) }
    return first(in: node.right, from: start, minimum)
  }

  /// The entry with the greatest key. - Complexity: O(log n).
  var last: (key: Key, value: Int)? {
    var t = root
    var found: (key: Key, value: Int)?
    while t >= 0 {
      found = (nodes[Int(t)].key, nodes[Int(t)].value)
      t = nodes[Int(t)].right
    }
    return found
  }

  // MARK: Updates

  /// Inserts `key`, which must not be present. - Complexity: O(log n) expected.
  mutating func insert(_ key: Key, value: Int) {
    let node = allocate(key, value)
    root = insert(node, into: root)
  }

  /// Removes `key` and returns its value, or nil when absent. - Complexity: O(log n) expected.
  @discardableResult
  mutating func remove(_ key: Key) -> Int? {
    var removed: Int?
    root = remove(key, from: root, &removed)
    return removed
  }

  /// Replaces the entry at `key` by `newKey` with `value`, in place.
  ///
  /// `newKey` must keep the entry's rank: no other key may lie between `key` and
  /// `newKey`. Used when a free run shrinks from its front or grows backwards.
  /// - Complexity: O(log n).
  mutating func replace(_ key: Key, with newKey: Key, value: Int) {
    let found = replace(key, newKey, value, in: root)
    precondition(found, "SearchTree.replace: key not present")
  }

  private mutating func replace(_ key: Key, _ newKey: Key, _ value: Int, in t: Int32) -> Bool {
    guard t >= 0 else { return false }
    let nodeKey = nodes[Int(t)].key
    let found: Bool
    if key < nodeKey {
      found = replace(key, newKey, value, in: nodes[Int(t)].left)
    } else if nodeKey < key {
      found = replace(key, newKey, value, in: nodes[Int(t)].right)
    } else {
      nodes[Int(t)].key = newKey
      nodes[Int(t)].value = value
      found = true
    }
    if found { refresh(t) }
    return found
  }

  private mutating func insert(_ node: Int32, into t: Int32) -> Int32 {
    guard t >= 0 else { return node }
    if nodes[Int(node)].priority > nodes[Int(t)].priority {
      let (left, right) = split(t, at: nodes[Int(node)].key)
      nodes[Int(node)].left = left
      nodes[Int(node)].right = right
      refresh(node)
      return node
    }
    if nodes[Int(node)].key < nodes[Int(t)].key {
      let child = insert(node, into: nodes[Int(t)].left)
      nodes[Int(t)].left = child
    } else {
      let child = insert(node, into: nodes[Int(t)].right)
      nodes[Int(t)].right = child
    }
    refresh(t)
    return t
  }

  private mutating func remove(_ key: Key, from t: Int32, _ removed: inout Int?) -> Int32 {
    guard t >= 0 else { return -1 }
    let nodeKey = nodes[Int(t)].key
    if key < nodeKey {
      let child = remove(key, from: nodes[Int(t)].left, &removed)
      nodes[Int(t)].left = child
    } else if nodeKey < key {
      let child = remove(key, from: nodes[Int(t)].right, &removed)
      nodes[Int(t)].right = child
    } else {
      removed = nodes[Int(t)].value
      let merged = merge(nodes[Int(t)].left, nodes[Int(t)].right)
      release(t)
      return merged
    }
    if removed != nil { refresh(t) }
    return t
  }

  /// Splits `t` into the keys below `key` and the keys at or above it.
  private mutating func split(_ t: Int32, at key: Key) -> (Int32, Int32) {
    guard t >= 0 else { return (-1, -1) }
    if nodes[Int(t)].key < key {
      let (left, right) = split(nodes[Int(t)].right, at: key)
      nodes[Int(t)].right = left
      refresh(t)
      return (t, right)
    } else {
      let (left, right) = split(nodes[Int(t)].left, at: key)
      nodes[Int(t)].left = right
      refresh(t)
      return (left, t)
    }
  }

  /// Joins two treaps where every key of `a` is below every key of `b`.
  private mutating func merge(_ a: Int32, _ b: Int32) -> Int32 {
    if a < 0 { return b }
    if b < 0 { return a }
    if nodes[Int(a)].priority > nodes[Int(b)].priority {
      let child = merge(nodes[Int(a)].right, b)
      nodes[Int(a)].right = child
      refresh(a)
      return a
    } else {
      let child = merge(a, nodes[Int(b)].left)
      nodes[Int(b)].left = child
      refresh(b)
      return b
    }
  }

  @inline(__always)
  private mutating func refresh(_ t: Int32) {
    var best = nodes[Int(t)].value
    let left = nodes[Int(t)].left
    let right = nodes[Int(t)].right
    if left >= 0 { best = Swift.max(best, nodes[Int(left)].maxValue) }
    if right >= 0 { best = Swift.max(best, nodes[Int(right)].maxValue) }
    nodes[Int(t)].maxValue = best
  }

  private mutating func allocate(_ key: Key, _ value: Int) -> Int32 {
    count += 1
    let node = Node(
      key: key, value: value, maxValue: value, left: -1, right: -1, priority: key.treapPriority)
    if let slot = vacant.popLast() {
      nodes[Int(slot)] = node
      return slot
    }
    nodes.append(node)
    return Int32(nodes.count - 1)
  }

  private mutating func release(_ t: Int32) {
    count -= 1
    if count == 0 {
      nodes.removeAll(keepingCapacity: true)
      vacant.removeAll(keepingCapacity: true)
    } else {
      vacant.append(t)
    }
  }
}

// MARK: - In-order traversal

extension SearchTree: Sequence {
  struct Iterator: IteratorProtocol, Sequence {
    fileprivate let tree: SearchTree
    fileprivate var stack: [Int32]

    mutating func next() -> (key: Key, value: Int)? {
      guard let t = stack.popLast() else { return nil }
      let node = tree.nodes[Int(t)]
      var child = node.right
      while child >= 0 {
        stack.append(child)
        child = tree.nodes[Int(child)].left
      }
      return (node.key, node.value)
    }
  }

  func makeIterator() -> Iterator { entries(from: nil) }

  /// Entries in key order, starting at the first key not below `start`.
  /// - Complexity: O(log n) to start, O(1) amortized per entry.
  func entries(from start: Key?) -> Iterator {
    var stack: [Int32] = []
    var t = root
    while t >= 0 {
      if let start, nodes[Int(t)].key < start {
        t = nodes[Int(t)].right
      } else {
        stack.append(t)
        t = nodes[Int(t)].left
      }
    }
    return Iterator(tree: self, stack: stack)
  }
}

// MARK: - Invariants

extension SearchTree {
  /// Every broken structural rule (order, heap priority, subtree maxima, count), as text.
  func structuralViolations() -> [String] {
    var problems: [String] = []
    var visited = 0
    func walk(_ t: Int32, low: Key?, high: Key?) -> Int {
      guard t >= 0 else { return Int.min }
      visited += 1
      guard visited <= count else {
        problems.append("cycle or stray node")
        return Int.min
      }
      let node = nodes[Int(t)]
      if let low, !(low < node.key) { problems.append("order broken at \(node.key)") }
      if let high, !(node.key < high) { problems.append("order broken at \(node.key)") }
      for child in [node.left, node.right] where child >= 0 {
        if nodes[Int(child)].priority > node.priority {
          problems.append("priority broken at \(node.key)")
        }
      }
      let leftMax = walk(node.left, low: low, high: node.key)
      let rightMax = walk(node.right, low: node.key, high: high)
      let expected = Swift.max(node.value, leftMax, rightMax)
      if node.maxValue != expected { problems.append("subtree maximum wrong at \(node.key)") }
      return expected
    }
    _ = walk(root, low: nil, high: nil)
    if visited != count { problems.append("count \(count) but \(visited) nodes reachable") }
    return problems
  }
}
