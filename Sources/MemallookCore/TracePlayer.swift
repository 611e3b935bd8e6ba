import Synchronization

/// A workload played one operation at a time on one heap per policy, in lockstep, for
/// the TUI's player, race and quiz: forward is the next operation (as `replay` plays it,
/// `TraceReplayer`); back restores the nearest checkpoint at or before the target and
/// plays forward from it, so every frame is a true state of each heap, whatever the
/// policy (TLSF's lists included), and memory does not grow with the operations played.
///
/// A scout per lane plays the whole workload ahead of the user, a piece at a time
/// (`index(operations:)`): it leaves the checkpoints, the chart's samples and the
/// landmarks (failures, peak, worst fragmentation) that going back and JUMP need.
/// The player's heaps are its own: playing a workload never touches the heap a user
/// typed commands on.
public struct TracePlayer: Sendable {
  /// One policy's heap, its checkpoints and its samples.
  public struct Lane: Sendable {
    public let policy: Policy
    /// The heap at the player's position.
    var replayer: TraceReplayer
    /// Plays ahead (`index(operations:)`) and leaves checkpoints and samples; nil once it
    /// reached the end (its heap and id table are then let go: 40 MB a lane at 10^5 live
    /// of 5 M ids), its landmarks kept in `landmarksRead`.
    var scout: TraceReplayer?
    var landmarksRead = TraceReplayer.Landmarks()
    /// The replay's state at steps 0, K, 2K, ... that the scout reached (K: `checkpointInterval`).
    var checkpoints: [TraceReplayer.Checkpoint]
    /// The replay's state at step `recentStep`, left by the last long seek near its target (`seek(to:)`).
    var recent: TraceReplayer.Checkpoint?
    /// What the operation played last did; nil at step 0 and after going back.
    public internal(set) var last: TraceReplayer.Outcome?
    /// External fragmentation and page utilisation at steps 0, S, 2S, ... that the scout reached.
    public internal(set) var fragmentation: [Float] = []
    public internal(set) var utilisation: [Float] = []

    /// The lane's heap at the player's position.
    public var heap: Heap { replayer.heap }
    /// Its metrics (the refusals counted up to the position).
    public var metrics: Metrics { heap.metrics }
    /// The tag trace id `id` has now (0: none).
    public func tag(of id: Int) -> Int { replayer.tag(of: id) }
    /// What the operations played so far had that a tidy trace has not.
    public var counts: TraceReplayer.Counts { replayer.counts }
    /// What the whole workload does on this policy, once indexed to the end (so far before).
    public var landmarks: TraceReplayer.Landmarks { scout?.landmarks ?? landmarksRead }
    /// The cells drawn last, kept for the frames that follow at the same step.
    let shading = ShadingMemo()
  }

  /// A lane's cells drawn last and what they show (the step and the view). The lane's
  /// heap is its policy's state after that many operations of the workload, so they stay
  /// true whatever copy of the player asks: copies share the memo as they share the workload.
  final class ShadingMemo: Sendable {
    struct View: Equatable {
      let step: Int
      let firstPage: Int
      let pagesPerCell: Int
      let count: Int
    }
    let last = Mutex<(view: View, cells: [ShadedCell])?>(nil)
  }

  public let trace: Trace
  /// What the workload is called (a file name, or the generator's options).
  public let name: String
  public let pageSize: Int
  public let pageCount: Int
  public private(set) var lanes: [Lane]
  /// Operations played: the lanes are at step `position` of `count`.
  public private(set) var position = 0
  /// How far the scouts have played (checkpoints, samples and landmarks are known up to it).
  public private(set) var indexed = 0
  /// Steps between checkpoints: going back replays at most this many operations a lane.
  public private(set) var checkpointInterval: Int
  /// The step of every lane's `recent` checkpoint, if any.
  public private(set) var recentStep: Int?
  /// Checkpoints a lane keeps.
  public var checkpointCount: Int { lanes[0].checkpoints.count }
  /// About the bytes the checkpoints keep, over every lane.
  public var checkpointBytes: Int {
    lanes.reduce(0) { $0 + $1.checkpoints.reduce(0) { $0 + $1.approximateBytes } }
  }
  /// Steps between two chart samples.
  public let sampleInterval: Int

