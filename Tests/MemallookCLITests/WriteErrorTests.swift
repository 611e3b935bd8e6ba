import Foundation
import Testing

/// Output that cannot be written is an error (exit 74, said where it can be), never a trap;
/// a change already saved stands. Files written whole never replace what is not a regular file.
@Suite struct WriteErrorTests {
  /// Runs `command` (the binary's path is `$M`) in sh: what reached stdout and stderr, and
  /// the status sh printed last (on a descriptor of its own, so the command's can be closed).
  static func shell(_ command: String) throws -> (output: String, status: Int32) {
    let result = try Memallook.run(shell: [
      "sh", "-c", "M=\(Memallook.binary.path); \(command); echo \"status $?\"",
    ])
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let status = lines.last { $0.hasPrefix("status ") }.flatMap { Int32($0.dropFirst(7)) } ?? -1
    return (result.stdout + result.stderr, status)
  }

  @Test(arguments: [
    "$M generate --seed 1 --ops 10 > /dev/full",
    "$M replay - < /dev/null > /dev/full",
    "printf '+5,-0' | $M compare - > /dev/full",
    "printf 'NEW 16 64\\nSHOW\\n' | $M run - > /dev/full",
    "$M --version > /dev/full",
  ])
  func aFullDiskIsExit74WithAMessage(command: String) throws {
    let (output, status) = try Self.shell(command)
    #expect(status == 74 || (command.contains("replay -") && status == 64), "\(command): \(output)")
    if status == 74 { #expect(output.contains("cannot write to standard output: No space left on device")) }
  }

  @Test func aClosedStdoutOrStderrIsExit74AndTheChangeIsSaved() throws {
    let state = try Memallook.temporaryStatePath()
    #expect(try Memallook.run(["16", "64", "--state", state]).status == 0)
    #expect(
      try Self.shell("$M --state \(state) alloc 8 2>&-").status == 74, "the detail could not be written")
    #expect(try Self.shell("$M --state \(state) alloc 8 >&-").status == 74)
    let shown = try Memallook.run(["show", "--state", state])
    #expect(shown.stdout.hasPrefix("12.............."), "both ALLOCs were saved: \(shown.stdout)")
    let (output, status) = try Self.shell("$M --state \(state) history --rep >&-")
    #expect(
      status == 74 && output.contains("cannot write to standard output: Bad file descriptor"), "\(output)")
  }

  @Test func aClosedPipeEndsTheProgramQuietly() throws {
    let (output, status) = try Self.shell("$M generate --seed 1 --ops 200000 2>&1 | head -c 4 >/dev/null")
    #expect(status == 0 && output == "status 0\n", "head's status; nothing said: \(output)")
  }

  @Test func theChartIsWrittenInPlaceToWhatIsNotARegularFile() throws {
    let folder = try Memallook.temporaryFolder()
    let trace = folder.appendingPathComponent("t.rep").path
    try "+5,+9,-0".write(toFile: trace, atomically: true, encoding: .utf8)
    // A FIFO stays a FIFO: the chart goes through it.
    let fifo = folder.appendingPathComponent("fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let copy = folder.appendingPathComponent("copy.svg").path
    let (_, status) = try Self.shell(
      "cat \(fifo) > \(copy) & $M compare \(trace) --svg \(fifo) >/dev/null; wait")
    #expect(status == 0)
    var information = stat()
    #expect(stat(fifo, &information) == 0 && information.st_mode & S_IFMT == S_IFIFO)
    #expect(try String(contentsOfFile: copy, encoding: .utf8).hasPrefix("<svg"))
    // A device that cannot take it: an error, and the device is still one.
    let full = try Self.shell("$M compare \(trace) --svg /dev/full 2>&1")
    #expect(full.status == 73 && full.output.contains("cannot write /dev/full: No space left on device"))
    #expect(stat("/dev/full", &information) == 0 && information.st_mode & S_IFMT == S_IFCHR)
    // `-` is standard output, and a regular file is replaced.
    let piped = try Memallook.run(["compare", trace, "--svg", "-"])
    #expect(piped.status == 0 && piped.stdout.hasPrefix("<svg"))
    let file = folder.appendingPathComponent("chart.svg").path
    try "old".write(toFile: file, atomically: true, encoding: .utf8)
    #expect(try Memallook.run(["compare", trace, "--svg", file]).status == 0)
    #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("<svg"))
  }

  /// The last tag a state file can hold is given, then ALLOC is refused: the file stays readable.
  @Test func theLastTagIsGivenThenAllocIsRefused() throws {
    let state = try Memallook.temporaryStatePath()
    #expect(try Memallook.run(["16", "64", "--state", state]).status == 0)
    let text = try String(contentsOfFile: state, encoding: .utf8)
    try text.replacingOccurrences(of: "\"nextTag\":1,", with: "\"nextTag\":9007199254740991,")
      .write(toFile: state, atomically: true, encoding: .utf8)
    #expect(try Memallook.run(["alloc", "8", "--state", state]).stdout == "ok, tag = \"9007199254740991\"\n")
    let refused = try Memallook.run(["alloc", "8", "--state", state])
    #expect(refused.status == 1)
    #expect(refused.stderr.hasPrefix("allocation refused: every tag below 9007199254740992 has been given"))
    #expect(try Memallook.run(["stats", "--state", state]).status == 0, "not corrupt")
  }
}
