/// The parts of a file path, as NSString's `deletingLastPathComponent` and
/// `lastPathComponent` give them, without their trap on a one-character path
/// (swift-corelibs-foundation: `--state F` crashed every command that writes).
public enum Paths {
  /// The folder part of `path`: "" for a bare name, "/" for a name at the root.
  public static func folder(of path: String) -> String {
    let trimmed = trailingSlashesRemoved(Substring(path))
    guard let slash = trimmed.lastIndex(of: "/") else { return "" }
    if slash == trimmed.startIndex { return "/" }
    return String(trailingSlashesRemoved(trimmed[..<slash]))
  }

  /// The last part of `path` ("F" for "x/F", "x" for "x/").
  public static func name(of path: String) -> String {
    let trimmed = trailingSlashesRemoved(Substring(path))
    guard let slash = trimmed.lastIndex(of: "/"), trimmed.count > 1 else { return String(trimmed) }
    return String(trimmed[trimmed.index(after: slash)...])
  }

  /// `name` in `folder` ("" is the current folder).
  public static func joined(_ folder: String, _ name: String) -> String {
    folder.isEmpty ? name : (folder.hasSuffix("/") ? folder + name : folder + "/" + name)
  }

  private static func trailingSlashesRemoved(_ text: Substring) -> Substring {
    var text = text
    while text.count > 1, text.hasSuffix("/") { text.removeLast() }
    return text
  }
}
