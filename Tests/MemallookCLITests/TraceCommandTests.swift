import Foundation
import MemallookCore
import Testing

/// generate, replay, compare and history --rep through the built binary.
@Suite struct TraceCommandTests {
  static let small = "100\n3\n5\n1\na 0 16\na 1 32\nf 0\na 2 48\nr 1 64\n"

  func file(_ text: String, name: String = "t.rep") throws -> String {
    let path = try Memallook.temporaryFolder().appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func replayPrintsASummary() throws {
    let result = try Memallook.run(["replay", try file(Self.small)])
    #expect(result.status == 0)
    #expect(
      result.stdout == """
        replayed 5 operations with first fit on 12 pages of 16 bytes
        failed allocations: 0
        frees skipped (not live): 0
        pages in use: 7 (58.3%), peak 7 (58.3%)
        live allocations: 2
        free runs: 2, longest 3 pages
        external fragmentation: 40.0% at the end, 12.9% on average
        internal fragmentation: 0 bytes
        most pages in use after operation 5; worst external fragmentation after operation 5

        """)
  }

  @Test func replayReadsStandardInputAndAnOSTEPList() throws {
    let result = try Memallook.run(
      ["replay", "-", "--json", "--page-size", "1", "--pages", "10"], input: "+3,-0,+4\n")
    #expect(result.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(object?["pagesInUse"] as? Int == 4)
    #expect(object?["policy"] as? String == "first")
    #expect(object?["operations"] as? Int == 3)
    #expect(object?["timeline"] == nil)
  }

