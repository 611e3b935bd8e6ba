import Foundation

/// The command-line history of the TUI, one line per command, kept across runs.
public struct HistoryFile: Sendable {
  public let path: String
  /// Lines loaded at start; older ones stay in the file but are not offered.
  public static let limit = 500

  public init(path: String) { self.path = path }

  /// `$XDG_STATE_HOME/memallook/history` (beside the default state file).
  public static var standard: HistoryFile { HistoryFile(path: StateStore.stateFolder() + "/history") }

  public func load() -> [String] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
    return Array(text.split(separator: "\n").map(String.init).suffix(Self.limit))
  }

  public func append(_ line: String) {
    let folder = Paths.folder(of: path)
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
  }
}
