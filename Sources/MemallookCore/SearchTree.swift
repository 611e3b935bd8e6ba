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

  // MARK: Updates
  //
  // The recursive updates run on the node array's storage through one unsafe
  // pointer per operation: no uniqueness or bounds check at every level.

  typealias Nodes = UnsafeMutablePointer<Node>

  /// Inserts `key`, which must not be present. - Complexity: O(log n) expected.
  mutating func insert(_ key: Key, value: Int) {
    let node = allocate(key, value)
    let top = root
    root = nodes.withUnsafeMutableBufferPointer { Self.insert(node, into: top, $0.baseAddress!) }
  }

  /// Removes `key` and returns its value, or nil when absent. - Complexity: O(log n) expected.
  @discardableResult
  mutating func remove(_ key: Key) -> Int? {
    guard root >= 0 else { return nil }
    var removed: Int32 = -1
    let top = root
    root = nodes.withUnsafeMutableBufferPointer { Self.remove(key, from: top, &removed, $0.baseAddress!) }
    guard removed >= 0 else { return nil }
    let value = nodes[Int(removed)].value
    release(removed)
    return value
  }

  /// Replaces the entry at `key` by `newKey` with `value`, in place.
  ///
  /// `newKey` must keep the entry's rank: no other key may lie between `key` and
  /// `newKey`. Used when a free run shrinks from its front or grows backwards.
  /// - Complexity: O(log n).
  mutating func replace(_ key: Key, with newKey: Key, value: Int) {
    let top = root
    let found = nodes.withUnsafeMutableBufferPointer {
      Self.replace(key, newKey, value, in: top, $0.baseAddress!)
    }
    precondition(found, "SearchTree.replace: key not present")
  }

  private static func replace(_ key: Key, _ newKey: Key, _ value: Int, in t: Int32, _ n: Nodes) -> Bool {
    guard t >= 0 else { return false }
    let found: Bool
    if key < n[Int(t)].key {
      found = replace(key, newKey, value, in: n[Int(t)].left, n)
    } else if n[Int(t)].key < key {
      found = replace(key, newKey, value, in: n[Int(t)].right, n)
    } else {
      n[Int(t)].key = newKey
      n[Int(t)].value = value
      found = true
    }
    if found { refresh(t, n) }
    return found
  }

  private static func insert(_ node: Int32, into t: Int32, _ n: Nodes) -> Int32 {
    guard t >= 0 else { return node }
    if n[Int(node)].priority > n[Int(t)].priority {
      let (left, right) = split(t, at: n[Int(node)].key, n)
      n[Int(node)].left = left
      n[Int(node)].right = right
      refresh(node, n)
      return node
    }
    if n[Int(node)].key < n[Int(t)].key {
      n[Int(t)].left = insert(node, into: n[Int(t)].left, n)
    } else {
      n[Int(t)].right = insert(node, into: n[Int(t)].right, n)
    }
    refresh(t, n)
    return t
  }

  private static func remove(_ key: Key, from t: Int32, _ removed: inout Int32, _ n: Nodes) -> Int32 {
    guard t >= 0 else { return -1 }
    if key < n[Int(t)].key {
      n[Int(t)].left = remove(key, from: n[Int(t)].left, &removed, n)
    } else if n[Int(t)].key < key {
      n[Int(t)].right = remove(key, from: n[Int(t)].right, &removed, n)
    } else {
      removed = t
      return merge(n[Int(t)].left, n[Int(t)].right, n)
    }
    if removed >= 0 { refresh(t, n) }
    return t
  }

  /// Splits `t` into the keys below `key` and the keys at or above it.
  private static func split(_ t: Int32, at key: Key, _ n: Nodes) -> (Int32, Int32) {
    guard t >= 0 else { return (-1, -1) }
    if n[Int(t)].key < key {
      let (left, right) = split(n[Int(t)].right, at: key, n)
      n[Int(t)].right = left
      refresh(t, n)
      return (t, right)
    } else {
      let (left, right) = split(n[Int(t)].left, at: key, n)
      n[Int(t)].left = right
      refresh(t, n)
      return (left, t)
    }
  }

  /// Joins two treaps where every key of `a` is below every key of `b`.
  private static func merge(_ a: Int32, _ b: Int32, _ n: Nodes) -> Int32 {
    if a < 0 { return b }
    if b < 0 { return a }
    if n[Int(a)].priority > n[Int(b)].priority {
      n[Int(a)].right = merge(n[Int(a)].right, b, n)
      refresh(a, n)
      return a
    } else {
      n[Int(b)].left = merge(a, n[Int(b)].left, n)
      refresh(b, n)
      return b
    }
  }

  @inline(__always)
  private static func refresh(_ t: Int32, _ n: Nodes) {
    var best = n[Int(t)].value
    let left = n[Int(t)].left
    let right = n[Int(t)].right
    if left >= 0 { best = Swift.max(best, n[Int(left)].maxValue) }
    if right >= 0 { best = Swift.max(best, n[Int(right)].maxValue) }
    n[Int(t)].maxValue = best
  }

  private mutating func refresh(_ t: Int32) {
    nodes.withUnsafeMutableBufferPointer { Self.refresh(t, $0.baseAddress!) }
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
