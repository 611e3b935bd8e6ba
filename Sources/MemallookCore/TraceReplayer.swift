/// Replays a trace's operations, one at a time as they are read, on a heap of its own:
/// what `replay`, `compare`, the HTTP trace routes and the TUI's player all run. Its
/// memory is the live blocks (and a bounded timeline), never the operations.
///
/// A trace id names the block its last alloc made; what real traces contain is played
/// as C's allocator would take it, and counted (`Counts`):
/// - `f -1` (any negative id): `free(NULL)`, nothing to do;
/// - a free of an id that is not live (never allocated, already freed, its ALLOC
///   failed): skipped;
/// - `r id n` of an id that is not live: `realloc(NULL, n)`, an ALLOC;
/// - `r id 0` of a live id: `realloc(p, 0)`, which glibc treats as a free;
/// - an alloc or realloc of 0 bytes (`malloc(0)` returns a block of its own): 1 byte, so
///   one page;
/// - `a id n` of a live id: the capture lost a free; the old block is freed first.
/// A strict read (`TraceParser(strict: true)`) refuses all of these before they get here.
///
/// The replay's heap is private and keeps no history: it calls the heap's own ALLOC,
/// DEALLOC and REALLOC (the code `Session.apply` runs), without the session's
/// records, which would grow with every operation.
public struct TraceReplayer: Sendable {
  /// What the replay met that a tidy trace does not have.
  public struct Counts: Sendable, Equatable, Codable {
    /// Frees of ids that were not live (skipped), their ALLOC's failure included.
    public var skippedFrees = 0
    /// `f -1`: `free(NULL)`.
    public var nullFrees = 0
    /// Reallocs of ids that were not live: allocations.
    public var reallocsOfNothing = 0
    /// Reallocs to 0 bytes: frees.
    public var reallocsToZero = 0
    /// Allocations (or reallocs of nothing) of 0 bytes: 1 byte.
    public var zeroSizes = 0
    /// Allocs of live ids: the old block freed first.
    public var allocsOfLiveIDs = 0

    public init() {}
  }

  /// The moments a workload goes wrong: operations counted from 1, as a timeline's `op`.
  public struct Landmarks: Sendable, Equatable {
    /// The first ALLOC or REALLOC refused, if any.
    public var firstFailureOp: Int?
    /// The first operation after which the pages in use reach their maximum (0: none used).
    public var peakOp = 0
    /// The first operation after which external fragmentation is highest (0: never above 0).
    public var worstFragmentationOp = 0
    var peakPages = 0
    var worstFragmentation = 0.0
    /// Every refused operation, when asked for (the player's JUMP).
    public var failureOps: [Int]?
  }

  /// What one operation did.
  public enum Outcome: Sendable, Equatable {
    /// An alloc, or a realloc of nothing, made this allocation.
    case allocated(Allocation)
    /// A free, or a realloc to 0 bytes, freed this one.
    case freed(Allocation)
    case reallocated(from: Allocation, to: Allocation)
    /// ALLOC or REALLOC refused.
    case failed(CommandError)
    /// Nothing to do: a free of an id that is not live, or `free(NULL)`.
    case skipped(String)
  }

  public private(set) var heap: Heap
  public let settings: ReplaySettings
  /// Live trace id → the tag of its block: the live ids alone (10^5 of a real workload's
  /// 5 M ids), a table that stays in the cache where one slot per id ever seen did not.
  private var tags = IntMap<Int>()
  /// Operations replayed.
  public private(set) var operations = 0
  public private(set) var counts = Counts()
  public private(set) var landmarks = Landmarks()
  private var fragmentationSum = 0.0
  private var timeline: [ReplayPoint] = []
  /// Operations between two points of the timeline (it doubles when the points reach their limit).
  public private(set) var timelineInterval: Int?
  private var untilSample = 0

  /// The most points a timeline keeps: past it, every other point goes and the interval doubles.
  public static let maximumTimelinePoints = 10_000

