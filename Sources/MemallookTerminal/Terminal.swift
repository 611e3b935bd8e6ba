import CNcurses
import Glibc
import MemallookTUI

/// The one place that talks to ncurses: draws frames (only the cells that
/// changed), decodes keys and mouse events, and restores the terminal on exit,
/// on SIGTERM/SIGHUP/SIGINT and on a crash. Every call runs on the main thread.
public final class Terminal {
  public struct Options: Sendable {
    public var color: Bool
    public var mouse: Bool

    public init(color: Bool, mouse: Bool) {
      self.color = color
      self.mouse = mouse
    }
  }

  private var previous: Frame?
  private var attributes: [Style: Int32] = [:]
  private let color: Bool
  private var closed = false
  private var decoder = KeyDecoder()

  /// Whether the locale (after `setlocale(LC_ALL, "")`) speaks UTF-8.
  public static func prepareLocale() -> Bool {
    setlocale(LC_ALL, "")
    return mk_locale_is_utf8() != 0
  }

  init(options: Options) {
    guard let screen = initscr() else {
      let message = Array("memallook: cannot initialize the terminal (is TERM set?)\n".utf8)
      _ = message.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
      exit(64)
    }
    TerminalRescue.install()
    raw()
    noecho()
    keypad(screen, true)
    meta(screen, true)  // all 8 bits of each byte: UTF-8
    nodelay(screen, true)
    set_escdelay(25)
    curs_set(1)
    color = options.color && has_colors()
    if color {
      start_color()
      use_default_colors()
    }
    if options.mouse {
      mousemask(mk_button1_pressed | mk_button1_clicked | mk_button4_pressed | mk_button5_pressed, nil)
      mouseinterval(0)
    }
    defineStyles()
  }

  deinit { close() }

  /// Leaves curses mode; safe to call twice.
  func close() {
    guard !closed else { return }
    closed = true
    endwin()
  }

  var size: (width: Int, height: Int) { (Int(mk_cols()), Int(mk_lines())) }

  /// Draws `frame`, writing only the cells that differ from the last frame drawn.
  func draw(_ frame: Frame) {
    if previous.map({ $0.width != frame.width || $0.height != frame.height }) ?? true { erase() }
    for change in frame.changes(from: previous) where !change.cell.isContinuation {
      // A wide character fills its continuation cell itself; a combining mark goes with its base.
      var text = change.cell.character.unicodeScalars.prefix(Int(mk_ccharw_max)).map { wchar_t($0.value) }
      text.append(0)
      _ = mk_put(Int32(change.y), Int32(change.x), text, attribute(for: change.cell.style))
    }
    if let cursor = frame.cursor {
      curs_set(1)
      move(Int32(cursor.y), Int32(cursor.x))
    } else {
      curs_set(0)
    }
    previous = frame
    refresh()
  }

  /// Forces the next draw to repaint every cell.
  func invalidate() {
    previous = nil
    clearok(mk_stdscr(), true)
  }

  /// Every input waiting, decoded; empty when there is none. Reads bytes (`wgetch`)
  /// and assembles UTF-8 itself: `get_wch` drops a character whose bytes are split
  /// across reads, and the byte after it.
  func readMessages() -> [Message] {
    var messages: [Message] = []
    while true {
      let code = wgetch(mk_stdscr())
      if code == ERR { break }
      if code > 0xFF {
        if let message = decodeSpecial(code) { messages.append(message) }
      } else if let key = decoder.feed(UInt8(code)) {
        messages.append(.key(key))
      }
    }
    return messages
  }

  private func decodeSpecial(_ code: Int32) -> Message? {
    switch code {
    case KEY_RESIZE:
      invalidate()
      return .resize(width: size.width, height: size.height)
    case KEY_MOUSE:
      var y: Int32 = 0
      var x: Int32 = 0
      var buttons: mmask_t = 0
      guard mk_mouse(&y, &x, &buttons) != 0 else { return nil }
      if buttons & mk_button4_pressed != 0 { return .scroll(-3) }
      if buttons & mk_button5_pressed != 0 { return .scroll(3) }
      if buttons & (mk_button1_pressed | mk_button1_clicked) != 0 { return .click(x: Int(x), y: Int(y)) }
      return nil
    case KEY_UP: return .key(.up)
    case KEY_DOWN: return .key(.down)
    case KEY_LEFT: return .key(.left)
    case KEY_RIGHT: return .key(.right)
    case KEY_HOME: return .key(.home)
    case KEY_END: return .key(.end)
    case KEY_BACKSPACE: return .key(.backspace)
    case KEY_DC: return .key(.delete)
    case KEY_SR: return .key(.shiftUp)
    case KEY_SF: return .key(.shiftDown)
    case KEY_NPAGE: return .key(.pageDown)
    case KEY_PPAGE: return .key(.pageUp)
    case KEY_ENTER: return .key(.enter)
    case mk_key_f(1)...mk_key_f(12): return .key(.function(Int(code - mk_key_f(0))))
    default: return nil
    }
  }

  // MARK: Styles

  private func attribute(for style: Style) -> Int32 {
    attributes[style] ?? mk_a_normal
  }

