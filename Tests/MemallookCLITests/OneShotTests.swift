import Foundation
import MemallookCore
import Testing

@Suite struct OneShotTests {
  @Test func stateLivesInTheFileBetweenInvocations() throws {
    let state = try Memallook.temporaryStatePath()
    #expect(try Memallook.run(["16", "64", "--state", state]).status == 0)
    #expect(try Memallook.run(["alloc", "16", "--state", state]).stdout == "ok, tag = \"1\"\n")
    #expect(try Memallook.run(["alloc", "M=32", "--state", state]).stdout == "ok, tag = \"2\"\n")
    let shown = try Memallook.run(["show", "--state", state])
    #expect(shown.stdout.hasPrefix("122.............\n"))
  }

  @Test func theEnvironmentVariableNamesTheStateFile() throws {
    let state = try Memallook.temporaryStatePath()
    let environment = ["MEMALLOOK_STATE": state]
    #expect(try Memallook.run(["new", "p=8", "N=4"], environment: environment).status == 0)
    #expect(try Memallook.run(["alloc", "8"], environment: environment).stdout == "ok, tag = \"1\"\n")
    #expect(FileManager.default.fileExists(atPath: state))
  }

  @Test func theDefaultStateFileIsUnderXDGStateHome() throws {
    let home = try Memallook.temporaryFolder()
    let environment = ["XDG_STATE_HOME": home.path]
    #expect(try Memallook.run(["16", "64"], environment: environment).status == 0)
    #expect(FileManager.default.fileExists(atPath: home.path + "/memallook/heap.json"))
  }

  /// Whatever the umask, the folders made for the state file are the user's alone.
  @Test func theFoldersMadeForTheStateFileAre0700() throws {
    let home = try Memallook.temporaryFolder()
    let made = try Memallook.run(
      shell: ["sh", "-c", "umask 002; XDG_STATE_HOME=\(home.path)/a/b \(Memallook.binary.path) 16 64"])
    #expect(made.status == 0, "\(made.stderr)")
    for folder in ["a", "a/b", "a/b/memallook"] {
      let mode = try FileManager.default.attributesOfItem(atPath: home.path + "/" + folder)[.posixPermissions]
      #expect(mode as? Int == 0o700, "\(folder)")
    }
  }

  @Test func fiftyParallelInvocationsGetFiftyDistinctTagsAndLoseNone() throws {
    let state = try Memallook.temporaryStatePath()
    #expect(try Memallook.run(["1", "1000", "--state", state]).status == 0)
    let tags = ResultCollector()
    DispatchQueue.concurrentPerform(iterations: 50) { _ in
      let result = try? Memallook.run(["alloc", "1", "--state", state])
      tags.add(result?.stdout ?? "failed")
    }
    let replies = tags.values
    #expect(Set(replies).count == 50)
    #expect(replies.allSatisfy { $0.hasPrefix("ok, tag = ") })
    let shown = try Memallook.run(["show", "--state", state]).stdout
    #expect(shown.components(separatedBy: ": 1 byte\n").count - 1 == 50)
  }

  @Test(arguments: [
    (["alloc", "0"], "memallook: M must be a positive whole number of bytes, not \"0\"\n"),
    (["alloc", "-5"], "memallook: M must be a positive whole number of bytes, not \"-5\"\n"),
    (["alloc", "1.5"], "memallook: M must be a positive whole number of bytes, not \"1.5\"\n"),
    (["alloc", "abc"], "memallook: M must be a positive whole number of bytes, not \"abc\"\n"),
    (["new", "0", "10"], "memallook: p must be a positive whole number of bytes per page, not \"0\"\n"),
    (["0", "10"], "memallook: p must be a positive whole number of bytes per page, not \"0\"\n"),
    (["new", "16", "-3"], "memallook: N must be a positive whole number of pages, not \"-3\"\n"),
    (
      ["new", "1024", "18014398509481984"],
      "heap too large: 1024 bytes * 18014398509481984 pages overflows a 64-bit size\n"
    ),
  ])
  func badInputIsAUsageErrorAndChangesNothing(arguments: [String], message: String) throws {
    let state = try Memallook.temporaryStatePath()
    let result = try Memallook.run(arguments + ["--state", state])
    #expect(result.status == 64)
    #expect(result.stderr == message)
    #expect(result.stdout == "")
    #expect(!FileManager.default.fileExists(atPath: state))
  }

  @Test func aMissingParameterIsAUsageErrorNamingIt() throws {
    let result = try Memallook.run(["alloc", "--state", try Memallook.temporaryStatePath()])
    #expect(result.status == 64)
    #expect(result.stderr.hasPrefix("Error: Missing expected argument '<bytes>'"))
  }

