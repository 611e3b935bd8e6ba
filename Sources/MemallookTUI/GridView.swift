import MemallookCore

/// What a screen shows of a heap's page grid: the allocation selected, the first row
/// in view and the pages a cell. Each screen (your heap, the player) keeps its own.
public struct GridView: Sendable, Equatable {
  public var selectedTag: Int?
  /// First grid row shown (scrolling).
  public var topRow = 0
  /// Pages per grid cell; nil fits the heap to the screen.
  public var zoom: Int?
  /// The first page of the free run (or block) chosen in the free structure panel: its pages light up.
  public var selectedRun: Int?

  public init() {}

  /// Selects the allocation `step` places after (or before) the selected one, in tag order.
  mutating func selectNeighbour(_ step: Int, in heap: Heap?) {
    guard let allocations = heap?.allocationsInTagOrder, !allocations.isEmpty else { return }
    guard let tag = selectedTag, let index = allocations.firstIndex(where: { $0.tag == tag }) else {
      selectedTag = (step > 0 ? allocations.first : allocations.last)?.tag
      return
    }
    selectedTag = allocations[(index + step + allocations.count) % allocations.count].tag
  }

  /// Scrolls so that the selected allocation's first page is in view.
  mutating func revealSelection(in heap: Heap?, _ layout: Layout) {
    guard let tag = selectedTag, let allocation = heap?.allocation(tag: tag) else { return }
    let row = allocation.firstPage / layout.pagesPerCell / max(1, layout.columns)
    if row < topRow || row >= topRow + layout.gridRows { topRow = row }
  }

  /// Keeps the first row in view where the whole heap still fills the box.
  mutating func clamp(_ layout: Layout) {
    topRow = max(0, min(topRow, layout.totalRows - layout.gridRows))
  }

  /// Zooms out (`factor` > 0: more pages a cell) or in; the status line says to what.
  mutating func zoom(by factor: Int, pages: Int, current: Int) -> Effect {
    // Out: at most one cell for the whole heap (checked before multiplying, so it cannot overflow).
    let widest = max(1, pages)
    let zoomed =
      factor > 0 ? (current > widest / factor ? widest : current * factor) : max(1, current / -factor)
    zoom = zoomed
    return .say("zoom: 1 cell = \(zoomed) page\(zoomed == 1 ? "" : "s")")
  }

  /// Leaves the selections only while their allocation lives and their free run is still one.
  mutating func forgetGone(in heap: Heap?) {
    if let tag = selectedTag, heap?.allocation(tag: tag) == nil { selectedTag = nil }
    if let start = selectedRun, heap?.owner(ofPage: start) != nil || heap == nil { selectedRun = nil }
  }

  /// Chooses the entry `step` places after (or before) the chosen one in the panel's order.
  mutating func selectEntry(_ step: Int, among entries: [FreeStructure.Entry]) {
    guard !entries.isEmpty else { return }
    guard let start = selectedRun, let index = entries.firstIndex(where: { $0.start == start }) else {
      selectedRun = (step > 0 ? entries.first : entries.last)?.start
      return
    }
    selectedRun = entries[(index + step + entries.count) % entries.count].start
  }

  /// The pages of the chosen free run or block, if it is still free.
  func selectedRunPages(in structure: FreeStructure) -> Range<Int>? {
    guard let start = selectedRun else { return nil }
    return structure.groups.lazy.flatMap(\.entries).first { $0.start == start }?.pages
  }
}