  /// A replay on a fresh heap (`NEW pageSize pageCount policy`).
  /// - Parameters:
  ///   - recordingFailures: keep every refused operation's number (`Landmarks.failureOps`).
  ///   - mapsFirstPages: false for a replay whose heap no one looks at (`Heap.mapsFirstPages`):
  ///     a summary, a scout.
  /// - Throws: what NEW throws for a heap that cannot be made.
  public init(
    settings: ReplaySettings, pageCount: Int, recordingFailures: Bool = false, mapsFirstPages: Bool = true
  ) throws(CommandError) {
    self.settings = settings
    heap = try Heap(
      id: "HEAP-100", pageSize: settings.pageSize, pageCount: pageCount, policy: settings.policy)
    heap.mapsFirstPages = mapsFirstPages
    timelineInterval = settings.timelineInterval.map { max(1, $0) }
    untilSample = timelineInterval ?? 0
    if recordingFailures { landmarks.failureOps = [] }
  }

  /// The replay's state kept small, to come back to (`Checkpoint.restored()`).
  /// - Complexity: O(n) for n live allocations.
  public func checkpoint() -> Checkpoint {
    var rest = self
    rest.tags = IntMap()
    // The scout's list of every refused operation so far is its own: a checkpoint that kept
    // it would hold its own copy once the scout appends (O(failures) each, never counted).
    rest.landmarks.failureOps = nil
    // What stays of the heap in `rest`: an empty one page, rebuilt from `heap` on the way back.
    rest.heap = try! Heap(id: heap.id, pageSize: heap.pageSize, pageCount: 1)
    return Checkpoint(rest: rest, heap: heap.compact, liveIDs: Checkpoint.LiveIDs(tags))
  }

  /// A replay's state kept small: its heap as `Heap.Compact`, and of its id table only
  /// the live ids. Copying the heap with its indexes, and a table of every id ever seen,
  /// into every checkpoint made a player's checkpoints about 30 MB each on a real-length
  /// workload (10^5 live of 5 M ids), so few that a seek replayed 300,000 operations.
  public struct Checkpoint: Sendable {
    /// The replayer without its heap and its id table.
    fileprivate let rest: TraceReplayer
    fileprivate let heap: Heap.Compact
    fileprivate let liveIDs: LiveIDs

    /// About the bytes it keeps.
    public var approximateBytes: Int { heap.approximateBytes + liveIDs.bytes.count + 512 }

    /// The replayer it was taken of, its heap keeping the map by first page (a player
    /// shows it). - Complexity: O(n log n).
    public func restored() -> TraceReplayer {
      var replayer = rest
      replayer.restore(self)
      return replayer
    }

    /// The live ids and their tags, in order of id, in LEB128 (`LEB128Writer`): an id as
    /// itself less the one before, its tag as its difference from the id less the one before
    /// (ids and tags are both given in order, so both are mostly small). About 2 bytes an
    /// id, where a pair of 32-bit numbers took 8.
    struct LiveIDs: Sendable {
      let count: Int
      let bytes: [UInt8]

      init(_ tags: IntMap<Int>) {
        var pairs: [(id: Int, tag: Int)] = []
        pairs.reserveCapacity(tags.count)
        var highest = 0
        for (id, tag) in tags.entries {
          pairs.append((id, tag))
          highest = max(highest, id)
        }
        // Live ids are not negative: a negative id is `free(NULL)`.
        radixSort(&pairs, below: highest + 1) { $0.id }
        var writer = LEB128Writer(reservingCapacity: 4 * pairs.count)
        var (previousID, previousDifference) = (0, 0)
        for (id, tag) in pairs {
          writer.append(id - previousID)
          writer.append(signed: (tag - id) - previousDifference)
          (previousID, previousDifference) = (id, tag - id)
        }
        (count, bytes) = (pairs.count, writer.bytes)
      }

      /// The table they were taken of, in `old`'s memory where it suits (`IntMap.removeAll`).
      func table(reusing old: consuming IntMap<Int>) -> IntMap<Int> {
        var table = consume old
        table.removeAll(keepingRoomFor: count)
        var reader = LEB128Reader(bytes)
        var (id, difference) = (0, 0)
        for _ in 0..<count {
          id += reader.nextInt()
          difference += reader.nextSigned()
          table[id] = id + difference
        }
        return table
      }
    }
  }

