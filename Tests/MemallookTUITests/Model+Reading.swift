@testable import MemallookTUI

/// What the tests read of a model, named as a user sees it: the shown grid's selection,
/// zoom and scroll, the help, your heap's DEFRAG animation.
extension Model {
  var showingHelp: Bool { help != nil }
  var helpTop: Int { help?.top ?? 0 }
  var helpScrollLimit: Int { HelpScreen.scrollLimit(width: width, height: height) }
  func helpLines(room: Int) -> [(text: String, style: Style)] { HelpScreen.lines(room: room) }
  var selectedTag: Int? { grid.selectedTag }
  var zoom: Int? { grid.zoom }
  var gridTopRow: Int { grid.topRow }
  var animation: HeapScreen.Animation? { heapScreen.animation }
  var stepMilliseconds: Int { heapScreen.stepMilliseconds }
}
