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
    let text: String
    do {
      text =
        try file == "-"
        ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        : String(contentsOfFile: file, encoding: .utf8)
    } catch {
      Output.error("memallook: cannot read \(file): \(error.localizedDescription)")
      throw ExitCode(Status.usage)
    }
    let status: Int32
    if let state {
      do {
        status = try StateStore(path: state).withSession(save: true) { session in
          ScriptRunner(name: file).run(text, in: &session)
        }
      } catch {
        Output.error("memallook: \(error)")
        throw ExitCode(Status.stateFile)
      }
    } else {
      var session = Session(seed: seed ?? UInt64.random(in: .min ... .max))
      status = ScriptRunner(name: file).run(text, in: &session)
    }
    if status != 0 { throw ExitCode(status) }
  }
}

/// Runs script text line by line and prints as `run` does; returns the exit status.
struct ScriptRunner {
  let name: String

  func run(_ text: String, in session: inout Session) -> Int32 {
    var status: Int32 = 0
    var first = true
    // "\r\n" is one Character in Swift: a script saved with CRLF line ends splits on it too.
    let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    for (index, line) in lines.enumerated() {
      let reply: Reply?
      do {
        reply = try session.execute(String(line))
      } catch {
        if case .syntax(let parseError) = error {
          Output.error(
            "\(name):\(index + 1):\(parseError.column.map { "\($0):" } ?? "") \(parseError.message)")
          status = Status.usage
          continue
        }
        if !first { Output.reply("") }
        first = false
        Output.reply(error.message)
        Output.detail(error.detail)
        if status == 0 { status = error.isUsageError ? Status.usage : Status.refused }
        continue
      }
      guard let reply else { continue }
      if reply == .quit { break }
      if !first { Output.reply("") }
      first = false
      Output.reply(reply.text)
      Output.detail(reply.detail)
    }
    return status
  }
}
