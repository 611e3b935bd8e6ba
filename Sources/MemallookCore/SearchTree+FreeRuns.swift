/// The free runs' commonest changes, each in one descent: a freed range merged with its
/// neighbours, a run shortened from its front by an ALLOC, and the search of first, next and
/// worst fit with that shortening. Done in the leaf that holds the range, then its
/// ancestors' least keys and maxima put right bottom-up along the path taken, stopping at
/// the first level where neither changed. When the leaf cannot do it alone (a neighbour in
/// the next leaf, a full leaf, a leaf at its least fill) they change nothing and say so,
/// and the caller takes the general path.
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
    guard nodeCount > 0 else { return nil }  // one unpadded leaf: the general path is as cheap
    guard let merge = withNodes({ n in Self.withPath { Self.merge(start, length, n, $0) } }) else {
      return nil
    }
    // A run was added unless it joined one; one was removed when it joined two.
    count +=
      merge.before == nil && merge.after == nil ? 1 : merge.before != nil && merge.after != nil ? -1 : 0
    return merge
  }

  private static func merge(_ start: Int, _ length: Int, _ n: Nodes, _ path: Path) -> Merge? {
    let (t, depth) = descend(to: start, n, path)
    let (base, c, end) = (t &* fanout, n.count(t), start + length)
    let p = n.lowerBound(t, start)
    // The run after may be the next leaf's first: only this leaf's keys are known here.
    guard p < c else { return nil }
    let before = p > 0 && n.key[base &+ p &- 1] + n.value[base &+ p &- 1] == start
    let after = n.key[base &+ p] == end
    let merge: Merge
    let merged: Int
    switch (before, after) {
    case (true, true):
      guard c > minFill else { return nil }
      let (key, value, afterLength) = (n.key[base &+ p &- 1], n.value[base &+ p &- 1], n.value[base &+ p])
      merged = value + length + afterLength
      n.value[base &+ p &- 1] = merged
      n.removeSlot(t, at: p)
      merge = Merge(before: (key, value), after: afterLength)
    case (true, false):
      let (key, value) = (n.key[base &+ p &- 1], n.value[base &+ p &- 1])
      merged = value + length
      n.value[base &+ p &- 1] = merged
      merge = Merge(before: (key, value), after: nil)
    case (false, true):
      let afterLength = n.value[base &+ p]
      merged = length + afterLength
      (n.key[base &+ p], n.value[base &+ p]) = (start, merged)
      merge = Merge(before: nil, after: afterLength)
    case (false, false):
      guard c < fanout else { return nil }
      merged = length
      n.insertSlot(t, at: p, key: start, value: length, child: -1)
      merge = Merge(before: nil, after: nil)
    }
    fixAfterRaising(n, path, depth, value: merged, leastKeyMoved: p == 0 && !before)
    return merge
  }

  /// Shortens the run beginning at `start` by `length` pages from its front, or removes it
  /// when it is `length` pages long, and returns its length before; nil, and nothing
  /// changed, when no run begins at `start`, it is shorter than `length`, or its leaf
  /// cannot lose it alone. - Complexity: one descent, O(fanout · log n).
  mutating func shortenFront(of start: Int, by length: Int) -> Int? {
    guard count > 0 else { return nil }
    let removes = nodeCount > 0  // one unpadded leaf removes on the general path
    guard
      let taken = withNodes({ n in Self.withPath { Self.shortenFront(start, length, removes, n, $0) } }),
      taken.done
    else { return nil }
    if taken.length == length { count -= 1 }
    return taken.length
  }

  private static func shortenFront(_ start: Int, _ length: Int, _ removes: Bool, _ n: Nodes, _ path: Path)
    -> Taken?
  {
    let (t, depth) = descend(to: start, n, path)
    let s = t &* fanout &+ n.lowerBound(t, start)
    guard s < t &* fanout &+ n.count(t), n.key[s] == start, n.value[s] >= length else { return nil }
    return take(length, at: s, in: t, removes, n, path, depth)
  }

  /// What `takeFirst` found: the run's start and its length before, and whether it was
  /// shortened (or removed) in the same descent.
  struct Taken: Equatable {
    let start: Int
    let length: Int
    let done: Bool
  }

  /// Finds the first run beginning at or after `start` that is at least `minimum` pages long
  /// (`first(from:valueAtLeast:)`) and shortens it by `length` ≤ `minimum` pages from its front,
  /// or removes it when it is `length` pages long: a first-fit ALLOC's search and change in
  /// one descent. nil, and nothing changed, when no run fits; `done` false, and nothing
  /// changed, when the run's leaf cannot lose it alone. - Complexity: one descent, O(fanout · log n).
  mutating func takeFirst(from start: Int, atLeast minimum: Int, length: Int) -> Taken? {
    assert(length <= minimum, "takeFirst: \(length) pages from a run of at least \(minimum)")
    guard count > 0 else { return nil }
    let removes = nodeCount > 0  // one unpadded leaf removes on the general path
    let found = withNodes { n in
      Self.withPath { path in
        Self.locateFirst(start, minimum, n, path).map {
          Self.take(length, at: $0.slot, in: $0.leaf, removes, n, path, $0.depth)
        }
      }
    }
    guard let taken = found else { return nil }
    if taken.done && taken.length == length { count -= 1 }
    return taken
  }

  /// Shortens the run in slot `s` of leaf `t` by `length` pages from its front (removes it when
  /// that long, if `removes` and the leaf can lose it), then puts right the ancestors on `path`.
  private static func take(
    _ length: Int, at s: Int, in t: Int, _ removes: Bool, _ n: Nodes, _ path: Path, _ depth: Int
  ) -> Taken {
    let (key, old, p) = (n.key[s], n.value[s], s &- t &* fanout)
    if old == length {
      guard removes, n.count(t) > minFill else { return Taken(start: key, length: old, done: false) }
      n.removeSlot(t, at: p)
    } else {
      (n.key[s], n.value[s]) = (key + length, old - length)  // its rank is kept
    }
    fixAfterLowering(n, path, depth, old: old, leastKeyMoved: p == 0)
    return Taken(start: key, length: old, done: true)
  }
}
