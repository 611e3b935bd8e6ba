import Foundation
import Testing

/// Bytes a user typed or a trace holds are quoted in messages with their control
/// characters made visible: an escape sequence in a file cannot drive the terminal.
@Suite struct ControlBytesTests {
  @Test func aTracesControlBytesAreShownEscaped() throws {
    let folder = try Memallook.temporaryFolder()
    let trace = folder.appendingPathComponent("esc.rep").path
    try "100\n2\n2\n1\na 0 16\u{1B}[31m\nf 0\n".write(toFile: trace, atomically: true, encoding: .utf8)
    let replayed = try Memallook.run(["replay", trace])
    #expect(replayed.status == 64)
    #expect(
      replayed.stderr == "\(trace):5: expected a size in bytes, a whole number, found \"16\\x1B[31m\"\n")
    let listed = try Memallook.run(["replay", "-"], input: "+5,\u{1B}[31m")
    #expect(listed.stderr == "<stdin>:1: expected +size or -index, found \"\\x1B[31m\"\n")
  }

  @Test func aScriptsControlBytesAreShownEscaped() throws {
    let ran = try Memallook.run(["run", "-"], input: "NEW 16 64\nALLOC \u{1B}]0;pwned\u{07}\n")
    #expect(ran.stderr.contains("M must be a positive whole number of bytes, not \"\\x1B]0;pwned\\x07\""))
    #expect(!ran.stderr.contains("\u{1B}"))
  }
}
