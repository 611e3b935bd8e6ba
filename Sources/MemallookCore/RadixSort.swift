/// `items` in order of `key`, those with the same key in the order given (a stable sort):
/// a radix sort, 11 bits of the key a pass, as many passes as keys below `bound` need (3
/// for 2^24). Keys must lie in `0 ..< bound`.
/// - Complexity: O(n · passes), and O(n log n) below 256 items (a comparison sort).
func radixSorted<Item>(_ items: [Item], below bound: Int, by key: (Item) -> Int) -> [Item] {
  guard items.count >= 256 else {
    return items.enumerated().sorted { (key($0.element), $0.offset) < (key($1.element), $1.offset) }
      .map(\.element)
  }
  let (digitBits, keyBits) = (11, Int.bitWidth - max(1, bound - 1).leadingZeroBitCount)
  let mask = (1 << digitBits) - 1
  var from = items
  var to = items
  var counts = [Int](repeating: 0, count: mask + 1)
  var shift = 0
  while shift < keyBits {
    from.withUnsafeBufferPointer { source in
      to.withUnsafeMutableBufferPointer { target in
        counts.withUnsafeMutableBufferPointer { count in
          count.update(repeating: 0)
          for item in source { count[(key(item) >> shift) & mask] += 1 }
          var sum = 0
          for digit in 0...mask { (count[digit], sum) = (sum, sum + count[digit]) }
          for item in source {
            let digit = (key(item) >> shift) & mask
            target[count[digit]] = item
            count[digit] += 1
          }
        }
      }
    }
    swap(&from, &to)
    shift += digitBits
  }
  return from
}
