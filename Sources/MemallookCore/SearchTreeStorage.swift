/// The one handle on a `SearchTree`'s memory, and the only code that allocates, copies or
/// frees it: the keys, the values and the links in one block (their layout: `SearchTree`).
///
/// A tree shares its storage between copies and copies it before its first change
/// (`SearchTree.withNodes`): one uniqueness check a change, where three arrays took three.
/// `@unchecked Sendable` because a shared block is never written.
final class SearchTreeStorage<Key: SearchTreeKey>: @unchecked Sendable {
  let key: UnsafeMutablePointer<Key>
  let value: UnsafeMutablePointer<Int>
  let link: UnsafeMutablePointer<Int32>
  /// Keys and values the block has room for.
  let slotCapacity: Int
  /// Links the block has room for: none for one unpadded leaf.
  let linkCapacity: Int
  /// Bytes of the block.
  let bytes: Int
  private let block: UnsafeMutableRawPointer

  /// A block with room for `slots` keys and values and `links` links, none of them set.
  init(slots: Int, links: Int) {
    let keyBytes = (slots * MemoryLayout<Key>.stride + 7) & ~7
    let valueBytes = slots * MemoryLayout<Int>.stride
    (slotCapacity, linkCapacity, bytes) = (slots, links, keyBytes + valueBytes + links * 4)
    block = .allocate(byteCount: Swift.max(bytes, 1), alignment: Swift.max(MemoryLayout<Key>.alignment, 8))
    key = block.bindMemory(to: Key.self, capacity: slots)
    value = (block + keyBytes).bindMemory(to: Int.self, capacity: slots)
    link = (block + keyBytes + valueBytes).bindMemory(to: Int32.self, capacity: links)
  }

  deinit { block.deallocate() }

  /// A new block with room for `slots` and `links`, holding this one's first `usedSlots`
  /// keys and values and first `usedLinks` links.
  func copy(usedSlots: Int, usedLinks: Int, slots: Int, links: Int) -> SearchTreeStorage {
    precondition(usedSlots <= Swift.min(slots, slotCapacity) && usedLinks <= Swift.min(links, linkCapacity))
    let copy = SearchTreeStorage(slots: slots, links: links)
    copy.key.initialize(from: key, count: usedSlots)
    copy.value.initialize(from: value, count: usedSlots)
    copy.link.initialize(from: link, count: usedLinks)
    return copy
  }
}
