import Foundation
import MemallookCore
import MemallookRuntime

@testable import MemallookTUI

/// Plays the part of the TUI loop in tests: messages into the model, effects
/// carried out by the loop's own `Runner` on an in-memory shared session, frames out as text.
struct Driver {
  var model: Model
  let shared: SharedSession
  let runner: Runner
  var quit = false
  let savedHistory = Lines()

  init(width: Int = 100, height: Int = 30, glyphs: GlyphSet = .unicode) {
    shared = SharedSession(session: Session(seed: 42))
    runner = Runner(shared: shared, saveHistory: savedHistory.append)
    model = Model(
      session: Session(seed: 42), width: width, height: height, options: Model.Options(glyphs: glyphs))
  }

  /// The session as its owner has it.
  var session: Session { try! shared.current() }

  mutating func send(_ message: Message) {
    if !runner.send(message, to: &model) { quit = true }
  }

  mutating func press(_ keys: Key...) {
    for key in keys { send(.key(key)) }
  }

  /// Types `line` character by character and presses Enter.
  mutating func type(_ line: String, enter: Bool = true) {
    for character in line { send(.key(.character(character))) }
    if enter { send(.key(.enter)) }
  }

  var frame: Frame { model.view() }
  var lines: [String] { frame.lines }
  var status: String? { model.status?.text }

  /// The grid as SHOW draws it: one character per cell, `.` for free, rows of the layout's width.
  var gridRows: [String] {
    let layout = Layout(model: model)
    let frame = self.frame
    return (0..<layout.gridRows).compactMap { row -> String? in
      let y = layout.gridOrigin.y + row
      let cells = (0..<layout.columns).map { column in
        frame[layout.gridOrigin.x + column * layout.cellWidth + layout.cellWidth / 2, y].character
      }
      let text = String(cells).replacingOccurrences(of: "·", with: ".")
      return text.allSatisfy { $0 == " " } ? nil : text.replacingOccurrences(of: " ", with: "")
    }
  }

  /// Styles of the grid cells of `row`, in order.
  func gridStyles(row: Int) -> [Style] {
    let layout = Layout(model: model)
    let frame = self.frame
    return (0..<layout.columns).map { column in
      frame[layout.gridOrigin.x + column * layout.cellWidth + layout.cellWidth / 2, layout.gridOrigin.y + row]
        .style
    }
  }
}

/// Lines collected by a callback.
final class Lines: @unchecked Sendable {
  private(set) var all: [String] = []
  func append(_ line: String) { all.append(line) }
}