  /// Runs `count` pieces of work that share nothing (one a lane), `body(0)` to
  /// `body(count - 1)`, and returns when all are done.
  public typealias LaneRunner = @Sendable (_ count: Int, _ body: @Sendable (Int) -> Void) -> Void
  /// One lane after another, on the caller's thread.
  public static let oneAfterAnother: LaneRunner = { count, body in
    for index in 0..<count { body(index) }
  }
  /// How reading ahead and seeking play the lanes: one after another unless a front with
  /// threads to spare runs them at once (the TUI's race, on every core). The lanes share
  /// nothing but the workload, which they only read, so either way gives the same states.
  public var runLanes: LaneRunner = TracePlayer.oneAfterAnother

  /// The checkpoints' memory, over every lane, before they are thinned (every other one dropped).
  public static let checkpointBudget = 512 << 20
  /// Chart samples a lane keeps at most.
  public static let maximumSamples = 8192

  /// Operations in the workload.
  public var count: Int { trace.operations.count }
  public var isAtEnd: Bool { position == count }
  public var isIndexed: Bool { indexed == count }
  /// The next operation, if any.
  public var nextOperation: Trace.Operation? { isAtEnd ? nil : trace.operations[position] }
  /// The operation played last, if any.
  public var lastOperation: Trace.Operation? { position == 0 ? nil : trace.operations[position - 1] }

  /// A player at step 0 with a fresh heap (`NEW pageSize pageCount policy`) per policy.
  /// - Parameter pageCount: nil sizes the heap for the workload (`Trace.defaultPageCount`).
  /// - Throws: what NEW throws for a heap that cannot be made.
  public init(trace: Trace, name: String, pageSize: Int, pageCount: Int? = nil, policies: [Policy])
    throws(CommandError)
  {
    precondition(!policies.isEmpty)
    self.trace = trace
    self.name = name
    self.pageSize = pageSize
    self.pageCount = pageCount ?? trace.defaultPageCount(pageSize: pageSize)
    let operations = trace.operations.count
    checkpointInterval = max(1024, operations / 256)
    sampleInterval = max(1, (operations + Self.maximumSamples - 1) / Self.maximumSamples)
    lanes = []
    for policy in policies {
      let settings = ReplaySettings(policy: policy, pageSize: pageSize, pageCount: self.pageCount)
      let replayer = try TraceReplayer(settings: settings, pageCount: self.pageCount)
      // Its heap is never shown: no map by first page (`Heap.mapsFirstPages`).
      let scout = try TraceReplayer(
        settings: settings, pageCount: self.pageCount, recordingFailures: true, mapsFirstPages: false)
      var lane = Lane(policy: policy, replayer: replayer, scout: scout, checkpoints: [replayer.checkpoint()])
      lane.sample()
      lanes.append(lane)
    }
  }

  /// Plays the next operation on every lane; false at the end.
  @discardableResult
  public mutating func forward() -> Bool {
    guard let operation = nextOperation else { return false }
    for index in lanes.indices { lanes[index].last = lanes[index].replayer.apply(operation) }
    position += 1
    return true
  }

  /// Goes back one operation on every lane; false at step 0.
  @discardableResult
  public mutating func back() -> Bool {
    seek(to: position - 1)
  }