  @Test func refusedOperationsExitOneWithTheReasonOnStderr() throws {
    let state = try Memallook.temporaryStatePath()
    let before = try Memallook.run(["alloc", "16", "--state", state])
    #expect(before.status == 1)
    #expect(before.stderr == "no heap: run NEW p N first\n")
    _ = try Memallook.run(["16", "4", "--state", state])
    let tooBig = try Memallook.run(["alloc", "100", "--state", state])
    #expect(tooBig.status == 1)
    #expect(tooBig.stdout == "")
    #expect(
      tooBig.stderr == "allocation failed\n  100 bytes need 7 pages; 4 pages free, longest free run 4 pages\n"
    )
    let unknown = try Memallook.run(["dealloc", "99", "--state", state])
    #expect(unknown.status == 1)
    #expect(unknown.stderr == "deallocation failed, unknown tag\n  no live allocation has tag \"99\"\n")
  }

  @Test func aCorruptStateFileIsAnErrorAndIsNeverOverwritten() throws {
    let state = try Memallook.temporaryStatePath()
    _ = try Memallook.run(["16", "64", "--state", state])
    let good = try String(contentsOfFile: state, encoding: .utf8)
    let corrupt = good.replacingOccurrences(of: "\"pageSize\":16", with: "\"pageSize\":-16")
    #expect(corrupt != good)
    try corrupt.write(toFile: state, atomically: true, encoding: .utf8)
    let result = try Memallook.run(["alloc", "16", "--state", state])
    #expect(result.status == 2)
    #expect(result.stderr.contains("is corrupt"))
    #expect(try String(contentsOfFile: state, encoding: .utf8) == corrupt)
  }

  /// SHOW reads the heap only: a history that does not replay does not hide the heap, and
  /// the commands that use the history still refuse the file, which nothing rewrites.
  @Test func showLoadsNoHistoryAndTheCommandsThatUseItStillRefuseABrokenOne() throws {
    let state = try Memallook.temporaryStatePath()
    _ = try Memallook.run(["16", "64", "--state", state])
    _ = try Memallook.run(["alloc", "40", "--state", state])
    let good = try String(contentsOfFile: state, encoding: .utf8)
    // The first change allocated tag 1 at page 0: say it was at page 1.
    let broken = good.replacingOccurrences(
      of: #""changes":[0,1,0,0,0,1,40,0,"#, with: #""changes":[0,1,0,0,0,1,40,1,"#)
    #expect(broken != good)
    try broken.write(toFile: state, atomically: true, encoding: .utf8)
    let shown = try Memallook.run(["show", "--state", state])
    #expect(shown.status == 0)
    #expect(shown.stdout.hasPrefix("111............."))
    for words in [["alloc", "16"], ["undo"], ["history"]] {
      let refused = try Memallook.run(words + ["--state", state])
      #expect(refused.status == 2, "\(words)")
      #expect(refused.stderr.contains("is corrupt"), "\(words)")
    }
    #expect(try String(contentsOfFile: state, encoding: .utf8) == broken)
  }

  @Test func aForeignFileIsRefusedUntilClearForce() throws {
    let state = try Memallook.temporaryStatePath()
    try "my shopping list\n".write(toFile: state, atomically: true, encoding: .utf8)
    let result = try Memallook.run(["show", "--state", state])
    #expect(result.status == 2)
    #expect(result.stderr.contains("is not a memallook state file; left untouched"))
    #expect(try String(contentsOfFile: state, encoding: .utf8) == "my shopping list\n")
    #expect(try Memallook.run(["clear", "--state", state]).status == 2)
    #expect(try Memallook.run(["clear", "--force", "--state", state]).status == 0)
    #expect(try Memallook.run(["16", "64", "--state", state]).status == 0)
  }

  @Test func clearForgetsTheHeapAndNewStartsAgain() throws {
    let state = try Memallook.temporaryStatePath()
    _ = try Memallook.run(["16", "64", "--state", state])
    _ = try Memallook.run(["alloc", "16", "--state", state])
    #expect(try Memallook.run(["clear", "--state", state]).stdout == "ok, heap cleared\n")
    #expect(try Memallook.run(["show", "--state", state]).status == 1)
    _ = try Memallook.run(["16", "64", "--state", state])
    #expect(try Memallook.run(["alloc", "16", "--state", state]).stdout == "ok, tag = \"1\"\n")
  }

  @Test func anImpossiblePortIsAUsageError() throws {
    let tooLarge = try Memallook.run(["serve", "--port", "99999"])
    #expect(tooLarge.status == 64)
    #expect(tooLarge.stderr == "memallook: port must be 0 (any free port) to 65535, not 99999\n")
    #expect(
      try Memallook.run(["serve", "--port", "-1"]).status == 64, "ArgumentParser refuses it as an option")
  }

  @Test func aScriptWithASyntaxErrorSaysWhereAndGoesOn() throws {
    let result = try Memallook.run(["run", "-"], input: "NEW 16 64\nALLOC lots\nALLOC 16\n")
    #expect(result.status == 64)
    #expect(result.stderr.contains("-:2:7: M must be a positive whole number of bytes, not \"lots\""))
    #expect(result.stdout.hasSuffix("ok, tag = \"1\"\n"))
  }

  @Test(arguments: [
    ["--state", "STATE", "alloc", "16"],
    ["--state=STATE", "alloc", "16"],
    ["alloc", "16", "--state", "STATE"],
    ["alloc", "--state=STATE", "M=16"],
    ["--state", "STATE", "alloc", "--", "16"],
  ])
  func theStateOptionWorksWherePeoplePutIt(arguments: [String]) throws {
    let state = try Memallook.temporaryStatePath()
    #expect(try Memallook.run(["--state=\(state)", "16", "64"]).status == 0)
    let result = try Memallook.run(arguments.map { $0.replacingOccurrences(of: "STATE", with: state) })
    #expect(result.stdout == "ok, tag = \"1\"\n")
  }

  @Test(arguments: [
    ["16", "64", "--policy", "best"],
    ["--policy", "best", "16", "64"],
    ["new", "16", "64", "best"],
    ["new", "p=16", "N=64", "policy=best"],
    ["new", "--policy=best", "16", "64"],
  ])
  func thePolicyCanBeAnOptionOrAWord(arguments: [String]) throws {
    let state = try Memallook.temporaryStatePath()
    #expect(try Memallook.run(arguments + ["--state", state]).status == 0)
    #expect(try Memallook.run(["stats", "--state", state]).stdout.contains("64 pages of 16 bytes, best fit"))
  }

  @Test func everyAliasOfTheCommandLanguageIsASubcommand() throws {
    let state = try Memallook.temporaryStatePath()
    _ = try Memallook.run(["16", "64", "--state", state])
    _ = try Memallook.run(["alloc", "16", "--state", state])
    #expect(try Memallook.run(["free", "1", "--state", state]).stdout == "deallocation succeeded\n")
    #expect(try Memallook.run(["reset", "--state", state]).stdout == "ok, heap cleared\n")
  }

  @Test func unknownSubcommandsGetTheRootUsageAndVersionIsKnown() throws {
    let unknown = try Memallook.run(["frob"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("Unexpected argument 'frob'"))
    #expect(unknown.stderr.contains("Usage: memallook <subcommand>"))
    let version = try Memallook.run(["--version"])
    #expect(version.status == 0 && version.stdout.first?.isNumber == true)
  }

  @Test func theManualGeneratorGetsTheRootCommand() throws {
    let dump = try Memallook.run(["--experimental-dump-help"]).stdout
    #expect(dump.contains("\"commandName\" : \"memallook\""))
    #expect(dump.contains("\"commandName\" : \"realloc\""))
  }

  @Test func helpNamesTheParameters() throws {
    #expect(try Memallook.run(["alloc", "--help"]).stdout.contains("USAGE: memallook alloc <bytes>"))
    #expect(try Memallook.run(["dealloc", "--help"]).stdout.contains("<tag>"))
    #expect(try Memallook.run(["new", "--help"]).stdout.contains("<p> <N> [<policy>]"))
  }

  @Test func aScriptWithWindowsLineEndsRuns() throws {
    let result = try Memallook.run(
      ["run", "-", "--seed", "1"], input: "NEW 16 64\r\nALLOC 16\r\nSHOW 16\r\n")
    #expect(result.status == 0)
    #expect(result.stdout.contains("ok, tag = \"1\"\n\n1..............."))
  }

  @Test func clearForceOnAnUnreadableFileSaysItReplacedIt() throws {
    let state = try Memallook.temporaryStatePath()
    try "my shopping list\n".write(toFile: state, atomically: true, encoding: .utf8)
    let result = try Memallook.run(["clear", "--force", "--state", state])
    #expect(result.status == 0)
    #expect(result.stdout == "ok, heap cleared\n")
    #expect(result.stderr == "  the unreadable state file was replaced by an empty one\n")
    #expect(
      try Memallook.run(["clear", "--force", "--state", state]).stdout == "ok, there was no heap to clear\n")
  }

  @Test func theHistoryLivesInTheStateFileAcrossInvocations() throws {
    let state = try Memallook.temporaryStatePath()
    for words in [["16", "64"], ["alloc", "16"], ["alloc", "32"], ["dealloc", "1"], ["defrag"]] {
      #expect(try Memallook.run(words + ["--state", state]).status == 0)
    }
    #expect(try Memallook.run(["undo", "2", "--state", state]).stdout == "ok, at step 2 of 4\n")
    #expect(try Memallook.run(["show", "--state", state]).stdout.hasPrefix("122............."))
    #expect(try Memallook.run(["redo", "--state", state]).stdout == "ok, at step 3 of 4\n")
    #expect(try Memallook.run(["show", "--state", state]).stdout.hasPrefix(".22............."))
    let history = try Memallook.run(["history", "--state", state]).stdout
    #expect(history.contains("> 3  DEALLOC 1") && history.contains("~ 4  DEFRAG"))
    #expect(try Memallook.run(["goto", "0", "--state", state]).stdout == "ok, at step 0 of 4\n")
    let outside = try Memallook.run(["goto", "9", "--state", state])
    #expect(outside.status == 1 && outside.stderr == "no step 9: the history has steps 0 to 4\n")
    #expect(try Memallook.run(["redo", "9", "--state", state]).stdout == "ok, at step 4 of 4\n")
    #expect(try Memallook.run(["redo", "--state", state]).stdout == "nothing to redo\n")
  }

  @Test func aStateFileFromBeforeHistoriesLoadsWithAnEmptyOne() throws {
    let state = try Memallook.temporaryStatePath()
    let old =
      #"{"format":"memallook-state","session":{"heap":{"allocations":[{"bytes":16,"firstPage":0,"glyph":"1","pageCount":1,"tag":1}],"failedAllocations":0,"id":"HEAP-123","nextFitCursor":1,"nextTag":2,"pageCount":64,"pageSize":16,"peakPagesInUse":1,"policy":"first"},"random":7},"version":1}"#
    try old.write(toFile: state, atomically: true, encoding: .utf8)
    #expect(try Memallook.run(["undo", "--state", state]).stdout == "nothing to undo\n")
    #expect(try Memallook.run(["alloc", "16", "--state", state]).stdout == "ok, tag = \"2\"\n")
    #expect(try Memallook.run(["undo", "--state", state]).stdout == "ok, at step 0 of 1\n")
  }
}