  /// Becomes the replay `checkpoint` was taken of, its heap keeping the map by first page
  /// (`Checkpoint.restored()`), filling its own tables again where their memory suits
  /// rather than new ones (`Heap(_:reusing:)`). - Complexity: O(n log n).
  public mutating func restore(_ checkpoint: Checkpoint) {
    var table = AllocationTable()
    swap(&table, &heap.allocations)  // the old heap, let go below, keeps an empty table
    let ids = tags
    self = checkpoint.rest
    // Consumed, so that each is the one reference to its memory when emptied (a copy left
    // here made the table copy its slots before emptying them).
    heap = Heap(checkpoint.heap, reusing: consume table)
    tags = checkpoint.liveIDs.table(reusing: consume ids)
  }

  /// Where the tag table's, the map's and the id table's slots are in memory (tests:
  /// whether a restore filled them again in place).
  var tableAddresses: [UInt] { heap.allocations.slotsAddresses + [tags.slotsAddress] }

  /// Slots of the live ids' table: it follows the live ids, not every id seen (tests).
  var idTableSlots: Int { tags.slotCount }

  /// The tag trace id `id`'s block has now (0: none).
  public func tag(of id: Int) -> Int { tags[id] ?? 0 }

  /// How far ahead `play` warms the cache for an operation: its id's slot `idDistance`
  /// operations ahead, then, that slot in cache, its block's slot `tagDistance` ahead.
  static let idDistance = 16
  static let tagDistance = 8

  /// Plays `operations` in order, as many calls of `apply` would, with each operation's
  /// lookups fetched into the cache while earlier ones play (the id's slot, then its
  /// block's): the two loads a replay would otherwise wait on, an operation's lookups
  /// depending on nothing the heap does.
  /// - Complexity: what the operations cost.
  public mutating func play(_ operations: [Trace.Operation]) { playAhead(operations) }

  /// `play` of the operations of a held workload in `range`.
  public mutating func play(_ operations: Trace.Operations, _ range: Range<Int>) {
    playAhead(operations[range])
  }

  /// `play`, specialised in this module for each kind of collection.
  private mutating func playAhead(_ operations: some RandomAccessCollection<Trace.Operation>) {
    // The next operation whose id's slot is to be fetched, and the next whose block's is.
    var idLookahead = operations.startIndex
    var tagLookahead = operations.startIndex
    for _ in 0..<Swift.min(Self.idDistance, operations.count) {
      tags.prefetch(operations[idLookahead].id)
      operations.formIndex(after: &idLookahead)
    }
    for _ in 0..<Swift.min(Self.tagDistance, operations.count) {
      prefetchBlock(of: operations[tagLookahead])
      operations.formIndex(after: &tagLookahead)
    }
    for operation in operations {
      if idLookahead != operations.endIndex {
        tags.prefetch(operations[idLookahead].id)
        operations.formIndex(after: &idLookahead)
      }
      if tagLookahead != operations.endIndex {
        prefetchBlock(of: operations[tagLookahead])
        operations.formIndex(after: &tagLookahead)
      }
      apply(operation)
    }
  }

  /// Fetches the slot of the block a free or a realloc of `operation`'s id will look up
  /// (an alloc looks up none, unless its id is live, which a real trace rarely has).
  @inline(__always)
  private func prefetchBlock(of operation: Trace.Operation) {
    switch operation {
    case .alloc: return
    case .free(let id), .realloc(let id, _): heap.allocations.prefetch(tag: tags[id] ?? 0)
    }
  }

