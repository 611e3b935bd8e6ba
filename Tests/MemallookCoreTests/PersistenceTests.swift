import Foundation
import Testing

@testable import MemallookCore

@Suite struct PersistenceTests {
  func fragmentedSession() throws -> Session {
    var session = Session(seed: 11)
    for line in ["NEW 16 64 policy=best", "ALLOC 40", "ALLOC 16", "ALLOC 100", "DEALLOC 2", "ALLOC 9999"] {
      _ = try? session.execute(line)
    }
    return session
  }

  @Test func aSessionSurvivesEncodingAndDecoding() throws {
    let session = try fragmentedSession()
    let data = try JSONEncoder().encode(session)
    var restored = try JSONDecoder().decode(Session.self, from: data)
    let heap = try #require(session.heap)
    let copy = try #require(restored.heap)
    try copy.checkInvariants()
    #expect(copy.show() == heap.show())
    #expect(copy.metrics == heap.metrics)
    #expect(copy.policy == .best)
    var original = session
    #expect(try restored.execute("ALLOC 16") == original.execute("ALLOC 16"))
  }

  @Test(
    arguments: [
      (#""firstPage":0"#, #""firstPage":62"#),  // tag 1 runs past the end
      (#""pageCount":3"#, #""pageCount":9"#),  // pages do not match bytes, and overlap
      (#""nextTag":4"#, #""nextTag":2"#),  // a tag from the future
      (#""pageSize":16"#, #""pageSize":0"#),
      // Counters that would trap on the next ALLOC, and ids that would reach a terminal raw.
      (#""nextTag":4"#, #""nextTag":0"#),
      (#""nextTag":4"#, #""nextTag":-5"#),
      (#""nextTag":4"#, #""nextTag":9223372036854775807"#),
      (#""failedAllocations":1"#, #""failedAllocations":9223372036854775807"#),
      (#""failedAllocations":1"#, #""failedAllocations":-1"#),
      (#""nextFitCursor":11"#, #""nextFitCursor":-1"#),
      (#""nextFitCursor":11"#, #""nextFitCursor":65"#),
      (#""peakPagesInUse":11"#, #""peakPagesInUse":65"#),
      (#""id":"HEAP-"#, #""id":"\u001b[2J-"#),
      (#""id":"HEAP-"#, #""id":"HEAP-1"#),
      // Bytes that would overflow the sum of bytes in use.
      (#""bytes":40"#, #""bytes":9223372036854775807"#),
    ] as [(String, String)])
  func aStoredHeapThatBreaksARuleDoesNotLoad(original: String, broken: String) throws {
    #expect(original != broken)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let text = String(decoding: try encoder.encode(try fragmentedSession()), as: UTF8.self)
    #expect(text.contains(original))
    let corrupted = text.replacingOccurrences(of: original, with: broken)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Session.self, from: Data(corrupted.utf8)) }
  }
}

/// The state file's compact format (version 2): what is written reads back as the same
/// session, and every rule the older format checks is checked.
@Suite struct StoredStateTests {
  func fragmentedSession() throws -> Session {
    var session = Session(seed: 11)
    for line in [
      "NEW 16 64 policy=best", "ALLOC 40", "ALLOC 16", "ALLOC 100", "DEALLOC 2", "ALLOC 9999", "REALLOC 1 60",
      "POLICY first", "DEFRAG 1", "ALLOC 12", "UNDO",
    ] {
      _ = try? session.execute(line)
    }
    return session
  }

  func decode(_ text: String, history: Bool = true) throws(StoredStateError) -> Session? {
    var text = text
    return try text.withUTF8 { bytes in
      Result { () throws(StoredStateError) in try StoredState.decode(bytes, history: history) }
    }
    .get()
  }

  @Test func aSessionSurvivesWritingAndReading() throws {
    let session = try fragmentedSession()
    let text = String(decoding: StoredState.encode(session), as: UTF8.self)
    #expect(text.hasPrefix(#"{"format":"memallook-state","version":2,"session":{"random":"#))
    var restored = try #require(try decode(text))
    let heap = try #require(session.heap)
    let copy = try #require(restored.heap)
    try copy.checkInvariants()
    #expect(copy.show() == heap.show())
    #expect(copy.metrics == heap.metrics)
    #expect(copy.policy == heap.policy)
    #expect(restored.history == session.history)
    var original = session
    #expect(try restored.execute("REDO") == original.execute("REDO"))
    #expect(try restored.execute("ALLOC 16") == original.execute("ALLOC 16"))
    #expect(String(decoding: StoredState.encode(restored), as: UTF8.self).count > 0)
  }

  /// A command that reads the heap only (a one-shot SHOW) loads it without the history.
  @Test func aSessionReadForItsHeapOnlyHasTheSameHeapAndNoHistory() throws {
    let session = try fragmentedSession()
    let text = String(decoding: StoredState.encode(session), as: UTF8.self)
    let restored = try #require(try decode(text, history: false))
    let heap = try #require(restored.heap)
    try heap.checkInvariants()
    #expect(heap.show() == session.heap?.show())
    #expect(heap.metrics == session.heap?.metrics)
    #expect(session.history.changes.count > 0)
    #expect(restored.history == History())
  }

  @Test func aSessionWithoutAHeapSurvivesToo() throws {
    let text = String(decoding: StoredState.encode(Session(seed: .max)), as: UTF8.self)
    #expect(text == #"{"format":"memallook-state","version":2,"session":{"random":18446744073709551615}}"#)
    let restored = try #require(try decode(text))
    #expect(restored.heap == nil && restored.random.state == .max)
  }

  @Test(arguments: [
    #"{"format":"memallook-state","session":{"random":1},"version":1}"#,  // the older format
    #"{"format":"memallook-state","version":3,"session":{"random":1}}"#,
    #"{"format":"something else","version":2,"session":{"random":1}}"#,
    "my shopping list", "",
  ])
  func otherFilesAreLeftToTheOlderReader(text: String) throws {
    #expect(try decode(text) == nil)
  }

  @Test(
    arguments: [
      (#""allocations":[1,60,0,4,0"#, #""allocations":[1,60,62,4,0"#, "allocation with tag 1 overlaps"),
      (#""allocations":[1,60,0,4,0"#, #""allocations":[1,60,0,9,0"#, "allocation with tag 1 has 9 pages"),
      (#",3,100,4,7,2]"#, #",3,100,2,7,2]"#, "allocation with tag 3 overlaps"),
      (#""allocations":[1,60,0,4,0"#, #""allocations":[1,20,0,4,0"#, "allocation with tag 1 has 4 pages"),
      (
        #""allocations":[1,60,0,4,0"#, #""allocations":[1,60,0,4,61"#, "allocation with tag 1 has no glyph 61"
      ),
      (#""allocations":[1,60,0,4,0"#, #""allocations":[1,60,0,4"#, "expected \",\" at byte "),
      (#""nextTag":4"#, #""nextTag":0"#, "nextTag is 0, expected 1 to 9007199254740992"),
      (#""nextTag":4"#, #""nextTag":3"#, "allocation with tag 3 overlaps"),
      (#""nextTag":4"#, #""nextTag":99999999999999999999"#, "number too large at byte "),
      (#""failedAllocations":1"#, #""failedAllocations":-1"#, "failedAllocations is -1, expected 0 to"),
      (#""nextFitCursor":"#, #""nextFitCursor":9"#, "nextFitCursor is 9"),
      (#""peakPagesInUse":"#, #""peakPagesInUse":x"#, "expected a number at byte "),
      (
        #""pageSize":16"#, #""pageSize":0"#,
        "invalid p \"0\": expected a positive whole number of bytes per page"
      ),
      (#""id":"HEAP-"#, #""id":"\u001b[2J-"#, "unexpected byte in a string at byte "),
      (#""id":"HEAP-"#, #""id":"HEAP-1"#, "heap id must be HEAP- and three digits"),
      (#""policy":"first""#, #""policy":"fifth""#, "unknown policy at byte "),
      (#""position":6"#, #""position":9"#, "history position outside its changes"),
      (#""changes":[0"#, #""changes":[7"#, "a change is none of alloc, free, realloc, defrag, policy"),
      (#""changes":[0,1"#, #""changes":[0,0"#, "a change's counters are out of range"),
      (#""random":"#, #""unknown":1,"random":"#, "unknown field at byte "),
      (#"]}}}"#, #"]}}} x"#, "unexpected bytes after the state at byte "),
      (#"]}}}"#, #"]}}"#, "expected \"}\" at byte "),
    ] as [(String, String, String)])
  func aStoredStateThatBreaksARuleDoesNotLoad(original: String, broken: String, reason: String) throws {
    let text = String(decoding: StoredState.encode(try fragmentedSession()), as: UTF8.self)
    #expect(text.contains(original), "\(text)")
    let corrupted = text.replacingOccurrences(of: original, with: broken)
    #expect(corrupted != text)
    #expect(try decode(text) != nil)
    for history in [true, false] {
      do {
        _ = try decode(corrupted, history: history)
        Issue.record("loaded \(history ? "with" : "without") its history: \(corrupted)")
      } catch {
        #expect(error.description.hasPrefix(reason), "\(corrupted)")
      }
    }
  }

  /// A history that does not replay on its heap is refused, as in the older format.
  @Test func aHistoryThatDoesNotReplayIsRefused() throws {
    let text = String(decoding: StoredState.encode(try fragmentedSession()), as: UTF8.self)
    // The first change allocated tag 1 at page 0: say it was at page 1.
    let corrupted = text.replacingOccurrences(
      of: #""changes":[0,1,0,0,0,1,40,0,"#, with: #""changes":[0,1,0,0,0,1,40,1,"#)
    #expect(corrupted != text)
    #expect(throws: StoredStateError.self) { _ = try decode(corrupted) }
    // Each record is well formed: a read of the heap alone, which replays nothing, loads it.
    #expect(try decode(corrupted, history: false)?.heap?.show() == fragmentedSession().heap?.show())
  }

  /// Loading replays the history with room for its busiest step; afterwards the tables
  /// fit the allocations live now (their load at least 1/8, an invariant).
  @Test func aLoadedHeapsTablesFitItsLiveAllocations() throws {
    var session = Session(seed: 1)
    _ = try session.execute("NEW 16 4096")
    for _ in 0..<400 { _ = try session.execute("ALLOC 16") }
    for tag in 1...390 { _ = try session.execute("DEALLOC \(tag)") }
    let restored = try #require(try decode(String(decoding: StoredState.encode(session), as: UTF8.self)))
    let heap = try #require(restored.heap)
    #expect(heap.liveAllocationCount == 10)
    try heap.checkInvariants()
  }

  /// A history whose first change names a tag no heap can have (negative, or the largest
  /// `Int`, past which a redo would make the next tag overflow) is refused, whether loading
  /// undoes that change (it is applied) or redoes it (it was undone). Nothing crashes: tag -1
  /// once emptied the allocation table, the largest `Int` overflowed (both found by review).
  @Test(arguments: ["-1", "9223372036854775807"], [false, true])
  func aHistoryWithATagNoHeapCanHaveIsRefused(tag: String, undone: Bool) throws {
    var session = Session(seed: 3)
    for line in ["NEW 16 64", "ALLOC 40", "ALLOC 16"] + (undone ? ["UNDO", "UNDO"] : []) {
      _ = try session.execute(line)
    }
    let text = String(decoding: StoredState.encode(session), as: UTF8.self)
    let corrupted = text.replacingOccurrences(
      of: #""changes":[0,1,0,0,0,1,40,0,"#, with: #""changes":[0,1,0,0,0,"# + tag + ",40,0,")
    #expect(corrupted != text)
    #expect(throws: StoredStateError.self) { _ = try decode(corrupted) }
  }
}

@Suite struct CompactHeapTests {
  /// A heap kept small and rebuilt is the same heap: its pages, counters and free
  /// structure (TLSF's list order included), so the next operations do the same.
  @Test(arguments: Policy.allCases)
  func aHeapKeptSmallComesBackTheSame(policy: Policy) throws {
    // Small enough that some ALLOCs are refused: the count of refusals comes back too.
    var heap = try Heap(id: "HEAP-100", pageSize: 16, pageCount: 1_024, policy: policy)
    var random = SplitMix64(seed: 3)
    var live: [Int] = []
    for _ in 0..<600 {
      if live.isEmpty || random.next(upperBound: 3 as UInt64) > 0 {
        if let allocation = try? heap.allocate(bytes: Int(random.next(upperBound: 200 as UInt64)) + 1) {
          live.append(allocation.tag)
        }
      } else {
        try heap.deallocate(tag: live.remove(at: Int(random.next(upperBound: UInt64(live.count)))))
      }
    }
    #expect(heap.failedAllocations > 0 && heap.liveAllocationCount > 20)
    var rebuilt = Heap(heap.compact)
    try rebuilt.checkInvariants()
    #expect(rebuilt.show() == heap.show())
    #expect(rebuilt.metrics == heap.metrics)
    #expect(rebuilt.freeStructure(limit: 1_000) == heap.freeStructure(limit: 1_000))
    for _ in 0..<200 {
      let bytes = Int(random.next(upperBound: 300 as UInt64)) + 1
      #expect((try? rebuilt.allocate(bytes: bytes)) == (try? heap.allocate(bytes: bytes)))
      if let tag = live.popLast() { #expect(try rebuilt.deallocate(tag: tag) == heap.deallocate(tag: tag)) }
    }
  }

  /// An allocation is kept in about 8 bytes when its numbers are small, and a heap
  /// comes back the same whatever their size: past 32 bits, up to 2^63.
  @Test func allocationsAreKeptInFewBytesAndAnyNumberComesBack() throws {
    var small = try Heap(id: "HEAP-100", pageSize: 16, pageCount: 100_000)
    for bytes in 1...1_000 { _ = try small.allocate(bytes: bytes) }
    #expect(small.compact.approximateBytes <= 256 + 1_000 * 8)
    #expect(Heap(small.compact).allocationsInAddressOrder() == small.allocationsInAddressOrder())

    var large = try Heap(id: "HEAP-100", pageSize: 1 << 20, pageCount: 1 << 40)
    _ = try large.allocate(bytes: 100)
    _ = try large.allocate(bytes: (1 << 33) << 20)  // 2^33 pages
    _ = try large.allocate(bytes: 5)  // its first page is past 2^33
    var rebuilt = Heap(large.compact)
    try rebuilt.checkInvariants()
    #expect(rebuilt.allocationsInAddressOrder() == large.allocationsInAddressOrder())
    #expect(rebuilt.metrics == large.metrics)
    #expect(try rebuilt.allocate(bytes: 7) == large.allocate(bytes: 7))

    // Pages of 2^33 bytes: one byte asked for leaves more than 2^32 of its page unused.
    var wide = try Heap(id: "HEAP-100", pageSize: 1 << 33, pageCount: 4)
    _ = try wide.allocate(bytes: 1)
    #expect(Heap(wide.compact).allocationsInAddressOrder() == wide.allocationsInAddressOrder())

    // The largest heap there is: its last page at 2^63 - 2.
    var largest = try Heap(id: "HEAP-100", pageSize: 1, pageCount: Int.max)
    _ = try largest.allocate(bytes: Int.max - 1)
    _ = try largest.allocate(bytes: 1)
    #expect(Heap(largest.compact).allocationsInAddressOrder() == largest.allocationsInAddressOrder())
  }

  /// A rebuild sorts a kept heap's allocations by first page with a radix sort: the order
  /// a stable comparison sort gives, for every size of heap, duplicates kept in their order.
  @Test(arguments: [2, 300, 1 << 11, 1 << 24, Heap.maximumCount])
  func extentsAreSortedAsAStableSortSortsThem(pageCount: Int) {
    var random = SplitMix64(seed: UInt64(pageCount))
    for count in [0, 1, 255, 256, 3_000, 70_000] {
      var extents: [Heap.Extent] = []
      for tag in 1...max(1, count) where count > 0 {
        let page = Int(random.next(upperBound: UInt64(pageCount)))
        // Some first pages twice: a broken state file has them, and its error names the pair in order.
        extents.append((page, page + 1, tag))
        if tag % 97 == 0 { extents.append((page, page + 1, -tag)) }
      }
      let expected = extents.enumerated().sorted {
        ($0.element.firstPage, $0.offset) < ($1.element.firstPage, $1.offset)
      }.map(\.element)
      var sorted = extents
      radixSort(&sorted, below: pageCount) { $0.firstPage }
      #expect(sorted.map(\.tag) == expected.map(\.tag), "\(count) extents below \(pageCount)")
    }
  }
}
