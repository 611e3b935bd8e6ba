import ArgumentParser
import Foundation
import MemallookCore

extension Trace.Format: ExpressibleByArgument {}
extension TraceGenerator.Sizes: ExpressibleByArgument {}

/// Reading a trace file (or stdin) for `replay` and `compare`: the size limit,
/// the format, and errors as `FILE:LINE: message` with exit status 64.
enum TraceInput {
  static func read(_ file: String, format: Trace.Format?) throws -> Trace {
    let name = file == "-" ? "<stdin>" : file
    let bytes: [UInt8]
    do {
      let handle =
        file == "-" ? FileHandle.standardInput : try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
      bytes = Array(try handle.read(upToCount: Trace.maximumFileSize + 1) ?? Data())
    } catch {
      Output.error("memallook: cannot read \(name): \(error.localizedDescription)")
      throw ExitCode(Status.usage)
    }
    do {
      return try Trace(parsing: bytes, format: format)
    } catch {
      Output.error(error.text(file: name))
      throw ExitCode(Status.usage)
    }
  }

  /// Replays `trace`, drawing a progress bar on stderr when it is a terminal and the trace is long.
  static func replay(_ trace: Trace, _ settings: ReplaySettings, label: String) throws -> ReplaySummary {
    let bar = ProgressBar(total: trace.operations.count, label: label)
    defer { bar.finish() }
    do {
      return try trace.replay(settings) { done in bar.show(done) }
    } catch {
      Output.error("memallook: \(error.fullText)")
      throw ExitCode(error.isUsageError ? Status.usage : Status.refused)
    }
  }

  /// JSON as every front writes it: keys sorted.
  static func json(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
  }
}

/// A progress bar on stderr, only when stderr is a terminal and the work is long (over 10^5 operations).
struct ProgressBar {
  static let threshold = 100_000
  let total: Int
  let label: String
  let enabled: Bool

  init(total: Int, label: String) {
    self.total = total
    self.label = label
    enabled = total > Self.threshold && isatty(2) == 1
  }

  func show(_ done: Int) {
    guard enabled else { return }
    let width = 30
    let filled = done * width / max(1, total)
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    Output.raw("\r\(label) [\(bar)] \(done * 100 / max(1, total))%")
  }

  func finish() {
    if enabled { Output.raw("\r\u{1B}[K") }
  }
}
