import Testing

@testable import MemallookCore

@Suite struct ShowTests {
  @Test func anEmptyHeapShowsOnlyDotsAndTheListingHeader() throws {
    let heap = try Heap(id: "HEAP-100", pageSize: 16, pageCount: 20)
    #expect(heap.show() == "................\n....\n\n<Allocations by tag>")
  }

  @Test func widthIsTheNumberOfPagesPerRow() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 16, pageCount: 8)
    _ = try heap.allocate(bytes: 48)
    #expect(heap.show(width: 4) == "111.\n....\n\n<Allocations by tag>\n1: 48 bytes")
  }

  @Test func tagsPastNineGetLettersAndTheListingSaysSo() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: 12)
    for _ in 1...12 { _ = try heap.allocate(bytes: 1) }
    #expect(heap.show(width: 12).hasPrefix("123456789abc\n"))
    #expect(heap.show().hasSuffix("9: 1 byte\n10 (a): 1 byte\n11 (b): 1 byte\n12 (c): 1 byte"))
  }

  /// Placed by tag while most tags issued are live, sorted once few are: the same order.
  @Test(arguments: [0, 30, 97])
  func theListingIsInTagOrderHoweverFewTagsAreLive(freedPercent: Int) throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: 4_000)
    var random = SplitMix64(seed: UInt64(freedPercent))
    for _ in 0..<1_000 { _ = try heap.allocate(bytes: Int(random.next(upperBound: 3 as UInt64)) + 1) }
    for tag in 1...1_000 where Int(random.next(upperBound: 100 as UInt64)) < freedPercent {
      try heap.deallocate(tag: tag)
    }
    let listed = heap.allocationsInTagOrder.map(\.tag)
    #expect(listed == heap.allocationsInAddressOrder().map(\.tag).sorted())
    #expect(listed.count == heap.liveAllocationCount)
  }

  /// A list of a few rows, from the lowest tag or scrolled to end at one: a slice of the order.
  @Test(arguments: [0, 30, 97])
  func aFewTagsInOrderAreASliceOfThemAll(freedPercent: Int) throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: 4_000)
    var random = SplitMix64(seed: UInt64(freedPercent) + 5)
    for _ in 0..<1_000 { _ = try heap.allocate(bytes: 1) }
    for tag in 1...1_000 where Int(random.next(upperBound: 100 as UInt64)) < freedPercent {
      try heap.deallocate(tag: tag)
    }
    let all = heap.allocationsInTagOrder.map(\.tag)
    #expect(heap.tagsInOrder(20) == Array(all.prefix(20)))
    #expect(heap.tagsInOrder(5_000) == all)
    #expect(heap.tagsInOrder(0).isEmpty)
    let last = all[all.count * 2 / 3]
    #expect(heap.tagsInOrder(20, endingAt: last) == Array(all.prefix { $0 <= last }.suffix(20)))
    #expect(heap.tagsInOrder(20, endingAt: all[3]) == Array(all.prefix(4)))
  }

  @Test func glyphsStayUniqueWhileGlyphsLast() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: 200)
    for _ in 1...61 { _ = try heap.allocate(bytes: 1) }
    try heap.deallocate(tag: 5)
    let next = try heap.allocate(bytes: 1)  // tag 62 prefers "1", taken; the first free is "5"
    #expect(next.glyph == "5")
    try heap.checkInvariants()
  }

  @Test func theGlyphCountIsTheAlphabetsLength() {
    #expect(GlyphTable.count == GlyphTable.alphabet.count)
  }

  @Test func aLargeHeapIsShownZoomedAndBounded() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 4096, pageCount: 1 << 32)
    _ = try heap.allocate(bytes: 4096 * (1 << 22))  // exactly one zoomed cell
    _ = try heap.allocate(bytes: 4096)
    _ = try heap.allocate(bytes: 4096)
    let lines = heap.show().split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[0] == "1 character = 4194304 pages (. all free, * several allocations)")
    #expect(lines[1] == "1*..............")
    #expect(lines.count == 1 + 64 + 1 + 1 + 3)
  }

  @Test func theLargestHeapIsShownWithoutOverflow() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: .max)
    _ = try heap.allocate(bytes: .max / 2)
    let lines = heap.show().split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 1 + 64 + 1 + 1 + 1)
    #expect(lines[1].hasPrefix("11111111"))
    #expect(heap.cells(from: .max - 1, pagesPerCell: .max, count: 3) == [.free])
  }

  @Test(arguments: [1, 1024])
  func widthsUpToTheLimitAreShown(width: Int) throws {
    var session = Session(seed: 1)
    _ = try session.apply(.new(pageSize: 1, pageCount: width * Heap.maximumShowRows))
    guard case .shown(let text) = try session.apply(.show(width: width)) else {
      Issue.record("SHOW did not show")
      return
    }
    let rows = text.split(separator: "\n").prefix { $0 != "<Allocations by tag>" }
    #expect(rows.count == Heap.maximumShowRows && rows.allSatisfy { $0.count == width })
  }

  @Test(arguments: [0, 1025, 1_000_000, 144_115_188_075_855_872, .max])
  func widthsPastTheLimitAreRefused(width: Int) throws {
    var session = Session(seed: 1)
    _ = try session.execute("NEW 1 9223372036854775807")
    #expect(
      throws: CommandError.invalidParameter(name: "width", value: String(width), expected: Expectation.width)
    ) {
      try session.apply(.show(width: width))
    }
  }

  @Test func aCellHalfOwnedByOneAllocationShowsItsGlyph() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: 10)
    _ = try heap.allocate(bytes: 3)
    let cells = heap.cells(from: 0, pagesPerCell: 4, count: 3)
    #expect(cells.map(\.character) == ["1", ".", "."])
  }

  @Test func cellsCanStartInTheMiddleOfAnAllocation() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 1, pageCount: 10)
    _ = try heap.allocate(bytes: 5)
    _ = try heap.allocate(bytes: 2)
    #expect(
      heap.cells(from: 3, pagesPerCell: 1, count: 10).map(\.character) == ["1", "1", "2", "2", ".", ".", "."])
  }
}
