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
