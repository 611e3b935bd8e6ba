import Foundation
import Testing

/// `memallook record` on a C program built here with known calls, on a real program, and on bad input.
@Suite(.serialized) struct RecordTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("Recorder")

  /// `Tests/Recorder/recorded_program.c`, built with the system's C compiler (allocations not folded away).
  static func program() throws -> String {
    let folder = try Memallook.temporaryFolder()
    let binary = folder.appendingPathComponent("recorded_program").path
    let built = try Memallook.run(shell: [
      "cc", "-std=c11", "-O1", "-fno-builtin", "-pthread", "-o", binary,
      fixtures.appendingPathComponent("recorded_program.c").path,
    ])
    try #require(built.status == 0, "cc failed")
    return binary
  }

  /// The trace's header numbers and its body lines.
  static func read(_ path: String) throws -> (header: [Int], body: [Substring]) {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false)
    let header = lines.prefix(4).map { Int($0.trimmingCharacters(in: .whitespaces)) ?? -1 }
    return (header, Array(lines.dropFirst(4).dropLast()))
  }

  @Test func aProgramsCallsAreRecordedOpByOp() throws {
    let program = try Self.program()
    let trace = try Memallook.temporaryFolder().appendingPathComponent("p.rep").path
    let result = try Memallook.run(["record", "-o", trace, "--", program])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("recorded ") && result.stdout.hasSuffix("exit status 0: \(trace)\n"))
    let (header, body) = try Self.read(trace)
    #expect(header[2] == body.count, "the header counts the operations")
    // Phase 1, exactly: free(NULL), realloc(NULL, n), realloc(p, 0), calloc, posix_memalign,
    // aligned_alloc, malloc(0), memalign, valloc, reallocarray, strdup, pvalloc.
    let expected = try String(
      contentsOf: Self.fixtures.appendingPathComponent("expected.txt"), encoding: .utf8
    )
    .split(separator: "\n")
    #expect(Array(body.prefix(expected.count)) == expected)
    // Two threads: every one of their operations, each thread's sizes in its own range.
    for base in [10_000, 20_000] {
      let sizes = body.compactMap { line -> Int? in
        let words = line.split(separator: " ")
        guard words.first == "a" || words.first == "r", let size = Int(words[2]) else { return nil }
        return (base..<base + 1000).contains(size) ? size : nil
      }
      #expect(sizes.count > 100_000, "thread \(base / 10_000)")
    }
    // The fork child (77777) and the exec'd grandchild (55555) are not recorded; the parent after fork is.
    #expect(!body.contains { $0.hasSuffix(" 77777") || $0.hasSuffix(" 55555") })
    #expect(body.contains { $0.hasSuffix(" 33333") })
    // The recorded order is valid: it replays, read as it is (malloc(0) is a 1-byte block).
    let replayed = try Memallook.run(["replay", trace, "--json", "--pages", "100000000"])
    #expect(replayed.status == 0, "\(replayed.stderr)")
    #expect(replayed.stdout.contains("\"skippedFrees\":0"))
    #expect(replayed.stdout.contains("\"zeroSizes\":1"))
  }

  @Test(arguments: [("segv", 139), ("abort", 134)])
  func aCrashKeepsTheTraceUpToIt(mode: String, status: Int32) throws {
    let program = try Self.program()
    let trace = try Memallook.temporaryFolder().appendingPathComponent("crash.rep").path
    let result = try Memallook.run(["record", "-o", trace, "--", program, mode, "1000"])
    #expect(result.status == status, "128 + the signal")
    let (header, body) = try Self.read(trace)
    #expect(body.count == 30 + 1000 && header[2] == body.count)
    #expect(body.suffix(1000).allSatisfy { $0.hasPrefix("a ") && $0.hasSuffix(" 4242") })
  }

  @Test func aRealProgramIsRecordedAndReplays() throws {
    let trace = try Memallook.temporaryFolder().appendingPathComponent("py.rep").path
    let result = try Memallook.run([
      "record", "-o", trace, "--", "python3", "-c", "d = {i: str(i) for i in range(20000)}; print(len(d))",
    ])
    #expect(result.status == 0 && result.stdout.hasPrefix("20000\nrecorded "), "\(result.stderr)")
    let compared = try Memallook.run(["compare", trace])
    #expect(compared.status == 0, "\(compared.stderr)")
  }

  @Test func badInputSaysWhatAndRunsNothing() throws {
    let folder = try Memallook.temporaryFolder()
    let existing = folder.appendingPathComponent("there.rep").path
    FileManager.default.createFile(atPath: existing, contents: Data("keep".utf8))
    let notExecutable = folder.appendingPathComponent("script").path
    FileManager.default.createFile(
      atPath: notExecutable, contents: Data("echo hi\n".utf8), attributes: [.posixPermissions: 0o600])
    for (arguments, status, message) in [
      (["record"], Int32(64), "record needs a command to run"),
      (["record", "--", "no-such-command-here"], 127, "no-such-command-here: command not found"),
      (["record", "--", notExecutable], 126, "memallook: \(notExecutable): "),
      (
        ["record", "-o", "/nonexistent/x.rep", "--", "true"], 73, "cannot create a trace file in /nonexistent"
      ),
      (["record", "-o", existing, "--", "true"], 64, "there.rep exists; --force replaces it"),
    ] {
      let result = try Memallook.run(arguments)
      #expect(result.status == status, "\(arguments)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }
    #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep")
    #expect(try Memallook.run(["record", "-o", existing, "--force", "--", "true"]).status == 0)
  }
}