  /// Plays one operation.
  /// - Complexity: the heap's ALLOC, DEALLOC or REALLOC, plus O(1) expected (the live ids' table).
  @discardableResult
  public mutating func apply(_ operation: Trace.Operation) -> Outcome {
    let outcome: Outcome
    switch operation {
    case .alloc(let id, let bytes):
      let old = tag(of: id)
      if old != 0 {
        counts.allocsOfLiveIDs += 1
        _ = try? heap.deallocate(tag: old)
      }
      outcome = allocate(bytes)
      setTag(outcome.madeTag, of: id)
    case .free(let id):
      let tag = tag(of: id)
      if id < 0 {
        counts.nullFrees += 1
        outcome = .skipped("free(NULL)")
      } else if tag != 0, let freed = try? heap.deallocate(tag: tag) {
        setTag(0, of: id)
        outcome = .freed(freed)
      } else {
        counts.skippedFrees += 1
        outcome = .skipped("not live (never allocated, freed, or its ALLOC failed)")
      }
    case .realloc(let id, let bytes):
      let tag = tag(of: id)
      if tag == 0 {
        counts.reallocsOfNothing += 1
        outcome = allocate(bytes)
        if id >= 0 { setTag(outcome.madeTag, of: id) }
      } else if bytes == 0 {
        counts.reallocsToZero += 1
        outcome = (try? heap.deallocate(tag: tag)).map(Outcome.freed) ?? .skipped("not live")
        setTag(0, of: id)
      } else {
        do throws(CommandError) {
          let (from, to) = try heap.reallocate(tag: tag, bytes: bytes)
          outcome = .reallocated(from: from, to: to)
        } catch {
          outcome = .failed(error)
        }
      }
    }
    operations += 1
    if case .failed = outcome { note(failed: true) } else { note(failed: false) }
    return outcome
  }

  /// ALLOC of `bytes` (0 taken as 1).
  private mutating func allocate(_ bytes: Int) -> Outcome {
    if bytes == 0 { counts.zeroSizes += 1 }
    do throws(CommandError) {
      return .allocated(try heap.allocate(bytes: max(1, bytes)))
    } catch {
      return .failed(error)
    }
  }

  private mutating func setTag(_ tag: Int, of id: Int) {
    guard id >= 0 else { return }  // C's NULL names no block
    if tag == 0 { tags.removeValue(forKey: id) } else { tags.updateValue(tag, forKey: id) }
  }

  /// Takes the heap's figures after an operation: the landmarks, the mean and the timeline.
  private mutating func note(failed: Bool) {
    if failed {
      if landmarks.firstFailureOp == nil { landmarks.firstFailureOp = operations }
      landmarks.failureOps?.append(operations)
    }
    if heap.pagesInUse > landmarks.peakPages {
      landmarks.peakPages = heap.pagesInUse
      landmarks.peakOp = operations
    }
    let fragmentation = heap.externalFragmentation
    fragmentationSum += fragmentation
    if fragmentation > landmarks.worstFragmentation {
      landmarks.worstFragmentation = fragmentation
      landmarks.worstFragmentationOp = operations
    }
    guard let interval = timelineInterval else { return }
    untilSample -= 1
    guard untilSample == 0 else { return }
    timeline.append(ReplayPoint(op: operations, heap.metrics))
    if timeline.count >= Self.maximumTimelinePoints {
      // Every other point goes (those at odd multiples of the interval): the rest stay regular.
      timeline = timeline.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
      timelineInterval = interval * 2
    }
    untilSample = timelineInterval!
  }

  /// What the replay did, so far.
  public var summary: ReplaySummary {
    ReplaySummary(
      policy: settings.policy, pageSize: heap.pageSize, pageCount: heap.pageCount, operations: operations,
      counts: counts, landmarks: landmarks,
      meanExternalFragmentation: operations == 0 ? 0 : fragmentationSum / Double(operations),
      final: ReplayPoint(op: operations, heap.metrics), timeline: timelineInterval == nil ? nil : timeline,
      timelineInterval: timelineInterval)
  }
}

extension TraceReplayer.Outcome {
  /// The tag an allocation got (0: none).
  var madeTag: Int {
    if case .allocated(let allocation) = self { return allocation.tag }
    return 0
  }
}

extension Heap {
  /// `metrics.externalFragmentation` without the rest of the metrics: the replay's per-operation figure.
  /// - Complexity: O(1).
  var externalFragmentation: Double {
    pagesFree == 0 ? 0 : 1 - Double(freeRunsByStart.maxValue ?? 0) / Double(pagesFree)
  }
}
