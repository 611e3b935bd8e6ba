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
      let opened = open(file, O_RDONLY | O_CLOEXEC)
      guard opened >= 0 else {
        Output.error("memallook: cannot read \(file): \(String(cString: strerror(errno)))")
        throw ExitCode(Status.usage)
      }
      handle = FileHandle(fileDescriptor: opened, closeOnDealloc: true)
    }
    defer { try? handle?.close() }
    let descriptor = handle?.fileDescriptor ?? STDIN_FILENO
    let status: Int32
    if let state {
      // A reader that goes away (`| head`) must not kill the run between a batch's replies
      // and its save: the write fails instead, the batch is saved, and the end is quiet
      // (`Output.finish`).
      signal(SIGPIPE, SIG_IGN)
      // The lock is held while lines are there to run, given back while the script waits
      // for more (a person typing, a program feeding it): other commands on the file go on.
      let store = StateStore.cli(path: state)
      var runner = ScriptRunner(name: file)
      while !runner.finished {
        do {
          try store.withSession(save: true) { session in
            runner.runAvailable(reading: descriptor, in: &session, stopBeforeWaiting: true)
          }
        } catch {
          Output.error("memallook: \(error)")
          throw ExitCode(Status.of(error))
        }
        if !runner.finished {
          var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
          while poll(&waiting, 1, -1) < 0, errno == EINTR {}
        }
      }
      status = runner.status
    } else {
      var session = Session(seed: seed ?? UInt64.random(in: .min ... .max))
      var runner = ScriptRunner(name: file)
      status = runner.run(reading: descriptor, in: &session)
    }
    if status != 0 { throw ExitCode(status) }
  }
}