final class ResultCollector: @unchecked Sendable {
  private let lock = NSLock()
  private var collected: [String] = []
  func add(_ value: String) { lock.withLock { collected.append(value) } }
  var values: [String] { lock.withLock { collected } }
}

/// The one-shot subcommands are the command table's rows offered on the command line.
@Suite struct OneShotTableTests {
  /// `memallook --help` lists a subcommand (with its aliases) for every row offered as one.
  @Test func everyOneShotRowIsASubcommandWithItsAliases() throws {
    let help = try Memallook.run(["--help"]).stdout
    // "  dealloc, free           Free the ..." → ["dealloc", "free"]
    let listed: [Set<String>] = help.split(separator: "\n").compactMap { line in
      guard line.hasPrefix("  "), line.dropFirst(2).first?.isLetter == true else { return nil }
      let names = line.dropFirst(2).components(separatedBy: "  ")[0]
      return Set(names.components(separatedBy: ", "))
    }
    for row in CommandTable.rows(for: .oneShot) {
      let names = Set(row.names.map { $0.lowercased() })
      #expect(
        listed.contains(names), "\(row.keyword): \(names) in \(listed)")
    }
  }

  @Test func policyNamesReadAsTheLanguageReadsThem() throws {
    let state = try Memallook.temporaryStatePath()
    #expect(try Memallook.run(["16", "64", "--policy", "best-fit", "--state", state]).status == 0)
    #expect(
      try Memallook.run(["policy", "Worst_Fit", "--state", state]).stdout == "ok, policy = worst fit\n")
    let folder = try Memallook.temporaryFolder()
    let trace = folder.appendingPathComponent("t.rep").path
    try "+10,-0,+20".write(toFile: trace, atomically: true, encoding: .utf8)
    let replayed = try Memallook.run(["replay", trace, "--policy", "best-fit"])
    #expect(replayed.stdout.contains("with best fit"), "\(replayed.stderr)")
    #expect(try Memallook.run(["compare", trace, "--policies", "best-fit,buddy"]).status == 0)
  }
}

extension OneShotTableTests {
  /// The debug binary checks its list of options that take a value against the declared
  /// options the first time it reads one (an assertion: a drift is a crash here).
  @Test func theOptionsThatTakeAValueAreTheDeclaredOnes() throws {
    let state = try Memallook.temporaryStatePath()
    let result = try Memallook.run(["--state", state, "stats"])
    #expect(result.status == 1, "no heap yet: \(result.stderr)")
    #expect(result.stderr.hasPrefix("no heap"))
  }
}
