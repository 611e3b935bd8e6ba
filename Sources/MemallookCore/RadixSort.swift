/// `items` in order of `key`, those with the same key in the order given (a stable sort):
/// a radix sort, as few passes as keys below `bound` allow with digits of at most 16 bits
/// and at most one bit wider than the count of items (a table of digit counts much larger
/// than the items would cost more than it saves): 2 passes of 12 bits for 10^5 keys below 2^24.
/// It works in `items`' own storage and one more buffer. Keys must lie in `0 ..< bound`.
/// - Complexity: O(n · passes + 2^digit · passes), and O(n log n) below 256 items (a comparison sort).
func radixSort<Item>(_ items: inout [Item], below bound: Int, by key: (Item) -> Int) {
  guard items.count >= 256 else {
    items = items.enumerated().sorted { (key($0.element), $0.offset) < (key($1.element), $1.offset) }
      .map(\.element)
    return
  }
  let keyBits = Int.bitWidth - max(1, bound - 1).leadingZeroBitCount
  let countBits = Int.bitWidth - items.count.leadingZeroBitCount
  let widest = min(16, countBits + 1)
  let passes = (keyBits + widest - 1) / widest
  let digitBits = (keyBits + passes - 1) / passes
  let mask = (1 << digitBits) - 1
  var other = items
  var counts = [Int](repeating: 0, count: mask + 1)
  var shift = 0
  while shift < keyBits {
    items.withUnsafeBufferPointer { source in
      other.withUnsafeMutableBufferPointer { target in
        counts.withUnsafeMutableBufferPointer { count in
          count.update(repeating: 0)
          for item in source {
            assert(key(item) >= 0 && key(item) < bound, "radixSort: key \(key(item)) not below \(bound)")
            count[(key(item) >> shift) & mask] += 1
          }
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
    swap(&items, &other)
    shift += digitBits
  }
}
