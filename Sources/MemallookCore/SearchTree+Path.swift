/// Descents that keep their root-to-leaf path: the search pruned by the maxima, and the
/// updates that descend once and then put right the ancestors bottom-up, stopping at the
/// first level where neither a least key nor a maximum changed.
extension SearchTree {
  /// A root-to-leaf path: node, then slot, for each inner level.
  typealias Path = UnsafeMutablePointer<Int>

  /// Levels of inner nodes a path holds. A node but the root holds at least `minFill` (16)
  /// entries, so a tree with 32 inner levels would hold more than 2^120.
  static var pathLevels: Int { 32 }

  /// Runs `body` with room on the stack for a path (checked in debug builds as it grows).
  @inline(__always)
  static func withPath<R>(_ body: (Path) -> R) -> R {
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * pathLevels) { body($0.baseAddress!) }
  }

  /// Descends to the leaf whose range holds `key`, recording the path; returns the leaf and the path's length.
  @inline(__always)
  static func descend(to key: Key, _ n: Nodes, _ path: Path) -> (leaf: Int, depth: Int) {
    var (t, depth) = (0, 0)
    while n.level(t) > 0 {
      let j = n.slot(t, key)
      assert(depth < pathLevels, "a path deeper than \(pathLevels) levels")
      (path[2 &* depth], path[2 &* depth &+ 1]) = (t, j)
      depth &+= 1
      t = n.child(t, j)
    }
    return (t, depth)
  }

  /// The slot (leaf `leaf`, slot `slot` of the storage) of the entry with the lowest key not
  /// below `start` whose value is at least `minimum`, with the path to it; nil when none is.
  ///
  /// While on the path of `start` (`bounded`), a node is searched from the slot that holds
  /// it, and only there can a child fail (its maximum counts entries before `start`); the
  /// search then goes on after the deepest child of the path that failed.
  static func locateFirst(_ start: Key, _ minimum: Int, _ n: Nodes, _ path: Path) -> (
    leaf: Int, slot: Int, depth: Int
  )? {
    /// The first slot of `t` from `j` whose value is at least `minimum`, or its count.
    func fitting(_ t: Int, from j: Int) -> Int {
      let (base, c) = (t &* fanout, n.count(t))
      var j = j
      while j < c && n.value[base &+ j] < minimum { j &+= 1 }
      return j
    }
    var (t, depth, bounded) = (0, 0, true)
    while true {
      if n.level(t) == 0 {
        let p = fitting(t, from: bounded ? n.lowerBoundScanning(t, start) : 0)
        if p < n.count(t) { return (t, t &* fanout &+ p, depth) }
      } else {
        let from = bounded ? n.slotScanning(t, start) : 0
        let j = fitting(t, from: from)
        if j < n.count(t) {
          assert(depth < pathLevels, "a path deeper than \(pathLevels) levels")
          (path[2 &* depth], path[2 &* depth &+ 1]) = (t, j)
          depth &+= 1
          bounded = bounded && j == from
          t = n.child(t, j)
          continue
        }
      }
      // Nothing long enough at or after `start` below `t`: a later slot of an ancestor.
      var resumed = false
      while depth > 0 && !resumed {
        depth &-= 1
        let u = path[2 &* depth]
        let j = fitting(u, from: path[2 &* depth &+ 1] &+ 1)
        if j < n.count(u) {
          path[2 &* depth &+ 1] = j
          depth &+= 1
          (t, bounded, resumed) = (n.child(u, j), false, true)
        }
      }
      guard resumed else { return nil }
    }
  }

  /// After the leaf at the end of `path` lost an entry whose value was `old`, or had it lowered:
  /// a least key moves up while it is a first slot's, a maximum while it was `old` and changed.
  @inline(__always)
  static func fixAfterLowering(_ n: Nodes, _ path: Path, _ depth: Int, old: Int, leastKeyMoved: Bool) {
    var (depth, keyMoved, maxMoved) = (depth, leastKeyMoved, true)
    while depth > 0 && (keyMoved || maxMoved) {
      depth &-= 1
      let (t, j) = (path[2 &* depth], path[2 &* depth &+ 1])
      let (s, child) = (t &* fanout &+ j, n.child(t, j))
      if keyMoved { n.key[s] = n.key[child &* fanout] }
      if maxMoved && n.value[s] == old {
        n.value[s] = n.maxValue(child)
        maxMoved = n.value[s] != old
      } else {
        maxMoved = false
      }
      keyMoved = keyMoved && j == 0
    }
  }

  /// After the leaf at the end of `path` gained an entry of `value`, or had one raised to it:
  /// a least key moves up while it is a first slot's, a maximum while `value` is above it.
  @inline(__always)
  static func fixAfterRaising(_ n: Nodes, _ path: Path, _ depth: Int, value: Int, leastKeyMoved: Bool) {
    var (depth, keyMoved, maxMoved) = (depth, leastKeyMoved, true)
    while depth > 0 && (keyMoved || maxMoved) {
      depth &-= 1
      let (t, j) = (path[2 &* depth], path[2 &* depth &+ 1])
      let s = t &* fanout &+ j
      if keyMoved { n.key[s] = n.key[n.child(t, j) &* fanout] }
      if maxMoved && n.value[s] < value { n.value[s] = value } else { maxMoved = false }
      keyMoved = keyMoved && j == 0
    }
  }
}