  /// Moves every lane to step `target` (clamped to 0...count): from the nearest checkpoint
  /// at or before it when that is nearer than the position (always, going back), then
  /// forward (`TraceReplayer.play`, the last operation by `apply` for its outcome).
  ///
  /// A seek that plays more than `recentDistance` operations leaves a checkpoint that
  /// many before its target (`recent`, one a lane, replacing the one before), unless told
  /// not to: the steps back from the target that follow replay at most that many, not up
  /// to an interval.
  /// - Returns: whether the position changed.
  /// - Complexity: at most `checkpointInterval` operations a lane within the checkpoints
  ///   indexed so far; past them, from the last one or the position.
  @discardableResult
  public mutating func seek(to target: Int, leavingCheckpoint: Bool = true) -> Bool {
    let target = max(0, min(count, target))
    guard target != position else { return false }
    let back = target < position
    let start = seekStart(for: target)
    let restore: Restore? =
      start == position ? nil : start == recentStep ? .recent : .checkpoint(start / checkpointInterval)
    let nearTarget = leavingCheckpoint && target - start > recentDistance ? target - recentDistance : nil
    let operations = trace.operations
    eachLane { lane in
      switch restore {
      case .recent?: lane.replayer.restore(lane.recent!)
      case .checkpoint(let index)?: lane.replayer.restore(lane.checkpoints[index])
      case nil: break
      }
      if restore != nil { lane.last = nil }
      if start < target {
        var from = start
        if let nearTarget {
          lane.replayer.play(operations, start..<nearTarget)
          lane.recent = lane.replayer.checkpoint()
          from = nearTarget
        }
        lane.replayer.play(operations, from..<target - 1)
        lane.last = lane.replayer.apply(operations[target - 1])
      }
      // Going back, the operation at the target is the next one, not one just played.
      if back { lane.last = nil }
    }
    if let nearTarget { recentStep = nearTarget }
    position = target
    return true
  }

  /// A piece of a long jump toward `target` (the TUI's, which reads keys between pieces):
  /// at most `piece` operations a lane from where a seek to `target` starts. Only the piece
  /// that ends at the target, or leaves at most `recentDistance` to go, leaves a checkpoint
  /// near its end, so the steps back after the jump replay at most twice that; the pieces
  /// before it pack nothing (a race of 7 packed its 7 lanes at every piece, about 12 ms).
  /// - Returns: whether the position is the target.
  @discardableResult
  public mutating func seek(toward target: Int, piece: Int) -> Bool {
    let target = max(0, min(count, target))
    let end = min(target, seekStart(for: target) + max(1, piece))
    seek(to: end, leavingCheckpoint: target - end <= recentDistance)
    return position == target
  }

  /// Where a seek's lanes come from when not from the position.
  private enum Restore {
    case recent
    case checkpoint(Int)
  }

  /// How far before a long seek's target it leaves a checkpoint: a 64th of the interval,
  /// from 1,024 to 16,384 operations (a few ms a lane to replay). A long jump the TUI makes
  /// in pieces leaves one with its last piece, or its last but one when the last is
  /// shorter (each piece is longer: 160,000 operations shared by at most 7 lanes), so
  /// the steps back after it replay at most twice this.
  public var recentDistance: Int { max(1024, min(checkpointInterval / 64, 16_384)) }

  /// Does `work` on every lane, as `runLanes` says.
  private mutating func eachLane(_ work: (inout Lane) -> Void) {
    let run = runLanes
    withoutActuallyEscaping(work) { work in
      lanes.withUnsafeMutableBufferPointer { buffer in
        let shared = LaneWork(lanes: buffer, work: work)
        run(buffer.count) { index in shared.work(&shared.lanes[index]) }
      }
    }
  }

  /// The lanes and the work on them, as `runLanes`' threads share them: each runs `work`
  /// on lanes of its own (an index is given to one thread), which share nothing but the
  /// workload they read; the storage outlives the run (`eachLane` waits for it).
  private struct LaneWork: @unchecked Sendable {
    let lanes: UnsafeMutableBufferPointer<Lane>
    let work: (inout Lane) -> Void
  }

