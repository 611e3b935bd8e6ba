import Foundation
import Testing

/// Paths as people type them: one letter, `/dev/stdout`, a name with control characters.
@Suite struct PathTests {
  /// Runs `command` in a fresh folder (`$M` is the binary); stdout, stderr and the status.
  static func inFolder(_ command: String) throws -> (folder: URL, result: Memallook.Result) {
    let folder = try Memallook.temporaryFolder()
    let result = try Memallook.run(shell: [
      "sh", "-c", "cd '\(folder.path)' && M='\(Memallook.binary.path)' && \(command)",
    ])
    return (folder, result)
  }

  @Test(arguments: [
    "$M --state F 16 64 && $M --state F alloc 8",
    "MEMALLOOK_STATE=H $M 16 64 && MEMALLOOK_STATE=H $M alloc 8",
  ])
  func aOneLetterStateFileWorks(command: String) throws {
    let (_, result) = try Self.inFolder(command)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasSuffix("ok, tag = \"1\"\n"))
  }

  @Test func aOneLetterChartWorks() throws {
    let (folder, result) = try Self.inFolder("printf '+5,-0' > t && $M compare t --svg a")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try String(contentsOf: folder.appendingPathComponent("a"), encoding: .utf8).hasPrefix("<svg"))
  }

  /// `/dev/stdout` is the descriptor as it is: appended to when the shell appends, and
  /// nothing but the chart on it.
  @Test(arguments: ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
  func theChartGoesToStandardOutputAsItIsOpened(path: String) throws {
    let (folder, result) = try Self.inFolder(
      "printf '+5,-0' > t && echo hello > o && $M compare t --svg \(path) >> o")
    #expect(result.status == 0, "\(result.stderr)")
    let text = try String(contentsOf: folder.appendingPathComponent("o"), encoding: .utf8)
    #expect(text.hasPrefix("hello\n<svg"), "\(text.prefix(40))")
    #expect(!text.contains("policy"), "only the chart")
  }

  @Test func aFileNamesControlCharactersAreShownEscaped() throws {
    let result = try Memallook.run(["replay", "x\u{1B}[31my.rep"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("x\\x1B[31my.rep"), "\(result.stderr)")
    #expect(!result.stderr.contains("\u{1B}"))
  }

  /// A reader that goes away does not lose what `run --state` ran: its batch is saved.
  @Test func runStateSavesWhatItRanWhenItsReaderGoesAway() throws {
    let script = "ALLOC 8\nALLOC 8\n" + String(repeating: "SHOW 1\n", count: 3000)
    let (folder, result) = try Self.inFolder(
      "printf 'NEW 16 64\\n' | $M run - --state s.json > /dev/null && printf '\(script.replacingOccurrences(of: "\n", with: "\\n"))' > s.txt && "
        + "$M run s.txt --state s.json | head -c 40 > /dev/null; $M show --state s.json")
    #expect(
      result.stdout.hasPrefix("12.............."), "both ALLOCs saved: \(result.stdout) \(result.stderr)")
    _ = folder
  }
}
