import Foundation
import Testing

@testable import MemallookCore

/// What must be equal for two states of a heap to be the same state. SHOW and
/// the JSON state are functions of these (allocations carry their pages and glyphs).
struct HeapState: Equatable {
  let metrics: Metrics
  let counters: Counters
  let allocations: [Allocation]
  let policy: Policy

  init(_ heap: Heap) {
    metrics = heap.metrics
    counters = heap.counters
    allocations = heap.allocationsInTagOrder
    policy = heap.policy
  }
}

@Suite struct HistoryTests {
  /// Undoing an ALLOC (or redoing a DEALLOC) whose allocation is live under its tag but not
  /// as recorded is refused, and the heap is as it was: the live one is put back.
  @Test func aRecordOfAnAllocationNotLiveAsRecordedIsRefusedAndChangesNothing() throws {
    var heap = try Heap(id: "HEAP-100", pageSize: 16, pageCount: 64)
    let live = try heap.allocate(bytes: 40)
    _ = try heap.allocate(bytes: 16)
    let before = (heap.show(), heap.metrics, heap.counters)
    var moved = live
    moved.firstPage += 1
    for kind in [Change.Kind.allocated(moved), .freed(moved)] {
      let change = Change(kind: kind, before: heap.counters)
      #expect(throws: ChangeMismatch.self) {
        if case .allocated = kind { try heap.undo(change) } else { try heap.redo(change) }
      }
      #expect(heap.show() == before.0 && heap.metrics == before.1 && heap.counters == before.2)
      #expect(heap.allocation(tag: live.tag) == live)
      try heap.checkInvariants()
    }
  }

  /// A state file keeps up to 10^5 changes: a record sized for one allocation, not for
  /// REALLOC's two, keeps the history of a file that size about 4 MB smaller.
  @Test func aChangeRecordIsSizedForOneAllocation() {
    #expect(MemoryLayout<Change>.stride <= 72)
  }

  /// Forward with random operations; after each, a random UNDO k / REDO j / GOTO s must land
  /// on exactly the state recorded at that step on the way forward.
  @Test(arguments: Policy.allCases)
  func everyStepCanBeReachedAgainExactly(policy: Policy) throws {
    var random = SplitMix64(seed: UInt64(Policy.allCases.firstIndex(of: policy)!) + 9)
    var session = Session(seed: 1)
    _ = try session.apply(.new(pageSize: 4, pageCount: 400, policy: policy))
    var states = [HeapState(try #require(session.heap))]
    for _ in 0..<10_000 {  // 10^4 operations, a travel after half of them
      let heap = try #require(session.heap)
      let live = heap.allocationsInTagOrder
      let stepBefore = session.history.step
      switch random.next(upperBound: 20 as UInt64) {
      case 0..<10: _ = try? session.apply(.alloc(bytes: 1 + Int(random.next(upperBound: 200 as UInt64))))
      case 10..<16 where !live.isEmpty:
        _ = try session.apply(.dealloc(tag: live[Int(random.next(upperBound: UInt64(live.count)))].tagText))
      case 16: _ = try? session.apply(.defrag(moves: random.next(upperBound: 2 as UInt64) == 0 ? nil : 2))
      case 18 where !live.isEmpty:
        let tag = live[Int(random.next(upperBound: UInt64(live.count)))].tagText
        _ = try? session.apply(.realloc(tag: tag, bytes: 1 + Int(random.next(upperBound: 300 as UInt64))))
      case 17: _ = try? session.apply(.policy(Policy.allCases[Int(random.next(upperBound: 5 as UInt64))]))
      default: break
      }
      // The state at a step is the latest one there: a failed ALLOC changes it too.
      let now = HeapState(try #require(session.heap))
      if session.history.step != stepBefore {
        states.removeSubrange(session.history.step...)
        states.append(now)
      } else {
        states[session.history.step] = now
      }
      let from = session.history.step
      switch random.next(upperBound: 6 as UInt64) {
      case 0: _ = try session.apply(.undo(steps: 1 + Int(random.next(upperBound: 5 as UInt64))))
      case 1: _ = try session.apply(.redo(steps: 1 + Int(random.next(upperBound: 5 as UInt64))))
      case 2:
        _ = try session.apply(.goto(step: Int(random.next(upperBound: UInt64(session.history.lastStep + 1)))))
      default: continue
      }
      let heapNow = try #require(session.heap)
      try heapNow.checkInvariants()
      if session.history.step != from {
        #expect(HeapState(heapNow) == states[session.history.step], "at step \(session.history.step)")
      }
      // Mostly back to the end, so the history keeps growing; else the next change drops the rest.
      if random.next(upperBound: 32 as UInt64) != 0 {
        _ = try session.apply(.goto(step: session.history.lastStep))
      }
    }
    #expect(session.history.lastStep > 20, "the history grew")
  }

  @Test func failedAllocsEmptyDefragsAndSamePoliciesAreNotSteps() throws {
    var session = Session(seed: 1)
    _ = try session.execute("NEW 16 64")
    for line in ["ALLOC 9999", "DEFRAG", "POLICY first", "SHOW", "STATS", "HISTORY"] {
      _ = try? session.execute(line)
    }
    #expect(session.history.lastStep == 0)
    #expect(try session.execute("UNDO") == .nothingToUndo)
    #expect(try session.execute("REDO") == .nothingToRedo)
  }

  @Test func undoRestoresTheCountersOfTheStateBeforeTheChange() throws {
    var session = Session(seed: 1)
    _ = try session.execute("NEW 16 64 next")
    _ = try session.execute("ALLOC 16")
    let before = HeapState(try #require(session.heap))
    _ = try session.execute("ALLOC 32")
    _ = try? session.execute("ALLOC 99999")
    #expect(session.heap?.failedAllocations == 1)
    #expect(try session.execute("UNDO")?.text == "ok, at step 1 of 2")
    #expect(HeapState(try #require(session.heap)) == before)
    #expect(
      try session.execute("ALLOC 8")?.text == "ok, tag = \"2\"", "the tag of the undone ALLOC is free again")
    #expect(session.history.lastStep == 2, "a new change after UNDO drops the redo branch")
  }

  @Test func undoAcrossADefragPutsEveryAllocationBack() throws {
    var session = Session(seed: 1)
    for line in ["NEW 16 64", "ALLOC 16", "ALLOC 32", "ALLOC 16", "ALLOC 48", "DEALLOC 1", "DEALLOC 3"] {
      _ = try session.execute(line)
    }
    let fragmented = HeapState(try #require(session.heap))
    _ = try session.execute("DEFRAG")
    #expect(session.heap?.show().hasPrefix("22444...") == true)
    let undo = try #require(try session.execute("UNDO"))
    #expect(undo.detail == "undid DEFRAG (2 allocations moved)")
    #expect(HeapState(try #require(session.heap)) == fragmented)
    _ = try session.execute("REDO")
    #expect(session.heap?.show().hasPrefix("22444...") == true)
  }

  @Test func theMostLiveAllocationsAreCountedFromAnyPosition() throws {
    var session = Session(seed: 1)
    for line in ["NEW 16 64", "ALLOC 16", "ALLOC 16", "ALLOC 16", "DEALLOC 1", "DEALLOC 2", "ALLOC 16"] {
      _ = try session.execute(line)
    }
    #expect(session.history.mostLive(whenAtPositionWith: 2) == 3)
    _ = try session.execute("UNDO 3")  // back to three live
    #expect(session.heap?.liveAllocationCount == 3)
    #expect(session.history.mostLive(whenAtPositionWith: 3) == 3)
  }

  @Test func gotoOutsideTheHistoryIsRefused() throws {
    var session = Session(seed: 1)
    _ = try session.execute("NEW 16 64")
    _ = try session.execute("ALLOC 16")
    #expect(throws: CommandError.noSuchStep(step: 5, first: 0, last: 1)) { try session.execute("GOTO 5") }
    #expect(try session.execute("GOTO 0")?.text == "ok, at step 0 of 1")
    #expect(session.heap?.liveAllocationCount == 0)
  }

  @Test func historyListsTheStepsAndMarksTheCurrentOne() throws {
    var session = Session(seed: 1)
    for line in ["NEW 16 64", "ALLOC 16", "ALLOC 32", "DEALLOC 1", "UNDO"] { _ = try session.execute(line) }
    let listing = try #require(try session.execute("HISTORY")).text
    #expect(
      listing == """
        history: step 2 of 3
          0  NEW 16 64 (\(session.heap!.id))
          1  ALLOC 16         tag 1: 1 page from page 0
        > 2  ALLOC 32         tag 2: 2 pages from page 1
        ~ 3  DEALLOC 1        tag 1: 1 page freed from page 0
        (~ undone: REDO or GOTO brings them back)
        """)
    #expect(try session.execute("HISTORY 1")?.text.split(separator: "\n").count == 3)
  }

  @Test func resetAndNewStartAnEmptyHistory() throws {
    var session = Session(seed: 1)
    _ = try session.execute("NEW 16 64")
    _ = try session.execute("ALLOC 16")
    _ = try session.execute("RESET")
    _ = try session.execute("NEW 16 64")
    #expect(session.history.lastStep == 0)
  }

  @Test func branchReplaysTheUndoneStepsUnderAnotherPolicy() throws {
    var session = Session(seed: 1)
    // First fit fragments this heap so that the last ALLOC fails... under best fit it fits.
    for line in [
      "NEW 1 10", "ALLOC 3", "ALLOC 1", "ALLOC 2", "ALLOC 1", "DEALLOC 1", "DEALLOC 3", "ALLOC 2", "ALLOC 3",
    ] { _ = try? session.execute(line) }
    _ = try session.execute("GOTO 6")
    let reply = try #require(try session.execute("BRANCH best"))
    #expect(reply.text == "ok, branched at step 6 with best fit: 3 changes replayed")
    #expect(session.heap?.policy == .best)
    #expect(session.history.lastStep == 9)
    try session.heap?.checkInvariants()
    _ = try session.execute("UNDO 3")
    #expect(session.heap?.policy == .first)
    #expect(session.history.step == 6)
  }

  @Test func theHistoryIsStoredWithTheSessionAndReplaysOnLoad() throws {
    var session = Session(seed: 1)
    for line in ["NEW 16 64", "ALLOC 16", "ALLOC 32", "DEALLOC 1", "DEFRAG", "POLICY best", "UNDO 2"] {
      _ = try session.execute(line)
    }
    let data = try JSONEncoder().encode(session)
    var loaded = try JSONDecoder().decode(Session.self, from: data)
    #expect(loaded.history == session.history)
    _ = try loaded.execute("REDO 2")
    _ = try session.execute("REDO 2")
    #expect(HeapState(try #require(loaded.heap)) == HeapState(try #require(session.heap)))
  }

  @Test func aStoredHistoryThatDoesNotReplayIsRefused() throws {
    var session = Session(seed: 1)
    for line in ["NEW 16 64", "ALLOC 16", "ALLOC 32"] { _ = try session.execute(line) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let text = String(decoding: try encoder.encode(session), as: UTF8.self)
    // The history says tag 2 was placed at page 40; the heap has it at page 1.
    let record = try #require(text.range(of: #""firstPage":1,"glyph":"2""#, options: .backwards))
    let broken = text.replacingCharacters(in: record, with: #""firstPage":40,"glyph":"2""#)
    #expect(broken != text)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Session.self, from: Data(broken.utf8)) }
  }

  @Test func aStoredHistoryKeepsTheNewestChanges() throws {
    var history = History()
    let change = Change(
      kind: .policyChanged(from: .first, to: .best),
      before: Counters(nextTag: 1, nextFitCursor: 0, peakPagesInUse: 0, failedAllocations: 0))
    for _ in 0..<10 { history.record(change) }
    history.position = 7
    history.trim(to: 4)
    #expect(history.base == 6 && history.changes.count == 4 && history.step == 7 && history.lastStep == 10)
  }
}