  /// Colour pairs for each role; without colour, attributes that keep roles
  /// apart (allocations alternate bold and underline, and keep their glyphs).
  private func defineStyles() {
    let roles: [Style] =
      [
        .normal, .title, .border, .dim, .free, .freeBlock, .moving, .highlight, .preview, .cursor, .error,
        .success,
        .prompt, .hintKey, .hint,
      ]
      + (0..<Style.paletteSize).flatMap {
        [Style.allocation(palette: $0), .selected(palette: $0), .series($0)]
      }
    guard color else {
      for role in roles { attributes[role] = monochrome(role) }
      return
    }
    let rich = mk_colors() >= 256
    var pair: Int16 = 1
    func define(_ role: Style, _ foreground: Int16, _ background: Int16, _ extra: Int32 = mk_a_normal) {
      init_pair(pair, foreground, background)
      attributes[role] = mk_color_pair(Int32(pair)) | extra
      pair += 1
    }
    // Mid-bright backgrounds under black glyphs: readable on dark and light terminals.
    let palette: [Int16] =
      rich
      ? [75, 215, 114, 177, 221, 80, 210, 141, 150, 117, 180, 158]
      : [
        Int16(COLOR_CYAN), Int16(COLOR_YELLOW), Int16(COLOR_GREEN), Int16(COLOR_MAGENTA), Int16(COLOR_BLUE),
        Int16(COLOR_RED),
      ]
    let black = Int16(COLOR_BLACK)
    attributes[.normal] = mk_a_normal
    define(.title, rich ? 231 : Int16(COLOR_WHITE), rich ? 24 : Int16(COLOR_BLUE), mk_a_bold)
    define(.border, rich ? 244 : Int16(COLOR_CYAN), -1)
    define(.dim, rich ? 245 : Int16(COLOR_WHITE), -1, rich ? mk_a_normal : mk_a_dim)
    define(.free, rich ? 246 : Int16(COLOR_WHITE), -1, rich ? mk_a_normal : mk_a_dim)
    define(.freeBlock, rich ? 240 : Int16(COLOR_WHITE), rich ? 236 : -1, rich ? mk_a_normal : mk_a_dim)
    define(.moving, black, rich ? 226 : Int16(COLOR_WHITE), mk_a_bold | mk_a_underline)
    define(.highlight, rich ? 231 : Int16(COLOR_WHITE), rich ? 160 : Int16(COLOR_RED), mk_a_bold)
    define(.cursor, black, rich ? 231 : Int16(COLOR_WHITE), mk_a_bold | mk_a_reverse)
    define(.preview, black, rich ? 120 : Int16(COLOR_GREEN), mk_a_bold)
    define(.error, rich ? 203 : Int16(COLOR_RED), -1, mk_a_bold)
    define(.success, rich ? 71 : Int16(COLOR_GREEN), -1)
    define(.prompt, rich ? 75 : Int16(COLOR_CYAN), -1, mk_a_bold)
    define(.hint, rich ? 231 : Int16(COLOR_WHITE), rich ? 24 : Int16(COLOR_BLUE))
    attributes[.hintKey] = mk_a_bold
    for index in 0..<Style.paletteSize {
      let background = palette[index % palette.count]
      let extra = rich || index < palette.count ? mk_a_normal : mk_a_bold
      define(.allocation(palette: index), black, background, extra)
      attributes[.selected(palette: index)] =
        attributes[.allocation(palette: index)]! | mk_a_reverse | mk_a_bold
      define(.series(index), background, -1, mk_a_bold)
    }
  }

  private func monochrome(_ role: Style) -> Int32 {
    switch role {
    case .normal, .border, .success, .hint: mk_a_normal
    case .title: mk_a_reverse | mk_a_bold
    case .dim, .free: mk_a_dim
    case .series: mk_a_bold
    case .freeBlock: mk_a_underline
    case .moving, .highlight: mk_a_reverse | mk_a_bold | mk_a_underline
    case .cursor: mk_a_reverse | mk_a_bold
    case .preview: mk_a_reverse | mk_a_underline
    case .error, .prompt, .hintKey: mk_a_bold
    case .allocation(let palette): palette % 2 == 0 ? mk_a_bold : mk_a_underline
    case .selected: mk_a_reverse
    }
  }
}

/// Restores a sane terminal when the process is killed or crashes: the
/// handlers only use async-signal-safe calls (tcsetattr, write), then re-raise.
enum TerminalRescue {
  nonisolated(unsafe) static var saved = termios()
  nonisolated(unsafe) static var installed = false

  /// Leave the alternate screen, show the cursor, stop mouse reporting.
  static let resetSequence: [UInt8] = Array(
    "\u{1b}[?1000l\u{1b}[?1002l\u{1b}[?1006l\u{1b}[?1049l\u{1b}[?25h\r\n".utf8)

  /// Call before `initscr` changes the terminal modes.
  static func saveModes() {
    tcgetattr(0, &saved)
  }

  static func install() {
    guard !installed else { return }
    installed = true
    for signal in [SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE] {
      Glibc.signal(signal) { number in
        TerminalRescue.restore()
        Glibc.signal(number, SIG_DFL)
        raise(number)
      }
    }
  }

  static func restore() {
    tcsetattr(0, TCSANOW, &saved)
    resetSequence.withUnsafeBufferPointer { _ = write(1, $0.baseAddress, $0.count) }
  }
}
