/// Node-level steps on the tree's storage. Slots of node `t`: `t * fanout + i`.
struct SearchTreeNodes<Key: SearchTreeKey> {
  let key: UnsafeMutablePointer<Key>
  let value: UnsafeMutablePointer<Int>
  let link: UnsafeMutablePointer<Int32>

  private var width: Int { SearchTree<Key>.fanout }
  private var stride: Int { SearchTree<Key>.linkStride }

  @inline(__always) func count(_ t: Int) -> Int { Int(link[t &* stride] & 0xFF) }
  @inline(__always) func level(_ t: Int) -> Int { Int(link[t &* stride] >> 8) }
  @inline(__always) func child(_ t: Int, _ j: Int) -> Int { Int(link[t &* stride &+ 1 &+ j]) }

  /// The slot of the child of inner node `t` whose subtree would hold `k`: the last one whose
  /// least key is ≤ k, or 0. A binary search (5 steps in a full node).
  @inline(__always) func slot(_ t: Int, _ k: Key) -> Int {
    let p = upperBound(t, k)
    return p > 0 ? p &- 1 : 0
  }

  /// The first slot of `t` whose key is ≥ k, or its count. A binary search.
  @inline(__always) func lowerBound(_ t: Int, _ k: Key) -> Int {
    let base = t &* width
    var (low, n) = (base, count(t))
    while n > 0 {
      let half = n &>> 1
      if key[low &+ half] < k {
        low = low &+ half &+ 1
        n = n &- half &- 1
      } else {
        n = half
      }
    }
    return low &- base
  }

  /// The first slot of `t` whose key is > k, or its count. A binary search.
  @inline(__always) func upperBound(_ t: Int, _ k: Key) -> Int {
    let base = t &* width
    var (low, n) = (base, count(t))
    while n > 0 {
      let half = n &>> 1
      if k < key[low &+ half] {
        n = half
      } else {
        low = low &+ half &+ 1
        n = n &- half &- 1
      }
    }
    return low &- base
  }

  /// `slot`, scanning from the node's front: fewer steps when `k` is at most the node's
  /// second key, as in first fit's searches from page 0.
  @inline(__always) func slotScanning(_ t: Int, _ k: Key) -> Int {
    let (base, c) = (t &* width, count(t))
    var j = 1
    while j < c && !(k < key[base &+ j]) { j &+= 1 }
    return j &- 1
  }

  /// `lowerBound`, scanning from the node's front (see `slotScanning`).
  @inline(__always) func lowerBoundScanning(_ t: Int, _ k: Key) -> Int {
    let (base, c) = (t &* width, count(t))
    var p = 0
    while p < c && key[base &+ p] < k { p &+= 1 }
    return p
  }

  /// The largest value of `t`'s slots: four running maxima, so that each comparison
  /// waits on the one four slots back, not on the one before.
  func maxValue(_ t: Int) -> Int {
    let (base, c) = (t &* width, count(t))
    var (a, b, d, e) = (Int.min, Int.min, Int.min, Int.min)
    var s = base
    while s &+ 4 <= base &+ c {
      a = Swift.max(a, value[s])
      b = Swift.max(b, value[s &+ 1])
      d = Swift.max(d, value[s &+ 2])
      e = Swift.max(e, value[s &+ 3])
      s &+= 4
    }
    while s < base &+ c {
      a = Swift.max(a, value[s])
      s &+= 1
    }
    return Swift.max(Swift.max(a, b), Swift.max(d, e))
  }

  func leaf(for k: Key) -> Int {
    var t = 0
    while level(t) > 0 { t = child(t, slot(t, k)) }
    return t
  }

  /// The leaf and slot of the first key ≥ k (> k when `strictlyAbove`), or nil.
  func position(_ k: Key, strictlyAbove: Bool) -> (leaf: Int, slot: Int)? {
    var (t, next) = (0, -1)
    while level(t) > 0 {
      let j = slot(t, k)
      if j + 1 < count(t) { next = child(t, j + 1) }  // the nearest subtree after `k`
      t = child(t, j)
    }
    var p = lowerBound(t, k)
    if strictlyAbove, p < count(t), !(k < key[t * width + p]) { p += 1 }
    if p < count(t) { return (t, p) }
    guard next >= 0 else { return nil }
    while level(next) > 0 { next = child(next, 0) }
    return (next, 0)
  }

