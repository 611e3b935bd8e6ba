import MemallookCore

/// Everything the TUI shows, as a value: `update` changes it, `view` draws it.
public struct Model: Sendable {
  /// Options fixed at start.
  public struct Options: Sendable, Equatable {
    public var glyphs: GlyphSet
    /// Shown in the title bar when the HTTP listener runs (e.g. "http://127.0.0.1:8080").
    public var listening: String?

    public init(glyphs: GlyphSet = .unicode, listening: String? = nil) {
      self.glyphs = glyphs
      self.listening = listening
    }
  }

  /// The message line: the reply to the last command, or news from elsewhere.
  public struct Status: Sendable, Equatable {
    public var text: String
    public var isError: Bool
  }

  /// A DEFRAG being played move by move: each step is a `DEFRAG moves` command
  /// on the live heap, so the animation never holds a plan that could go stale.
  public struct Animation: Sendable, Equatable {
    /// Moves the plan had when DEFRAG started.
    public var planned: Int
    /// Moves made so far.
    public var made = 0
    /// Moves per step: more than one when the plan is too long to show each in time.
    public var movesPerStep: Int
    /// The next move, highlighted at its old place before it is made; nil between moves.
    public var lifted: Move?
    public var movingTag: Int? { lifted?.tag }
  }

  public var session: Session
  public var editor: LineEditor
  public var width: Int
  public var height: Int
  public let options: Options
  public var status: Status?
  public var selectedTag: Int?
  /// First grid row shown (scrolling).
  public var gridTopRow = 0
  /// Pages per grid cell; nil fits the heap to the screen.
  public var zoom: Int?
  public var showingHelp = false
  /// First help line shown (the help scrolls when it does not fit).
  public var helpTop = 0
  /// External fragmentation and utilisation after each change of your heap, newest
  /// last (for the chart), at most `chartHistoryLimit`.
  public var chartHistory: [(fragmentation: Double, utilisation: Double)] = []
  /// A workload loaded in the player; while there is one, the screen shows its heap.
  public var playback: Playback?
  public var animation: Animation?
  /// Moves an animation made before it was skipped, for the closing reply.
  public var movesAnimated = 0
  /// Milliseconds per animation step.
  public var stepMilliseconds = 150
  public var demo: Demo?

  public init(session: Session, width: Int, height: Int, options: Options = Options(), history: [String] = [])
  {
    self.session = session
    self.width = width
    self.height = height
    self.options = options
    editor = LineEditor(history: history)
    recordFragmentation()
  }

  /// How long until the loop should send `.tick`; nil when nothing is moving.
  public var tickInterval: Int? {
    if animation != nil { return stepMilliseconds }
    if let playback, playback.seekTarget != nil { return 1 }
    if let playback, playback.playing { return playback.tickMilliseconds }
    if let demo, !demo.isFinished { return demo.tickMilliseconds }
    return nil
  }

  /// The heap the screen shows: the player's (its first policy's) when a workload is loaded, else yours.
  public var heap: Heap? { playback?.lane.heap ?? session.heap }

  /// The shown heap's metrics; in the player, with the refusals counted up to the current step.
  public var metrics: Metrics? { playback?.lane.metrics ?? session.heap?.metrics }

  static let chartHistoryLimit = 4096

  mutating func recordFragmentation() {
    guard let metrics = session.heap?.metrics else { return }
    let utilisation = Double(metrics.pagesUsed) / Double(max(1, metrics.pageCount))
    chartHistory.append((metrics.externalFragmentation, utilisation))
    if chartHistory.count > Self.chartHistoryLimit {
      chartHistory.removeFirst(chartHistory.count - Self.chartHistoryLimit)
    }
  }
}