  @Test func replayWritesATimelineAsCSV() throws {
    let result = try Memallook.run(["replay", try file(Self.small), "--csv", "--timeline", "2"])
    #expect(
      result.stdout.split(separator: "\n").map(String.init) == [
        "op,failed,peakPagesInUse,pagesInUse,liveAllocations,freeRuns,longestFreeRun,externalFragmentation,internalFragmentationBytes",
        "2,0,3,3,2,1,9,0.0000,0", "4,0,5,5,2,2,6,0.1429,0",
      ])
  }

  /// A malformed trace in every mode; with `--strict`, also what real traces contain.
  @Test(arguments: [
    ("10\n2\n1\n1\nf 1\n", "t.rep:5: free of id 1, which was never allocated", true),
    ("10\n2\n1\n1\na 0 -4\n", "t.rep:5: expected a size in bytes, a whole number, found \"-4\"", false),
    (
      "10\n2\n1\n1\nq 0\n", "t.rep:5: unknown operation \"q\": expected a (alloc), f (free) or r (realloc)",
      false
    ),
    ("10\n2\n3\n1\na 0 4\n", "t.rep:3: the header declares 3 operations, the trace has 1", true),
    ("+5,-1", "t.rep:1: free of id 1, which was never allocated", true),
  ])
  func aMalformedTraceIsFileColonLineAndExit64(text: String, message: String, strictOnly: Bool) throws {
    let path = try file(text)
    for command in ["replay", "compare"] {
      if strictOnly { #expect(try Memallook.run([command, path]).status == 0, "read as it is") }
      let result = try Memallook.run([command, path] + (strictOnly ? ["--strict"] : []))
      #expect(result.status == 64)
      #expect(result.stderr == path.replacingOccurrences(of: "t.rep", with: "") + message + "\n")
      #expect(result.stdout.isEmpty, "nothing replayed")
    }
  }

  /// `replay` parses on a thread of its own, in batches: a long trace replays as `compare`
  /// (parsing on the thread that plays) replays it, and a problem past many batches is
  /// still the file's line.
  @Test func aLongTraceParsedAsideReplaysAsCompareDoesAndKeepsItsLines() throws {
    let operations = 100_000
    var text = "100\n\(operations / 2)\n\(operations)\n1\n"
    for id in 0..<operations / 2 { text += "a \(id) \(1 + id % 97)\n" }
    for id in stride(from: 0, to: operations / 2, by: 1) { text += "f \((id * 7) % (operations / 2))\n" }
    let path = try file(text)
    let replayed = try Memallook.run(["replay", path, "--json"])
    let compared = try Memallook.run(["compare", path, "--json", "--policies", "first"])
    #expect(replayed.status == 0 && compared.status == 0)
    let one = try JSONSerialization.jsonObject(with: Data(replayed.stdout.utf8)) as? [String: Any]
    let row = (try JSONSerialization.jsonObject(with: Data(compared.stdout.utf8)) as? [[String: Any]])?.first
    #expect(one?["operations"] as? Int == operations)
    #expect(NSDictionary(dictionary: one ?? [:]) == NSDictionary(dictionary: row ?? ["": 0]))

    let broken = try file(text + "a 1 -5\n", name: "broken.rep")
    for pages in [[], ["--pages", "100000"]] {
      let result = try Memallook.run(["replay", broken] + pages)
      #expect(result.status == 64)
      #expect(
        result.stderr.hasSuffix(
          "broken.rep:\(operations + 5): expected a size in bytes, a whole number, found \"-5\"\n"))
      #expect(result.stdout.isEmpty)
    }
  }

  @Test func compareTabulatesEveryPolicyAndWritesAChart() throws {
    let folder = try Memallook.temporaryFolder()
    let svg = folder.appendingPathComponent("chart.svg").path
    let result = try Memallook.run(["compare", try file(Self.small), "--svg", svg])
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "5 operations on 12 pages of 16 bytes")
    #expect(lines[1].hasPrefix("policy ") && lines[1].hasSuffix("int. frag. (bytes)"))
    // Every policy there is, in order, each named in its row and drawn twice (fragmentation, utilization).
    let titles = Policy.allCases.map(\.title)
    #expect(lines.count == 2 + titles.count)
    #expect(zip(lines.dropFirst(2), titles).allSatisfy { $0.hasPrefix($1 + " ") })
    let chart = try String(contentsOfFile: svg, encoding: .utf8)
    #expect(chart.hasPrefix("<svg "))
    #expect(chart.components(separatedBy: "<polyline").count - 1 == 2 * titles.count)
  }

  @Test func compareJSONIsOneObjectPerPolicyNamed() throws {
    let result = try Memallook.run(["compare", try file(Self.small), "--json", "--policies", "best,first"])
    let array = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
    #expect(array?.map { $0["policy"] as? String } == ["best", "first"])
    #expect(array?.allSatisfy { $0["externalFragmentation"] != nil && $0["failed"] != nil } == true)
    let bad = try Memallook.run(["compare", try file(Self.small), "--policies", "first,nearest"])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("unknown policy \"nearest\""))
  }

  @Test func theSameSeedWritesTheSameTraceAndItReplays() throws {
    let arguments = [
      "generate", "--seed", "9", "--ops", "500", "--realloc-percent", "10", "--sizes", "exponential",
    ]
    let one = try Memallook.run(arguments)
    #expect(one.status == 0)
    #expect(one.stdout == (try Memallook.run(arguments)).stdout)
    #expect(one.stdout.split(separator: "\n").count == 504)
    let replayed = try Memallook.run(["replay", "-"], input: one.stdout)
    #expect(replayed.status == 0 && replayed.stdout.hasPrefix("replayed 500 operations"))
    let bad = try Memallook.run(["generate", "--seed", "1", "--ops", "5", "--min-bytes", "0"])
    #expect(bad.status == 64 && bad.stderr.contains("invalid --min-bytes \"0\""))
  }

  /// Past 100,000 operations a terminal gets a progress bar; a file (as here) never does.
  @Test func noProgressBarWhenStderrIsNotATerminal() throws {
    let trace = try Memallook.run(["generate", "--seed", "3", "--ops", "100001", "--max-live", "100"])
    let path = try file(trace.stdout)
    let replayed = try Memallook.run(["replay", path])
    #expect(replayed.status == 0 && replayed.stdout.hasPrefix("replayed 100001 operations"))
    #expect(replayed.stderr.isEmpty)
  }

  @Test func aTypedSessionExportsAsARepTraceThatReplays() throws {
    let state = try Memallook.temporaryStatePath()
    for words in [
      ["1", "16"], ["alloc", "3"], ["alloc", "2"], ["free", "1"], ["defrag"], ["alloc", "4"],
    ] {
      #expect(try Memallook.run(words + ["--state", state]).status == 0)
    }
    let exported = try Memallook.run(["history", "--rep", "--state", state])
    #expect(exported.status == 0)
    #expect(exported.stdout == "6\n4\n4\n1\na 1 3\na 2 2\nf 1\na 3 4\n")
    #expect(exported.stderr == "memallook: 1 DEFRAG or POLICY change left out (no .rep form)\n")
    let replayed = try Memallook.run(
      ["replay", "-", "--page-size", "1", "--pages", "16", "--json"], input: exported.stdout)
    let object = try JSONSerialization.jsonObject(with: Data(replayed.stdout.utf8)) as? [String: Any]
    #expect(object?["pagesInUse"] as? Int == 6 && object?["liveAllocations"] as? Int == 2)
  }
}
