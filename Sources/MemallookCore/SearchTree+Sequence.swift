extension SearchTree: Sequence {
  struct Iterator: IteratorProtocol, Sequence {
    fileprivate let tree: SearchTree
    fileprivate var leaf: Int
    fileprivate var slot: Int

    /// - Complexity: O(1) within a leaf, O(log n) to the next leaf: O(1) amortized.
    mutating func next() -> (key: Key, value: Int)? {
      guard leaf >= 0 else { return nil }
      return tree.withView { n in
        let s = leaf &* SearchTree.fanout &+ slot
        let entry = (key: n.key[s], value: n.value[s])
        slot &+= 1
        if slot == n.count(leaf) { (leaf, slot) = n.position(entry.key, strictlyAbove: true) ?? (-1, 0) }
        return entry
      }
    }
  }

  func makeIterator() -> Iterator { entries(from: nil) }

  /// Entries in key order, starting at the first key not below `start`.
  /// - Complexity: O(log n) to start, O(1) amortized per entry.
  func entries(from start: Key?) -> Iterator {
    guard count > 0 else { return Iterator(tree: self, leaf: -1, slot: 0) }
    let found = withView { n in
      if let start { return n.position(start, strictlyAbove: false) }
      var t = 0
      while n.level(t) > 0 { t = n.child(t, 0) }
      return (t, 0)
    }
    return Iterator(tree: self, leaf: found?.leaf ?? -1, slot: found?.slot ?? 0)
  }
}
