import ArgumentParser
import Foundation
import MemallookCore
import MemallookStore

/// `memallook run FILE`: every line of a script through one session, each reply printed.
struct RunScript: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run a script of commands (one per line, # comments) and print each reply.",
    discussion: """
      Replies are separated by blank lines, as in the exercise's transcripts; details and \
      errors other than the exercise's own replies go to stderr. Runs on a new in-memory \
      heap unless --state is given. Exit status: 0 when every line succeeded, 1 when an \
      operation was refused, 64 when a line did not parse.
      """)

  @Argument(help: "The script, or - for standard input.") var file: String
  @Option(help: "Run against this persisted heap instead of a new in-memory one.") var state: String?
  @Option(help: "Seed for heap ids, for reproducible output.") var seed: UInt64?

  func run() throws {
    var handle: FileHandle?
    if file != "-" {
      do {
        handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
      } catch {
        Output.error("memallook: cannot read \(file): \(error.localizedDescription)")
        throw ExitCode(Status.usage)
      }
    }
    defer { try? handle?.close() }
    let descriptor = handle?.fileDescriptor ?? STDIN_FILENO
    let status: Int32
    if let state {
      do {
        status = try StateStore(path: state).withSession(save: true) { session in
          var runner = ScriptRunner(name: file)
          return runner.run(reading: descriptor, in: &session)
        }
      } catch {
        Output.error("memallook: \(error)")
        throw ExitCode(Status.stateFile)
      }
    } else {
      var session = Session(seed: seed ?? UInt64.random(in: .min ... .max))
      var runner = ScriptRunner(name: file)
      status = runner.run(reading: descriptor, in: &session)
    }
    if status != 0 { throw ExitCode(status) }
  }
}