  /// The step a seek to `target` plays forward from: the position, or the checkpoint
  /// nearest before `target` (a lane's `recent` one included) when that is nearer
  /// (always, going back).
  public func seekStart(for target: Int) -> Int {
    let target = max(0, min(count, target))
    var kept = min(target / checkpointInterval, lanes[0].checkpoints.count - 1) * checkpointInterval
    if let recentStep, recentStep <= target, recentStep > kept { kept = recentStep }
    return target < position || kept > position ? kept : position
  }

  /// Plays the scouts ahead by at most `operations` operations (shared by the lanes),
  /// leaving checkpoints, samples and landmarks; false once every lane reached the end.
  /// - Complexity: what those operations cost.
  @discardableResult
  public mutating func index(operations budget: Int) -> Bool {
    guard indexed < count else { return false }
    let (start, end) = (indexed, min(count, indexed + max(1, budget / lanes.count)))
    let (operations, checkpointInterval, sampleInterval, count) = (
      trace.operations, checkpointInterval, sampleInterval, count
    )
    eachLane { lane in
      var step = start
      while step < end {
        // Up to the next checkpoint or sample, in one piece.
        let played = min(
          end, (step / checkpointInterval + 1) * checkpointInterval,
          (step / sampleInterval + 1) * sampleInterval)
        lane.scout?.play(operations, step..<played)
        if played % checkpointInterval == 0, let scout = lane.scout {
          lane.checkpoints.append(scout.checkpoint())
        }
        if played % sampleInterval == 0 || played == count { lane.sample() }
        step = played
      }
    }
    indexed = end
    // After the piece, not at each checkpoint: every other one dropped keeps the same steps.
    thinCheckpointsIfNeeded()
    guard indexed == count else { return true }
    for index in lanes.indices {
      lanes[index].landmarksRead = lanes[index].landmarks
      lanes[index].scout = nil
    }
    return false
  }

  /// Drops every other checkpoint (and doubles the interval) while they weigh more than the budget.
  private mutating func thinCheckpointsIfNeeded() {
    let perCheckpoint = lanes.reduce(0) { $0 + ($1.checkpoints.last?.approximateBytes ?? 0) }
    while perCheckpoint * lanes[0].checkpoints.count > Self.checkpointBudget, lanes[0].checkpoints.count > 2 {
      for index in lanes.indices {
        lanes[index].checkpoints = lanes[index].checkpoints.enumerated().filter { $0.offset % 2 == 0 }.map(
          \.element)
      }
      checkpointInterval *= 2
    }
  }

  /// `Heap.shadedCells` of lane `index`'s heap, kept between frames: a frame at the step
  /// and view of the one before (a typed key, a pause) reads them instead of every allocation.
  /// - Complexity: O(count) when kept, else `Heap.shadedCells`'s.
  public func shadedCells(ofLane index: Int, from firstPage: Int, pagesPerCell: Int, count: Int)
    -> [ShadedCell]
  {
    let view = ShadingMemo.View(
      step: position, firstPage: firstPage, pagesPerCell: pagesPerCell, count: count)
    let memo = lanes[index].shading
    if let kept = memo.last.withLock({ $0?.view == view ? $0?.cells : nil }) { return kept }
    let cells = lanes[index].heap.shadedCells(from: firstPage, pagesPerCell: pagesPerCell, count: count)
    memo.last.withLock { $0 = (view, cells) }
    return cells
  }

  /// The results so far, as `memallook compare` reports them.
  public var summaries: [ReplaySummary] { lanes.map(\.replayer.summary) }
}

extension TracePlayer.Lane {
  /// The scout's figures, as the chart's next sample.
  mutating func sample() {
    guard let metrics = scout?.heap.metrics else { return }
    fragmentation.append(Float(metrics.externalFragmentation))
    utilisation.append(Float(Double(metrics.pagesUsed) / Double(max(1, metrics.pageCount))))
  }
}
