/// Where a command would put pages, asked before it runs: the TUI shows it while the
/// command is typed. The heap answers with the very question ALLOC and REALLOC ask
/// (`Heap.allocationSpot(bytes:)`, `Heap.reallocation(tag:bytes:)`), so a preview
/// can never disagree with what the command then does.
public enum Preview: Equatable, Sendable {
  /// ALLOC would take `pages` pages from `start`.
  case allocation(start: Int, pages: Int)
  /// REALLOC would leave the allocation at `start` with `pages` pages (in place or moved).
  case reallocation(Heap.Reallocation)

  /// The pages the command would hold.
  public var pages: Range<Int> {
    switch self {
    case .allocation(let start, let pages): start..<start + pages
    case .reallocation(let plan): plan.start..<plan.start + plan.pages
    }
  }
}

extension Session {
  /// What `command` would place, or why it would fail; nil for a command that places nothing.
  /// Changes nothing (not even the failure count).
  /// - Complexity: what the placement's question costs: O(log r) for the fits.
  public func preview(_ command: Command) -> Result<Preview, CommandError>? {
    switch command {
    case .alloc(let bytes):
      guard let heap else { return .failure(.noHeap) }
      return Result { () throws(CommandError) in
        let spot = try heap.allocationSpot(bytes: bytes)
        return .allocation(start: spot.start, pages: spot.pages)
      }
    case .realloc(let tagText, let bytes):
      guard let heap else { return .failure(.noHeap) }
      guard let tag = Allocation.tag(named: tagText) else {
        return .failure(.unknownTagToReallocate(tagText))
      }
      return Result { () throws(CommandError) in .reallocation(try heap.reallocation(tag: tag, bytes: bytes))
      }
    default:
      return nil
    }
  }
}
