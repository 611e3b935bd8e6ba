import Foundation
import Logging

/// Writes what the server logs to standard error, one line per message, building the
/// metadata's text only for a line it writes.
///
/// swift-log's `StreamLogHandler` re-renders all its metadata into a string whenever a
/// key is set, and Hummingbird sets one (`hb.request.id`) on every request: about 5% of
/// a `GET /show`'s CPU, for lines that a `notice` level never writes.
public struct StandardErrorLogHandler: LogHandler {
  public var logLevel: Logger.Level = .info
  public var metadata: Logger.Metadata = [:]
  public var metadataProvider: Logger.MetadataProvider?
  let label: String
  let output: @Sendable (String) -> Void

  /// - Parameter output: where lines go; standard error unless a test says otherwise.
  public init(label: String, output: @escaping @Sendable (String) -> Void = Self.standardError) {
    self.label = label
    self.output = output
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var all = metadata
    if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
    if let given = event.metadata { all.merge(given) { _, new in new } }
    let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    let time = Date().ISO8601Format()
    output("\(time) \(event.level) \(label):\(fields.isEmpty ? "" : " [\(fields)]") \(event.message)\n")
  }

  /// Writes `line` to standard error in one call.
  public static func standardError(_ line: String) {
    var line = line
    line.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
  }
}
