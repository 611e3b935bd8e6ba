// MARK: - Test hooks
//
// Internal and unguarded (not `#if DEBUG`) so that the tests build in release too.

extension SearchTree {
  /// Ways to break a tree of more than `fanout` entries, to test `structuralViolations`.
  enum Corruption: CaseIterable { case leafOrder, separator, maximum, count, fill, depth }

  /// Levels of nodes, leaves included (tests only).
  var levels: Int { withView { $0.level(0) } + 1 }

  /// Breaks one rule on purpose (tests only).
  mutating func corrupt(_ corruption: Corruption) {
    precondition(nodeCount > 0, "corrupt needs a pooled tree")
    if corruption == .count { count += 1 }
    withNodes { n in
      var leaf = 0
      while n.level(leaf) > 0 { leaf = n.child(leaf, 0) }
      let (s, l) = (leaf * Self.fanout, leaf * Self.linkStride)
      switch corruption {
      case .leafOrder: (n.key[s], n.key[s + 1]) = (n.key[s + 1], n.key[s])
      case .separator: n.key[1] = n.key[2]
      case .maximum: n.value[0] += 1
      case .count: break
      case .fill: n.link[l] = Self.header(count: 2, level: 0)
      case .depth: n.link[l] += 1 << 8
      }
    }
  }
}
