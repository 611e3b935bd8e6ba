/// A cell of a zoomed grid: how full it is and who holds most of it.
public struct ShadedCell: Equatable, Sendable {
  /// Pages the cell covers (the last cell of the heap may cover fewer).
  public let pages: Int
  /// Of those, pages that allocations hold.
  public let usedPages: Int
  /// The allocation holding the most pages of the cell (the lowest address on a tie), nil when all are free.
  public let owner: Allocation?
  /// Whether more than one allocation holds pages of the cell.
  public let isShared: Bool

  /// `usedPages / pages`.
  public var fullness: Double { pages == 0 ? 0 : Double(usedPages) / Double(pages) }
}

extension Heap {
  /// `count` cells of `pagesPerCell` pages from `firstPage`, each with how full it is and its main owner.
  ///
  /// A view of a quarter of the heap or more reads every allocation once, in the tag
  /// table's order (memory read front to back); a smaller one walks the allocations in
  /// view in address order. Both give the same cells.
  /// - Complexity: O(count + allocations in those pages) for a walk, after `AddressWalk`'s
  ///   start; O(count + all allocations) for a scan. Never O(pages).
  public func shadedCells(from firstPage: Int, pagesPerCell: Int, count: Int) -> [ShadedCell] {
    precondition(pagesPerCell > 0 && count >= 0 && firstPage >= 0)
    let viewed = min(pageCount - min(firstPage, pageCount), count.saturatingMultiplied(by: pagesPerCell))
    return viewed >= pageCount / 4
      ? shadedCellsScanning(from: firstPage, pagesPerCell: pagesPerCell, count: count)
      : shadedCellsWalking(from: firstPage, pagesPerCell: pagesPerCell, count: count)
  }

  /// The end of the cell of `pagesPerCell` pages that starts at `low` (the heap's end for the last).
  @inline(__always)
  private func cellEnd(_ low: Int, _ pagesPerCell: Int) -> Int {
    pagesPerCell >= pageCount - low ? pageCount : low + pagesPerCell
  }

  /// `shadedCells` by a walk in address order of the allocations in view.
  /// - Complexity: O(count + allocations in those pages), after `AddressWalk`'s start.
  func shadedCellsWalking(from firstPage: Int, pagesPerCell: Int, count: Int) -> [ShadedCell] {
    var cells: [ShadedCell] = []
    cells.reserveCapacity(min(count, 1 << 16))
    var walk = AddressWalk(self, from: firstPage)
    var next = walk.next()
    // The allocations overlapping the current cell, in address order.
    var window: [Allocation] = []
    var low = firstPage
    for _ in 0..<count {
      guard low < pageCount else { break }
      let high = cellEnd(low, pagesPerCell)
      // Sorted and disjoint: the ones that ended are at the front.
      let ended = window.prefix { $0.endPage <= low }.count
      if ended > 0 { window.removeFirst(ended) }
      while let allocation = next, allocation.firstPage < high {
        if allocation.endPage > low { window.append(allocation) }
        next = walk.next()
      }
      var used = 0
      var owner: Allocation?
      var ownerPages = 0
      for allocation in window {
        let held = min(high, allocation.endPage) - max(low, allocation.firstPage)
        used += held
        if held > ownerPages {
          owner = allocation
          ownerPages = held
        }
      }
      cells.append(ShadedCell(pages: high - low, usedPages: used, owner: owner, isShared: window.count > 1))
      low = high
    }
    return cells
  }

  /// `shadedCells` by reading every allocation once, in no order, each added to the cells it overlaps.
  /// - Complexity: O(count + allocations): the cells an allocation overlaps number at most
  ///   its own cells plus two, and allocations are disjoint.
  func shadedCellsScanning(from firstPage: Int, pagesPerCell: Int, count: Int) -> [ShadedCell] {
    guard firstPage < pageCount, count > 0 else { return [] }
    // The cells the walk would make: up to `count`, none past the heap's end.
    let cellCount = min(count, (pageCount - firstPage - 1) / pagesPerCell + 1)
    let lastPage = cellEnd(firstPage + (cellCount - 1) * pagesPerCell, pagesPerCell)
    struct Tally {
      var used = 0
      var holders = 0
      var ownerPages = 0
      var owner: Allocation?
    }
    var tallies = [Tally](repeating: Tally(), count: cellCount)
    allocations.forEach { allocation in
      guard allocation.endPage > firstPage, allocation.firstPage < lastPage else { return }
      let (from, to) = (max(allocation.firstPage, firstPage), min(allocation.endPage, lastPage))
      var cell = (from - firstPage) / pagesPerCell
      var low = firstPage + cell * pagesPerCell
      while low < to {
        let high = cellEnd(low, pagesPerCell)
        let held = min(high, to) - max(low, from)
        tallies[cell].used += held
        tallies[cell].holders += 1
        // The most pages, the lowest address on a tie: the walk's first of the longest.
        if held > tallies[cell].ownerPages
          || (held == tallies[cell].ownerPages && allocation.firstPage < tallies[cell].owner!.firstPage)
        {
          tallies[cell].ownerPages = held
          tallies[cell].owner = allocation
        }
        cell += 1
        low = high
      }
    }
    var cells: [ShadedCell] = []
    cells.reserveCapacity(cellCount)
    var low = firstPage
    for tally in tallies {
      let high = cellEnd(low, pagesPerCell)
      cells.append(
        ShadedCell(pages: high - low, usedPages: tally.used, owner: tally.owner, isShared: tally.holders > 1))
      low = high
    }
    return cells
  }

  /// Under the buddy policy, the free blocks that overlap `pages`, in address order; empty otherwise.
  /// - Complexity: O(orders · log b + blocks found).
  public func freeBuddyBlocks(overlapping pages: Range<Int>) -> [(start: Int, pages: Int)] {
    guard let buddy = index as? BuddyIndex, !pages.isEmpty else { return [] }
    var found: [(start: Int, pages: Int)] = []
    for order in buddy.free.indices where !buddy.free[order].isEmpty {
      let size = 1 << order
      // A block overlapping `pages` starts at or after the aligned start below `pages.lowerBound`.
      for entry in buddy.free[order].entries(from: pages.lowerBound & ~(size - 1)) {
        guard entry.key < pages.upperBound else { break }
        if entry.key + size > pages.lowerBound { found.append((entry.key, size)) }
      }
    }
    return found.sorted { $0.start < $1.start }
  }
}
