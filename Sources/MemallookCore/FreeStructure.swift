/// A policy's structure of the free pages, as the policy searches it: groups of entries
/// (free runs or blocks) in search order. What the TUI's panel shows beside the grid,
/// so that the heap and the allocator's own structure are seen as the two things they are.
public struct FreeStructure: Sendable, Equatable {
  /// A free run or block: its first page and its length.
  public struct Entry: Sendable, Equatable {
    public let start: Int
    public let length: Int

    public init(start: Int, length: Int) {
      self.start = start
      self.length = length
    }

    public var pages: Range<Int> { start..<start + length }
  }

  /// One list of the structure: a size class, a buddy order, or all the runs in one order.
  public struct Group: Sendable, Equatable {
    /// What the group is, in pages: "16-19" (a size class), "8" (a buddy order); empty
    /// when the structure is one list.
    public let label: String
    /// The group's first entries, in the order the policy searches them.
    public let entries: [Entry]
    /// How many entries the group has (more than `entries` on a large heap).
    public let count: Int
  }

  /// What the structure is: "runs by address", "TLSF lists, heads first".
  public let title: String
  public let groups: [Group]
  /// What else the policy keeps: next fit's cursor, TLSF's bitmaps.
  public let notes: [String]

}

extension FreeStructure.Group {
  /// `entries` as a group, its first `limit` kept.
  static func group(_ label: String, _ entries: some Sequence<FreeStructure.Entry>, count: Int, limit: Int)
    -> Self
  {
    Self(label: label, entries: Array(entries.prefix(limit)), count: count)
  }
}

extension Heap {
  /// The policy's free structure, each group's first `limit` entries kept.
  /// - Complexity: O(groups × limit + log r) for the fits; O(r log r) for worst fit's order.
  public func freeStructure(limit: Int) -> FreeStructure {
    index.structure(in: self, limit: max(0, limit))
  }

  /// The free runs in address order, as entries.
  var freeRunEntries: some Sequence<FreeStructure.Entry> {
    freeRunsByStart.lazy.map { FreeStructure.Entry(start: $0.key, length: $0.value) }
  }
}
