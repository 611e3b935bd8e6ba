import Foundation
import MemallookCore

@testable import MemallookTUI

/// Plays the part of the TUI loop in tests: messages into the model, effects
/// carried out on an in-memory session, frames out as text.
struct Driver {
  var model: Model
  var session: Session
  var quit = false
  var savedHistory: [String] = []

  init(width: Int = 100, height: Int = 30, glyphs: GlyphSet = .unicode) {
    session = Session(seed: 42)
    model = Model(session: session, width: width, height: height, options: Model.Options(glyphs: glyphs))
  }

  mutating func send(_ message: Message) {
    var queue = [message]
    while !queue.isEmpty {
      for effect in model.update(queue.removeFirst()) {
        switch effect {
        case .quit: quit = true
        case .saveHistory(let line): savedHistory.append(line)
        case .execute(let command, let line):
          let outcome: Outcome
          do {
            outcome = .reply(try session.apply(command))
          } catch {
            outcome = .failure(error)
          }
          queue.append(.executed(line: line, outcome: outcome, session: session))
        case .applyMove(let move):
          let applied = session.apply(move)
          queue.append(.executed(line: "DEFRAG", outcome: .moved(move, applied), session: session))
        }
      }
    }
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
