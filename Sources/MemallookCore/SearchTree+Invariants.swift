extension SearchTree {
  /// Every broken structural rule (key order in and across nodes, separators, fill,
  /// subtree maxima, depth, count, pool layout), as text; empty when sound.
  func structuralViolations() -> [String] {
    let (width, stride) = (Self.fanout, Self.linkStride)
    if let problem = storageProblem { return [problem] }  // nothing else can be read safely
    let (keys, values, links) = (self.keys, self.values, self.links)
    var problems: [String] = []
    func checkOrder(_ range: Range<Int>, low: Key?, high: Key?) {
      for s in range {
        if s > range.lowerBound, !(keys[s - 1] < keys[s]) { problems.append("order broken at slot \(s)") }
        if let low, keys[s] < low { problems.append("slot \(s) below its separator") }
        if let high, !(keys[s] < high) { problems.append("slot \(s) not below the next separator") }
      }
    }
    if nodeCount == 0 {
      if count > width { problems.append("single leaf of \(count) entries") }
      checkOrder(0..<count, low: nil, high: nil)
      return problems
    }
    let nodes = nodeCount
    var seen = [Bool](repeating: false, count: nodes)
    var entries = 0
    /// Checks the subtree of `t`; returns its least key and largest value.
    func walk(_ t: Int, level: Int, low: Key?, high: Key?) -> (least: Key, max: Int)? {
      guard 0 <= t, t < nodes, !seen[t] else {
        problems.append("child \(t) out of the pool or reached twice")
        return nil
      }
      seen[t] = true
      let (c, base) = (Int(links[t * stride] & 0xFF), t * width)
      if Int(links[t * stride] >> 8) != level {
        problems.append("node \(t) not at level \(level): uneven depth")
      }
      if c > width || c < (t == 0 ? 2 : Self.minFill) { problems.append("node \(t) holds \(c) slots") }
      guard c > 0, c <= width else { return nil }
      checkOrder(base..<base + c, low: low, high: high)
      if level == 0 {
        entries += c
        return (keys[base], values[base..<base + c].max()!)
      }
      var best = Int.min
      for i in 0..<c {
        let high = i + 1 < c ? keys[base + i + 1] : high
        guard
          let sub = walk(Int(links[t * stride + 1 + i]), level: level - 1, low: keys[base + i], high: high)
        else {
          continue
        }
        if sub.least != keys[base + i] { problems.append("separator \(i) of node \(t) is not its least key") }
        if sub.max != values[base + i] { problems.append("maximum \(i) of node \(t) is wrong") }
        best = Swift.max(best, sub.max)
      }
      return (keys[base], best)
    }
    if links[0] >> 8 == 0 { problems.append("the pooled root is a leaf") }
    _ = walk(0, level: Int(links[0] >> 8), low: nil, high: nil)
    if entries != count { problems.append("count \(count) but \(entries) entries in leaves") }
    if let lost = seen.firstIndex(of: false) { problems.append("node \(lost) unreachable") }
    return problems
  }

  /// The keys, values and links in use, slot by slot (the invariants' and the tests' view: a copy).
  var keys: [Key] { withView { Array(UnsafeBufferPointer(start: $0.key, count: usedSlots)) } }
  var values: [Int] { withView { Array(UnsafeBufferPointer(start: $0.value, count: usedSlots)) } }
  var links: [Int32] {
    withView { Array(UnsafeBufferPointer(start: $0.link, count: nodeCount * Self.linkStride)) }
  }
}
