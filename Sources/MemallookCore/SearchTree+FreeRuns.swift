/// The free runs' two commonest changes, each in one descent: a freed range merged with its
/// neighbours, and a run shortened from its front by an ALLOC. Done in the leaf that holds
/// the range, its ancestors' least keys and maxima fixed on the way back up; when that
/// leaf cannot do it alone (a neighbour in the next leaf, a full leaf, a leaf at its
/// least fill) they change nothing and say so, and the caller takes the general path.
extension SearchTree where Key == Int {
  /// What `mergeFreed` found around the freed range: the run ending at its start, and
  /// the length of the run beginning at its end, each now part of one merged run.
  struct Merge {
    let before: (key: Int, value: Int)?
    let after: Int?
  }

  /// Adds the run `start ..< start + length` (free pages, apart from every run), merged
  /// with the run ending at `start` and the one beginning at its end; nil, and nothing
  /// changed, when the leaf cannot do it alone. - Complexity: one descent, O(fanout · log n).
  mutating func mergeFreed(start: Int, length: Int) -> Merge? {
    guard !links.isEmpty else { return nil }  // one unpadded leaf: the general path is as cheap
    guard let merge = withNodes({ Self.merge(start, length, in: 0, $0) })?.merge else { return nil }
    // A run was added unless it joined one; one was removed when it joined two.
    count +=
      merge.before == nil && merge.after == nil ? 1 : merge.before != nil && merge.after != nil ? -1 : 0
    return merge
  }

  /// The merge in the subtree of `t`, and the merged run's length (the subtree's maximum is at least it).
  private static func merge(_ start: Int, _ length: Int, in t: Int, _ n: Nodes) -> (
    merge: Merge, length: Int
  )? {
    guard n.level(t) == 0 else {
      let j = n.slot(t, start)
      let child = n.child(t, j)
      guard let result = merge(start, length, in: child, n) else { return nil }
      let s = t &* fanout &+ j
      n.key[s] = n.key[child &* fanout]
      if n.value[s] < result.length { n.value[s] = result.length }
      return result
    }
    let (base, c, end) = (t &* fanout, n.count(t), start + length)
    let p = n.lowerBound(t, start)
    // The run after may be the next leaf's first: only this leaf's keys are known here.
    guard p < c else { return nil }
    let before = p > 0 && n.key[base &+ p &- 1] + n.value[base &+ p &- 1] == start
    let after = n.key[base &+ p] == end
    switch (before, after) {
    case (true, true):
      guard c > minFill else { return nil }
      let (key, value, afterLength) = (n.key[base &+ p &- 1], n.value[base &+ p &- 1], n.value[base &+ p])
      n.value[base &+ p &- 1] = value + length + afterLength
      n.removeSlot(t, at: p)
      return (Merge(before: (key, value), after: afterLength), value + length + afterLength)
    case (true, false):
      let (key, value) = (n.key[base &+ p &- 1], n.value[base &+ p &- 1])
      n.value[base &+ p &- 1] = value + length
      return (Merge(before: (key, value), after: nil), value + length)
    case (false, true):
      let afterLength = n.value[base &+ p]
      (n.key[base &+ p], n.value[base &+ p]) = (start, length + afterLength)
      return (Merge(before: nil, after: afterLength), length + afterLength)
    case (false, false):
      guard c < fanout else { return nil }
      n.insertSlot(t, at: p, key: start, value: length, child: -1)
      return (Merge(before: nil, after: nil), length)
    }
  }

  /// Shortens the run beginning at `start` by `length` pages from its front, or removes it
  /// when it is `length` pages long, and returns its length before; nil, and nothing
  /// changed, when no run begins at `start`, it is shorter than `length`, or its leaf
  /// cannot lose it alone. - Complexity: one descent, O(fanout · log n).
  mutating func shortenFront(of start: Int, by length: Int) -> Int? {
    guard count > 0 else { return nil }
    let removes = !links.isEmpty  // one unpadded leaf removes on the general path
    guard let old = withNodes({ Self.shortenFront(start, length, removes, in: 0, $0) }) else { return nil }
    if old == length { count -= 1 }
    return old
  }

  private static func shortenFront(_ start: Int, _ length: Int, _ removes: Bool, in t: Int, _ n: Nodes)
    -> Int?
  {
    guard n.level(t) == 0 else {
      let j = n.slot(t, start)
      let child = n.child(t, j)
      guard let old = shortenFront(start, length, removes, in: child, n) else { return nil }
      let s = t &* fanout &+ j
      n.key[s] = n.key[child &* fanout]
      if old == n.value[s] { n.value[s] = n.maxValue(child) }  // it was the longest below: maybe no more
      return old
    }
    let p = n.lowerBound(t, start)
    let s = t &* fanout &+ p
    guard s < t &* fanout &+ n.count(t), n.key[s] == start, n.value[s] >= length else { return nil }
    let old = n.value[s]
    if old == length {
      guard removes, n.count(t) > minFill else { return nil }
      n.removeSlot(t, at: p)
    } else {
      // Its rank is kept: the next run starts past its end.
      (n.key[s], n.value[s]) = (start + length, old - length)
    }
    return old
  }
}
