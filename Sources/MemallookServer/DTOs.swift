import MemallookCore

/// JSON bodies of the API. Field names follow the exercise (`p`, `N`, `M`, `tag`).
struct HeapDTO: Codable, Sendable, Equatable {
  let heap: String
  let p: Int
  // swift-format-ignore: AlwaysUseLowerCamelCase
  /// The exercise's name for the page count.
  let N: Int
  let policy: String
  var allocations: [AllocationDTO]?
  var metrics: MetricsDTO?

  init(_ summary: HeapSummary) {
    heap = summary.id
    p = summary.pageSize
    N = summary.pageCount
    policy = summary.policy.rawValue
  }

  init(_ heap: Heap) {
    self.init(heap.summary)
    allocations = heap.allocationsInTagOrder.map(AllocationDTO.init)
    metrics = MetricsDTO(heap.metrics)
  }
}

struct AllocationDTO: Codable, Sendable, Equatable {
  let tag: String
  let glyph: String
  let bytes: Int
  let pages: Int
  let firstPage: Int

  init(_ allocation: Allocation) {
    tag = allocation.tagText
    glyph = String(allocation.glyph)
    bytes = allocation.bytes
    pages = allocation.pageCount
    firstPage = allocation.firstPage
  }
}

struct MetricsDTO: Codable, Sendable, Equatable {
  let pagesUsed: Int
  let pagesFree: Int
  let peakPagesUsed: Int
  let bytesRequested: Int
  let bytesReserved: Int
  let internalFragmentationBytes: Int
  let internalFragmentation: Double
  let externalFragmentation: Double
  let freeRuns: Int
  let longestFreeRun: Int
  let liveAllocations: Int
  let failedAllocations: Int

  init(_ metrics: Metrics) {
    pagesUsed = metrics.pagesUsed
    pagesFree = metrics.pagesFree
    peakPagesUsed = metrics.peakPagesUsed
    bytesRequested = metrics.bytesRequested
    bytesReserved = metrics.bytesReserved
    internalFragmentationBytes = metrics.internalFragmentationBytes
    internalFragmentation = metrics.internalFragmentation
    externalFragmentation = metrics.externalFragmentation
    freeRuns = metrics.freeRuns
    longestFreeRun = metrics.longestFreeRun
    liveAllocations = metrics.liveAllocations
    failedAllocations = metrics.failedAllocations
  }
}

struct MoveDTO: Codable, Sendable, Equatable {
  let tag: String
  let from: Int
  let to: Int
  let pages: Int
}

/// Any reply as JSON: the text every front prints, plus what the operation returned.
struct ReplyDTO: Codable, Sendable, Equatable {
  let reply: String
  var detail: String?
  var heap: String?
  var p: Int?
  // swift-format-ignore: AlwaysUseLowerCamelCase
  var N: Int?
  var policy: String?
  var tag: String?
  var glyph: String?
  var bytes: Int?
  var pages: Int?
  var firstPage: Int?
  var moves: [MoveDTO]?
  /// DEFRAG: whether the heap is compact now.
  var complete: Bool?
  /// UNDO, REDO, GOTO: the step the heap is at now, and the last one recorded.
  var step: Int?
  var lastStep: Int?
  /// HISTORY's listing.
  var history: String?
  var show: String?
  var metrics: MetricsDTO?

  init(_ reply: Reply) {
    self.reply = reply.text
    detail = reply.detail
    switch reply {
    case .created(let summary), .alreadyCreated(let summary):
      heap = summary.id
      p = summary.pageSize
      N = summary.pageCount
      policy = summary.policy.rawValue
    case .allocated(let allocation), .deallocated(let allocation), .reallocated(_, let allocation):
      let dto = AllocationDTO(allocation)
      tag = dto.tag
      glyph = dto.glyph
      bytes = dto.bytes
      pages = dto.pages
      firstPage = dto.firstPage
    case .defragmented(let moves, let complete):
      self.complete = complete
      self.moves = moves.map { MoveDTO(tag: String($0.tag), from: $0.from, to: $0.to, pages: $0.pageCount) }
    case .shown(let text):
      show = text
    case .policySet(let chosen):
      policy = chosen.rawValue
    case .stats(let summary, let metrics):
      heap = summary.id
      self.metrics = MetricsDTO(metrics)
    case .traveled(let travel):
      step = travel.to
      lastStep = travel.last
    case .history(let text):
      history = text
    case .branched(let branch):
      step = branch.step
    case .cleared, .help, .quit, .nothingToUndo, .nothingToRedo:
      break
    }
  }
}

struct ErrorDTO: Codable, Sendable, Equatable {
  /// A stable code: no_heap, allocation_failed, unknown_tag, invalid_parameter, syntax_error, ...
  let error: String
  let message: String
}
