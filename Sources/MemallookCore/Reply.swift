/// What a heap is: enough to name it in a reply.
public struct HeapSummary: Sendable, Equatable, Codable {
  public let id: String
  public let pageSize: Int
  public let pageCount: Int
  public let policy: Policy

  public var capacity: Int { pageSize * pageCount }
  public var text: String {
    "heap \(id): \(pages(pageCount)) of \(counted(pageSize, "byte")), \(policy.title)"
  }
}

extension Heap {
  public var summary: HeapSummary {
    HeapSummary(id: id, pageSize: pageSize, pageCount: pageCount, policy: policy)
  }
}

/// The outcome of a successful command. `text` is the reply every front prints
/// (the exercise's wording); `detail` adds what the exercise's wording leaves out.
public enum Reply: Equatable, Sendable {
  case created(HeapSummary)
  /// NEW while a heap exists: nothing changed.
  case alreadyCreated(HeapSummary)
  case allocated(Allocation)
  case deallocated(Allocation)
  /// REALLOC: the allocation before and after (same tag; moved when the first pages differ).
  case reallocated(from: Allocation, to: Allocation)
  case shown(String)
  case cleared(hadHeap: Bool)
  /// DEFRAG: the moves made; `complete` once the heap is compact.
  case defragmented([Move], complete: Bool)
  case policySet(Policy)
  /// UNDO, REDO or GOTO moved through the history.
  case traveled(Travel)
  case nothingToUndo
  case nothingToRedo
  /// HISTORY's listing.
  case history(String)
  case branched(Branch)
  case stats(HeapSummary, Metrics)
  case help
  case quit

  public var text: String {
    switch self {
    case .created(let heap): "ok, buffer of size \(counted(heap.capacity, "byte")) created"
    case .alreadyCreated(let heap):
      "ok, heap \(heap.id) already exists (buffer of size \(counted(heap.capacity, "byte"))); NEW ignored"
    case .allocated(let allocation): "ok, tag = \"\(allocation.tag)\""
    case .deallocated: "deallocation succeeded"
    case .reallocated: "reallocation succeeded"
    case .shown(let text): text
    case .cleared(let hadHeap): hadHeap ? "ok, heap cleared" : "ok, there was no heap to clear"
    case .defragmented(_, let complete):
      complete ? "defragmentation complete" : "defragmentation in progress"
    case .policySet(let policy): "ok, policy = \(policy.title)"
    case .traveled(let travel): "ok, at step \(travel.to) of \(travel.last)"
    case .nothingToUndo: "nothing to undo"
    case .nothingToRedo: "nothing to redo"
    case .history(let text): text
    case .branched(let branch):
      "ok, branched at step \(branch.step) with \(branch.policy.title): "
        + "\(counted(branch.replayed, "change")) replayed"
    case .stats(let heap, let metrics): heap.text + "\n" + metrics.text
    case .help: Self.helpText
    case .quit: "bye"
    }
  }

  public var detail: String? {
    switch self {
    case .created(let heap), .alreadyCreated(let heap): heap.text
    case .allocated(let allocation):
      "\(pages(allocation.pageCount)) from page \(allocation.firstPage)"
        + (allocation.glyphIsTag ? "" : ", drawn as \"\(allocation.glyph)\"")
    case .deallocated(let allocation):
      "tag \(allocation.tag): \(pages(allocation.pageCount)) freed from page \(allocation.firstPage)"
    case .reallocated(let from, let to):
      from.firstPage == to.firstPage
        ? "tag \(to.tag): \(pages(from.pageCount)) to \(pages(to.pageCount)), in place at page \(to.firstPage)"
        : "tag \(to.tag): \(pages(to.pageCount)), moved from page \(from.firstPage) to page \(to.firstPage)"
    case .traveled(let travel): travel.detail
    case .branched(let branch): branch.detail
    case .defragmented(let moves, let complete):
      moves.isEmpty
        ? "nothing to move"
        : "\(counted(moves.count, "allocation")) moved" + (complete ? "" : "; more to move (DEFRAG again)")
    default: nil
    }
  }

  /// `text`, then `detail` in parentheses: one line where space is short.
  public var fullText: String { detail.map { "\(text) (\($0))" } ?? text }

  /// HELP's text: the language's rows of the command table.
  public static let helpText = CommandTable.helpText(for: [.script, .oneShot, .route])
}

/// Where UNDO, REDO or GOTO went.
public struct Travel: Equatable, Sendable {
  public let from: Int
  public let to: Int
  public let last: Int
  /// The changes undone (newest first) or redone (oldest first).
  public let changes: [Change]

  var detail: String? {
    guard let first = changes.first else { return nil }
    let verb = to < from ? "undid" : "redid"
    guard changes.count == 1 else {
      return "\(verb) \(counted(changes.count, "change")), last: \(changes.last!.command.line)"
    }
    return "\(verb) \(first.command.line) (\(first.summary))"
  }
}

/// What BRANCH did: the undone steps replayed under another policy, compared with how they had gone.
public struct Branch: Equatable, Sendable {
  public let policy: Policy
  /// The step the branch starts from.
  public let step: Int
  /// Changes replayed (ALLOCs that now fail and DEALLOCs of them are not changes).
  public let replayed: Int
  /// ALLOCs that had succeeded and fail under `policy`.
  public let newlyFailed: Int
  /// External fragmentation at the end of the old branch, and of the new one.
  public let fragmentationBefore: Double
  public let fragmentationAfter: Double

  var detail: String {
    "\(counted(newlyFailed, "ALLOC")) that had succeeded now fail; external fragmentation at the end "
      + "\(Metrics.percent(fragmentationAfter)) (was \(Metrics.percent(fragmentationBefore)))"
  }
}
