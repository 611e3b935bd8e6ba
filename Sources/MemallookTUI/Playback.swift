import Dispatch
import Foundation
import MemallookCore

/// The player's mode: a workload loaded in a `TracePlayer`, whether it plays, how fast,
/// the race's metric and the quiz when those run, and what its grid shows.
/// Its own update (`Playback+Update`, `+Quiz`) and view (`Playback+View`).
public struct Playback: Sendable {
  public var player: TracePlayer
  public var playing = false
  /// Index into `speeds`.
  public var speedIndex = Playback.defaultSpeedIndex
  /// Whether a refused ALLOC pauses the play (single policy only: a race never pauses).
  public var pausesOnFailure = true
  /// What the race marks as best.
  public var metric = RaceMetric.external
  public var quiz: Quiz?
  /// The free run to highlight after a refused ALLOC: the longest one, too short.
  public var highlightedRun: Range<Int>?
  /// A step being gone to a piece at a time (a long jump), so that keys are read meanwhile.
  public var seekTarget: Int?
  /// A JUMP waiting for the workload to be indexed far enough to know where it goes.
  public var pendingJump: JumpTarget?
  /// What the grid shows of the first lane's heap.
  public var grid = GridView()
  /// The glyphs the player's messages use (an arrow, a dash).
  let glyphs: GlyphSet

  public init(player: TracePlayer, glyphs: GlyphSet = .unicode) {
    self.player = player
    self.player.runLanes = Self.lanesAtOnce
    self.glyphs = glyphs
  }

  /// A race reads ahead and seeks on every core: its lanes at once, as many as there are
  /// cores (one lane is played on the caller's thread).
  public static let lanesAtOnce: TracePlayer.LaneRunner = { count, body in
    guard count > 1 else { return TracePlayer.oneAfterAnother(count, body) }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
  }

  public var isRace: Bool { player.lanes.count > 1 }

  /// Whether the scouts still play ahead (checkpoints, chart, landmarks), a piece a tick.
  public var isIndexing: Bool { !player.isIndexed }

  /// Whether ticks have work: playing, a long jump, a pending JUMP or indexing.
  public var isMoving: Bool { playing || seekTarget != nil || pendingJump != nil || isIndexing }

  /// The most operations a workload in the player may have (`memallook compare` streams longer ones).
  public static let maximumOperations = Trace.maximumOperations
  /// Operations (times heaps) a jump makes between two looks at the keyboard: about 0.1 s
  /// at the core's 0.5–0.7 µs an operation (10^5 live). One lane's seek from its nearest
  /// checkpoint (at most one checkpoint interval) is one piece on a 10^7-operation workload.
  static let seekChunk = 160_000
  /// Cores the lanes of a race are played on at once (`lanesAtOnce`).
  static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

  /// Operations a lane a piece of a long jump plays: `seekChunk` shared by the lanes, as
  /// many of them played at once as there are cores.
  var seekPiece: Int { max(1, Self.seekChunk * min(player.lanes.count, Self.cores) / player.lanes.count) }
  /// Operations (times heaps) the scouts read a tick: about 30 ms, so that reading a long
  /// workload leaves the frames and the keys their pace.
  static let indexChunk = 50_000

  /// Operations per second the play can go at.
  public static let speeds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000]
  static let defaultSpeedIndex = 3
  /// The shortest time between frames: 30 frames a second at most.
  static let frameMilliseconds = 33

  public var speed: Int { Self.speeds[speedIndex] }
  /// Milliseconds between play ticks.
  public var tickMilliseconds: Int { max(Self.frameMilliseconds, 1000 / speed) }
  /// Operations each tick plays.
  public var operationsPerTick: Int { max(1, speed * tickMilliseconds / 1000) }

  /// The lane whose heap the grid, the listing and the metrics show (the first one).
  public var lane: TracePlayer.Lane { player.lanes[0] }

  /// The lanes best on `metric` now (ties all marked), none before the first operation.
  public var leaders: Set<Int> {
    guard isRace, player.position > 0 else { return [] }
    let scores = player.lanes.map { metric.score($0.metrics) }
    let best = scores.min()!
    return Set(scores.indices.filter { scores[$0] == best })
  }
}

/// QUIZ: before each ALLOC the player waits for a guess of where it lands.
public struct Quiz: Sendable, Equatable {
  public enum Guess: Sendable, Equatable {
    case page(Int)
    case fails
  }

  /// A revealed answer.
  public struct Answer: Sendable, Equatable {
    /// The step the question was asked at (before its ALLOC).
    public let step: Int
    public let guess: Guess
    /// The pages the ALLOC took; nil when it failed.
    public let landed: Range<Int>?
    /// A page guess is right when the ALLOC took that page; "fails" when it failed.
    public var isRight: Bool {
      switch guess {
      case .fails: landed == nil
      case .page(let page): landed?.contains(page) ?? false
      }
    }
  }

  /// The page the cursor is on.
  public var cursor = 0
  /// Every answer given, in order (going back forgets those of the questions gone back over).
  public var answers: [Answer] = []
  public var asked: Int { answers.count }
  public var right: Int { answers.count(where: \.isRight) }
  /// The last answer, shown until the next guess.
  public var answer: Answer?

  public init() {}
}
