/// One step of a session's history: a small reversible record of what changed,
/// never a copy of the heap. UNDO applies its inverse, REDO applies it again.
public struct Change: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// ALLOC made this allocation.
    case allocated(Allocation)
    /// DEALLOC freed this allocation.
    case freed(Allocation)
    /// REALLOC turned the first allocation into the second (same tag). Boxed, so that
    /// a change record is sized for one allocation, not two (72 bytes, not 112).
    indirect case reallocated(from: Allocation, to: Allocation)
    /// DEFRAG made these moves, in order; `limit` is DEFRAG's `moves`, if given.
    case defragmented([Move], limit: Int?)
    /// POLICY changed the placement policy.
    case policyChanged(from: Policy, to: Policy)
  }

  public let kind: Kind
  /// The heap's counters just before the change: UNDO restores them.
  let before: Counters

  /// The change as a line of the command language, as it was typed in effect.
  public var command: Command {
    switch kind {
    case .allocated(let allocation): .alloc(bytes: allocation.bytes)
    case .freed(let allocation): .dealloc(tag: allocation.tagText)
    case .reallocated(_, let to): .realloc(tag: to.tagText, bytes: to.bytes)
    case .defragmented(_, let limit): .defrag(moves: limit)
    case .policyChanged(_, let to): .policy(to)
    }
  }

  /// What the change did, for HISTORY.
  public var summary: String {
    switch kind {
    case .allocated(let allocation):
      "tag \(allocation.tag): \(pages(allocation.pageCount)) from page \(allocation.firstPage)"
    case .freed(let allocation):
      "tag \(allocation.tag): \(pages(allocation.pageCount)) freed from page \(allocation.firstPage)"
    case .reallocated(let from, let to): Reply.reallocated(from: from, to: to).detail ?? ""
    case .defragmented(let moves, _): "\(counted(moves.count, "allocation")) moved"
    case .policyChanged(let from, let to): "\(from.title) to \(to.title)"
    }
  }
}

/// The counters of a heap that are not derived from its allocations.
struct Counters: Sendable, Equatable, Codable {
  var nextTag: Int
  var nextFitCursor: Int
  var peakPagesInUse: Int
  var failedAllocations: Int

  /// Within the ranges a stored heap may have (the heap's own size is checked on replay).
  var isValid: Bool {
    (1...Heap.maximumCount).contains(nextTag) && nextFitCursor >= 0 && peakPagesInUse >= 0
      && (0...Heap.maximumCount).contains(failedAllocations)
  }
}

/// Why a recorded change cannot be applied to a heap: the record does not
/// belong to this heap (a corrupt state file). Always refused, never a trap.
public struct ChangeMismatch: Error, Sendable, CustomStringConvertible {
  public let description: String
}
