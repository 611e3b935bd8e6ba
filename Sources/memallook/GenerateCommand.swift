import ArgumentParser
import Foundation
import MemallookCore

/// `memallook generate`: a seeded random trace, as `.rep` on stdout.
struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate", abstract: "Write a seeded random trace (.rep) to standard output.",
    discussion: """
      The same options give the same trace on every machine. Each operation reallocates a live id \
      (--realloc-percent), else allocates a new id (--alloc-percent) or frees a random live one.
      """)
  @Option(help: "The seed.") var seed: UInt64
  @Option(help: "Operations.") var ops: Int
  @Option(help: "Smallest size in bytes.") var minBytes = 1
  @Option(help: "Largest size in bytes.") var maxBytes = 4096
  @Option(help: "Of the operations that are not reallocs, the percentage that allocate.") var allocPercent =
    60
  @Option(help: "The percentage of operations that reallocate a live id.") var reallocPercent = 0
  @Option(help: "How sizes are drawn: uniform, exponential (log-uniform) or powers (of two).")
  var sizes: TraceGenerator.Sizes = .uniform
  @Option(help: "At most this many ids live at once (frees when reached).") var maxLive: Int?
  @Option(help: "Write this format: rep (default) or ostep (no reallocs).") var format: Trace.Format = .rep

  func run() throws {
    guard format != .mtrace else { throw ValidationError("--format: generate writes rep or ostep") }
    var generator = TraceGenerator(seed: seed, operations: ops)
    generator.minBytes = minBytes
    generator.maxBytes = maxBytes
    generator.allocPercent = allocPercent
    generator.reallocPercent = reallocPercent
    generator.sizes = sizes
    generator.maxLive = maxLive
    do {
      let trace = try generator.generate()
      if format == .rep {
        Output.write(trace.repText)
      } else {
        do {
          Output.reply(try trace.ostepText())
        } catch {
          Output.error("memallook: \(error.message)")
          throw ExitCode(Status.usage)
        }
      }
    } catch let error as CommandError {
      Output.error("memallook: \(error.message.replacingOccurrences(of: "invalid ", with: "invalid --"))")
      throw ExitCode(Status.usage)
    }
  }
}
