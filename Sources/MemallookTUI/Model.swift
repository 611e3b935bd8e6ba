import MemallookCore

/// Everything the TUI shows, as a value: `update` routes each message to the mode it
/// belongs to and `view` draws. The modes are sub-models with their own state, update
/// and view: your heap (`HeapScreen`), the player (`Playback`, with its race and quiz),
/// the help (`HelpScreen`) and the demo's script; the top model keeps what they share:
/// the command line, the message line, the screen's size and options.
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

  public var editor: LineEditor
  public var width: Int
  public var height: Int
  public let options: Options
  public var status: Status?
  /// Your heap: the screen when no workload is loaded.
  public var heapScreen: HeapScreen
  /// A workload loaded in the player; while there is one, the screen shows its heap.
  public var playback: Playback?
  /// The help, over whatever is shown.
  public var help: HelpScreen?
  /// Whether the free structure panel is shown; nil: when the terminal is wide enough.
  public var structurePanel: Bool?
  public var demo: Demo?

  public init(session: Session, width: Int, height: Int, options: Options = Options(), history: [String] = [])
  {
    heapScreen = HeapScreen(session: session)
    self.width = width
    self.height = height
    self.options = options
    editor = LineEditor(history: history)
  }

  /// Your session, as the screen last had it.
  public var session: Session { heapScreen.session }

  /// The heap the screen shows: the player's (its first policy's) when a workload is loaded, else yours.
  public var heap: Heap? { playback?.lane.heap ?? heapScreen.heap }

  /// The shown heap's metrics; in the player, with the refusals counted up to the current step.
  public var metrics: Metrics? { playback?.lane.metrics ?? heapScreen.heap?.metrics }

  /// What the shown screen's grid shows: the player's, else your heap's.
  public var grid: GridView {
    get { playback?.grid ?? heapScreen.grid }
    set {
      if playback != nil { playback!.grid = newValue } else { heapScreen.grid = newValue }
    }
  }

  /// Where keys are now: in the help, the player, during a DEFRAG animation, or normal.
  public var keyMode: KeyModes {
    if help != nil { return .help }
    if let playback { return playback.quiz != nil ? .quiz : playback.isRace ? .race : .player }
    return heapScreen.animation != nil ? .animation : .normal
  }

  /// How long until the loop should send `.tick`; nil when nothing is moving.
  public var tickInterval: Int? {
    if heapScreen.animation != nil { return heapScreen.stepMilliseconds }
    // Playing keeps its pace (and reads on at each of its ticks); else reading goes as fast as keys allow.
    if let playback, playback.playing, playback.seekTarget == nil { return playback.tickMilliseconds }
    if let playback, playback.isMoving { return 1 }
    if let demo, !demo.isFinished { return demo.tickMilliseconds }
    return nil
  }

  var painter: Painter { Painter(glyphs: options.glyphs) }

  /// The width from which the free structure panel is shown unless turned off.
  static let structurePanelWidth = 100

  /// Whether the free structure panel is on (F11 toggles it).
  var showsStructure: Bool { structurePanel ?? (width >= Self.structurePanelWidth) }
}
