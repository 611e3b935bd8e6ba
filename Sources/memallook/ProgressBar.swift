import Foundation

/// A progress bar on stderr, only when stderr is a terminal and the work is long (over
/// 10^5 operations, or 4 MiB of a file).
struct ProgressBar {
  static let threshold = 100_000
  static let bytesThreshold = 4 << 20
  let total: Int
  let label: String
  let enabled: Bool

  init(total: Int, label: String, bytes: Bool = false) {
    self.total = total
    self.label = label
    enabled = total > (bytes ? Self.bytesThreshold : Self.threshold) && isatty(2) == 1
  }

  func show(_ done: Int) {
    guard enabled else { return }
    let width = 30
    let filled = min(width, done * width / max(1, total))
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    Output.raw("\r\(label) [\(bar)] \(min(100, done * 100 / max(1, total)))%")
  }

  func finish() {
    if enabled { Output.raw("\r\u{1B}[K") }
  }
}
