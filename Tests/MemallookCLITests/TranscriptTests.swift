import Foundation
import Testing

/// The exercise's transcripts, replayed through the built binary and compared byte for byte.
@Suite struct TranscriptTests {
  @Test(arguments: ["exercise-service", "cli-variant-defrag"])
  func aScriptReplaysItsTranscriptExactly(name: String) throws {
    let script = Memallook.transcripts.appendingPathComponent("\(name).script").path
    let expected = try String(
      contentsOf: Memallook.transcripts.appendingPathComponent("\(name).expected"), encoding: .utf8)
    let result = try Memallook.run(["run", script, "--seed", "1"])
    #expect(result.stdout == expected)
    #expect(result.status == 1, "the scripts include a refused ALLOC")
  }

  @Test func aScriptCanComeFromStandardInput() throws {
    let result = try Memallook.run(["run", "-"], input: "NEW 16 64\nALLOC 16\n")
    #expect(result.stdout == "ok, buffer of size 1024 bytes created\n\nok, tag = \"1\"\n")
    #expect(result.status == 0)
  }

  /// The command-line twin's transcripts: each `$ memallook ...` line run as a one-shot
  /// command on one state file; what the terminal shows (stdout and stderr), less the
  /// indented detail lines, must be the transcript's text.
  @Test(arguments: ["cli-variant-1", "cli-variant-2"])
  func oneShotCommandsReplayTheCommandLineTwin(name: String) throws {
    let transcript = try String(
      contentsOf: Memallook.transcripts.appendingPathComponent("\(name).transcript"), encoding: .utf8)
    let state = try Memallook.temporaryStatePath()
    var blocks = transcript.components(separatedBy: "$ memallook ").dropFirst().makeIterator()
    var count = 0
    while let block = blocks.next() {
      var lines = block.components(separatedBy: "\n")
      let arguments = lines.removeFirst().split(separator: " ").map(String.init)
      let expected = lines.joined(separator: "\n").trimmingCharacters(in: .newlines)
      let result = try Memallook.run(arguments + ["--state", state], mergeOutput: true)
      let seen = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        .filter { !$0.hasPrefix("  ") }.joined(separator: "\n").trimmingCharacters(in: .newlines)
      #expect(seen == expected, "$ memallook \(arguments.joined(separator: " "))")
      count += 1
    }
    #expect(count >= 9)
  }
}