  /// Points slot `i` of inner node `t` at `child`, with its least key and largest value.
  func setSlot(_ t: Int, _ i: Int, key k: Key, child c: Int) {
    (key[t * width + i], value[t * width + i], link[t * stride + 1 + i]) = (k, maxValue(c), Int32(c))
  }

  func copyNode(_ from: Int, to t: Int) {
    move(width, from: from, 0, to: t, 0, links: true)
    link[t * stride] = link[from * stride]
  }

  /// Copies `m` slots (and children when `links`), safe when the ranges overlap in one node:
  /// `update(from:count:)` is a `memmove` for these trivial types.
  func move(_ m: Int, from a: Int, _ i: Int, to b: Int, _ j: Int, links: Bool) {
    guard m > 0 else { return }
    let (src, dst) = (a &* width &+ i, b &* width &+ j)
    (key + dst).update(from: key + src, count: m)
    (value + dst).update(from: value + src, count: m)
    if links { (link + (b &* stride &+ 1 &+ j)).update(from: link + (a &* stride &+ 1 &+ i), count: m) }
  }

  func setCount(_ t: Int, _ c: Int) { link[t * stride] = SearchTree<Key>.header(count: c, level: level(t)) }

  /// Opens slot `p` of `t` (which has room) for an entry, or a child when `child` ≥ 0.
  func insertSlot(_ t: Int, at p: Int, key k: Key, value v: Int, child: Int) {
    let c = count(t)
    move(c - p, from: t, p, to: t, p + 1, links: child >= 0)
    (key[t * width + p], value[t * width + p]) = (k, v)
    if child >= 0 { link[t * stride + 1 + p] = Int32(child) }
    setCount(t, c + 1)
  }

  /// Like `insertSlot`, but a full `t` first gives its upper half to the spare node `next`, which it returns.
  func insertSplitting(_ t: Int, at p: Int, key k: Key, value v: Int, child: Int, _ next: inout Int) -> Int? {
    guard count(t) == width else {
      insertSlot(t, at: p, key: k, value: v, child: child)
      return nil
    }
    let (right, half) = (next, width / 2)
    next += 1
    move(width - half, from: t, half, to: right, 0, links: level(t) > 0)
    link[right * stride] = SearchTree<Key>.header(count: width - half, level: level(t))
    setCount(t, half)
    if p <= half {
      insertSlot(t, at: p, key: k, value: v, child: child)
    } else {
      insertSlot(right, at: p - half, key: k, value: v, child: child)
    }
    return right
  }

  func removeSlot(_ t: Int, at p: Int) {
    let c = count(t)
    move(c - p - 1, from: t, p + 1, to: t, p, links: level(t) > 0)
    setCount(t, c - 1)
  }

  /// Refills the underfull child in slot `j` of `t` from a sibling: merges the two when
  /// they fit in one node (the right one is then freed), else shares their slots evenly.
  func rebalance(_ t: Int, _ j: Int, _ freed: inout [Int]) {
    let l = j + 1 < count(t) ? j : j - 1
    let (a, b) = (child(t, l), child(t, l + 1))
    let (ca, cb, inner) = (count(a), count(b), level(a) > 0)
    if ca + cb <= width {
      move(cb, from: b, 0, to: a, ca, links: inner)
      setCount(a, ca + cb)
      value[t * width + l] = Swift.max(value[t * width + l], value[t * width + l + 1])
      removeSlot(t, at: l + 1)
      freed.append(b)
      return
    }
    let shareA = (ca + cb) / 2
    if ca < shareA {
      move(shareA - ca, from: b, 0, to: a, ca, links: inner)
      move(cb - (shareA - ca), from: b, shareA - ca, to: b, 0, links: inner)
    } else {
      move(cb, from: b, 0, to: b, ca - shareA, links: inner)
      move(ca - shareA, from: a, shareA, to: b, 0, links: inner)
    }
    setCount(a, shareA)
    setCount(b, ca + cb - shareA)
    setSlot(t, l, key: key[a * width], child: a)
    setSlot(t, l + 1, key: key[b * width], child: b)
  }
}
