extension Session {
  /// BRANCH: from the current step, replays the undone changes under `policy`,
  /// as new changes that replace them, and compares the ends of both branches.
  ///
  /// ALLOCs are replayed by size (the policy places them anew); a DEALLOC or a
  /// REALLOC acts on what its ALLOC became, and is skipped if that ALLOC now
  /// fails (a REALLOC that now fails counts as a failure); DEFRAGs are
  /// replayed as commands; recorded POLICY changes are not, so the branch keeps
  /// `policy` to its end.
  /// - Complexity: the cost of the replayed commands, plus redoing the old branch once.
  mutating func branch(_ policy: Policy) throws(CommandError) -> Reply {
    guard let heap else { throw .noHeap }
    let step = history.step
    let future = Array(history.changes[history.position...])
    var oldEnd = heap
    for change in future { try? oldEnd.redo(change) }
    history.changes.removeSubrange(history.position...)
    let firstNewTag = heap.nextTag
    var replayed = history.changes.count
    _ = try apply(.policy(policy))
    var tags: [Int: Int] = [:]
    var newlyFailed = 0
    for change in future {
      switch change.kind {
      case .allocated(let allocation):
        guard case .allocated(let made)? = try? apply(.alloc(bytes: allocation.bytes)) else {
          newlyFailed += 1
          continue
        }
        tags[allocation.tag] = made.tag
      case .reallocated(let from, let to):
        guard let tag = from.tag < firstNewTag ? from.tag : tags[from.tag] else { continue }
        if (try? apply(.realloc(tag: String(tag), bytes: to.bytes))) == nil { newlyFailed += 1 }
      case .freed(let allocation):
        guard let tag = allocation.tag < firstNewTag ? allocation.tag : tags[allocation.tag] else { continue }
        _ = try? apply(.dealloc(tag: String(tag)))
      case .defragmented(_, let limit):
        _ = try? apply(.defrag(moves: limit))
      case .policyChanged:
        continue
      }
    }
    replayed = history.changes.count - replayed
    return .branched(
      Branch(
        policy: policy, step: step, replayed: replayed, newlyFailed: newlyFailed,
        fragmentationBefore: oldEnd.metrics.externalFragmentation,
        fragmentationAfter: self.heap?.metrics.externalFragmentation ?? 0))
  }
}
