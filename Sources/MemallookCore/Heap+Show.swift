/// What one cell of a drawn grid holds: one page, or `pagesPerCell` pages when zoomed.
public enum PageCell: Equatable, Sendable {
  /// Every page of the cell is free.
  case free
  /// One allocation owns some or all pages of the cell, and no other does.
  case allocation(Allocation)
  /// Two or more allocations own pages of the cell.
  case several

  /// The character SHOW draws: `.`, the allocation's glyph, or `*`.
  public var character: Character {
    switch self {
    case .free: "."
    case .allocation(let allocation): allocation.glyph
    case .several: "*"
    }
  }
}

extension Heap {
  /// The default SHOW row width, as in the exercise.
  public static let defaultShowWidth = 16
  /// SHOW draws at most this many rows; beyond, one character stands for several pages.
  public static let maximumShowRows = 64
  /// The widest SHOW: with `maximumShowRows`, a grid is never more than 65,536 characters.
  public static let maximumShowWidth = 1024

  /// Classifies `count` consecutive cells of `pagesPerCell` pages from `firstPage`.
  /// - Complexity: O(count + allocations in range) after `AddressWalk`'s start; never O(pages).
  public func cells(from firstPage: Int, pagesPerCell: Int, count: Int) -> [PageCell] {
    precondition(pagesPerCell > 0 && count >= 0)
    var cells: [PageCell] = []
    cells.reserveCapacity(count)
    var walk = AddressWalk(self, from: firstPage)
    var current = walk.next()
    var following = walk.next()
    var low = firstPage
    for _ in 0..<count {
      guard low < pageCount else { break }
      // Never past pageCount, so no sum here can overflow, whatever the sizes.
      let high = pagesPerCell >= pageCount - low ? pageCount : low + pagesPerCell
      defer { low = high }
      while let allocation = current, allocation.endPage <= low {
        current = following
        following = walk.next()
      }
      guard let allocation = current, allocation.firstPage < high else {
        cells.append(.free)
        continue
      }
      if allocation.endPage < high, let next = following, next.firstPage < high {
        cells.append(.several)
      } else {
        cells.append(.allocation(allocation))
      }
    }
    return cells
  }

  /// Pages per character for a SHOW of `width` columns: 1 unless the heap needs
  /// more than `maximumShowRows` rows.
  public func showScale(width: Int) -> Int {
    let fullGrid = max(1, width).saturatingMultiplied(by: Self.maximumShowRows)
    return pageCount <= fullGrid ? 1 : (pageCount - 1) / fullGrid + 1
  }

  /// The SHOW text: the grid, `width` characters a row, a blank line, then
  /// `<Allocations by tag>` and `T: B bytes` per live allocation in tag order.
  ///
  /// Where an allocation's glyph differs from its tag the listing says
  /// `T (g): B bytes`. Under buddy each allocation names its block, and a
  /// `<Free blocks>` list follows. A heap too large for `maximumShowRows` rows is drawn
  /// zoomed, under a header line saying how many pages a character stands for.
  /// No trailing newline. `width` is clamped to `1...maximumShowWidth` (`Session`
  /// refuses a width outside it).
  /// - Complexity: O(grid cells + n log n); at most 65,536 grid cells.
  public func show(width requested: Int = Heap.defaultShowWidth) -> String {
    let width = min(max(1, requested), Self.maximumShowWidth)
    let scale = showScale(width: width)
    let cellCount = (pageCount - 1) / scale + 1
    // Built as bytes: the listing has a line per allocation, up to millions of them.
    var text: [UInt8] = []
    if scale > 1 {
      text.append(contentsOf: "1 character = \(scale) pages (. all free, * several allocations)\n".utf8)
    }
    for (index, cell) in cells(from: 0, pagesPerCell: scale, count: cellCount).enumerated() {
      if index > 0, index % width == 0 { text.append(UInt8(ascii: "\n")) }
      switch cell {
      case .free: text.append(UInt8(ascii: "."))
      case .allocation(let allocation): text.append(allocation.glyphByte)
      case .several: text.append(UInt8(ascii: "*"))
      }
    }
    appendStatic("\n\n<Allocations by tag>", to: &text)
    for allocation in allocationsInTagOrder {
      text.append(UInt8(ascii: "\n"))
      appendDecimal(allocation.tag, to: &text)
      if !allocation.glyphIsTag {
        appendStatic(" (", to: &text)
        text.append(allocation.glyphByte)
        text.append(UInt8(ascii: ")"))
      }
      appendStatic(": ", to: &text)
      appendCounted(allocation.bytes, "byte", to: &text)
      if index is BuddyIndex {
        appendStatic(", block of ", to: &text)
        appendPages(allocation.pageCount, to: &text)
        appendStatic(" at page ", to: &text)
        appendDecimal(allocation.firstPage, to: &text)
      }
    }
    // Where the blocks are: the grid shows taken ones, this lists the free ones.
    if let buddy = index as? BuddyIndex {
      appendStatic("\n\n<Free blocks>", to: &text)
      for block in buddy.blocks {
        text.append(UInt8(ascii: "\n"))
        appendPages(1 << block.order, to: &text)
        appendStatic(" at page ", to: &text)
        appendDecimal(block.start, to: &text)
      }
    }
    return String(decoding: text, as: UTF8.self)
  }
}
