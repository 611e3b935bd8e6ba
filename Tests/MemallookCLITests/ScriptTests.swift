import Foundation
import Testing

/// `memallook run`: scripts read as bytes, output buffered but in the order a user reads it.
@Suite struct ScriptTests {
  /// With stdout and stderr one file (`2>&1`, a terminal), each detail follows its reply.
  @Test func detailsFollowTheirRepliesWhenBothStreamsAreOneFile() throws {
    let result = try Memallook.run(
      ["run", "-", "--seed", "1"], input: "NEW 16 64\nALLOC 16\nALLOC x\nALLOC 2000\nDEALLOC 1\n",
      mergeOutput: true)
    #expect(result.status == 64)
    let heap = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("  heap ") })
    #expect(
      result.stdout == """
        ok, buffer of size 1024 bytes created
        \(heap)

        ok, tag = "1"
          1 page from page 0
        -:3:7: M must be a positive whole number of bytes, not "x"

        allocation failed
          2000 bytes need 125 pages; 63 pages free, longest free run 63 pages

        deallocation succeeded
          tag 1: 1 page freed from page 0

        """)
  }

  @Test func aLineThatIsNotASCIIIsAnErrorThatSaysSoAndTheScriptGoesOn() throws {
    let result = try Memallook.run(
      ["run", "-"], input: "NEW 16 64\nALLOC\u{A0}16\nALLOC 16 # 16 octets, café\nALLOC 8\n")
    #expect(result.status == 64)
    #expect(
      result.stderr.contains(
        """
        -:2:6: non-ASCII character U+00A0: the command language is ASCII
        -:3:26: non-ASCII character U+00E9: the command language is ASCII
        """))
    #expect(result.stdout.hasSuffix("\n\nok, tag = \"1\"\n"))
  }

  @Test func aLineOverTheLimitIsAnErrorAndTheNextLinesRun() throws {
    let long = String(repeating: "x", count: 70_000)
    let result = try Memallook.run(["run", "-"], input: "NEW 16 64\n\(long)\nALLOC 16\nALLOC x\n")
    #expect(result.status == 64)
    #expect(result.stderr.contains("-:2: line longer than 65536 bytes\n"))
    #expect(result.stderr.contains("-:4:7: M must be"))
    #expect(result.stdout.hasSuffix("ok, tag = \"1\"\n"))
  }

  /// A program (or a person) feeding a script line by line gets each reply before it sends
  /// the next line: output is flushed before `run` waits for input.
  @Test func eachReplyComesBeforeTheNextLineIsSent() throws {
    let process = Process()
    process.executableURL = Memallook.binary
    process.arguments = ["run", "-"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer { if process.isRunning { process.terminate() } }
    var seen = ""
    for (line, reply) in [("NEW 16 64", "created"), ("ALLOC 16", "ok, tag = \"1\"")] {
      input.fileHandleForWriting.write(Data((line + "\n").utf8))
      let deadline = Date().addingTimeInterval(20)
      while !seen.contains(reply), Date() < deadline {
        var descriptor = pollfd(
          fd: output.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 100) > 0 else { continue }
        seen += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
      }
      #expect(seen.contains(reply), "no reply to \(line) while the input is still open")
    }
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
  }
}
