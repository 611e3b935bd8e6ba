import Foundation
import Testing

@testable import MemallookCore

/// The fuzzers' properties as seeded tests that run with every `swift test`:
/// no line of input and no stored session may trap, and what loads keeps the invariants.
@Suite struct RandomInputTests {
  static let words = [
    "NEW", "ALLOC", "DEALLOC", "FREE", "SHOW", "DEFRAG", "POLICY", "STATS", "RESET", "HELP", "QUIT", "p=",
    "N=",
    "M=", "tag=", "width=", "moves=", "policy=", "best", "next", "worst", "first", "0", "1", "2", "16", "64",
    "-1", "+1", "01", "1e3", "1.5", "9223372036854775807", "9223372036854775808", "4611686018427387904",
    "144115188075855872", "1024", "1025", "#", "=", "\t", "漢字", "\u{1b}[2J", "\r", "\0",
  ]

  @Test(arguments: [1, 2, 3, 4] as [UInt64])
  func randomLinesNeverTrapAndKeepTheInvariants(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    var session = Session(seed: seed)
    for _ in 0..<3_000 {
      var line = ""
      for _ in 0..<Int(random.next(upperBound: 5 as UInt64)) {
        let word = Self.words[Int(random.next(upperBound: UInt64(Self.words.count)))]
        line += word + (random.next(upperBound: 3 as UInt64) == 0 ? "" : " ")
      }
      _ = try? session.execute(line)
      if let heap = session.heap {
        try heap.checkInvariants()
        _ = heap.show(width: 5)
      }
    }
  }

  @Test(arguments: [1, 2, 3] as [UInt64])
  func mutatedStoredSessionsAreRefusedOrLoadIntact(seed: UInt64) throws {
    var session = Session(seed: 11)
    for line in ["NEW 16 64 policy=best", "ALLOC 40", "ALLOC 16", "ALLOC 100", "DEALLOC 2", "ALLOC 9999"] {
      _ = try? session.execute(line)
    }
    let original = Array(try JSONEncoder().encode(session))
    for bytes in Self.mutations(of: original, replacing: "0123456789-+e.\"{}[],:9", seed: seed) {
      guard var loaded = try? JSONDecoder().decode(Session.self, from: Data(bytes)) else { continue }
      for line in ["ALLOC 1", "DEALLOC 1", "DEFRAG 1", "SHOW", "POLICY next", "ALLOC 2", "DEFRAG"] {
        _ = try? loaded.execute(line)
        try loaded.heap?.checkInvariants()
      }
    }
  }

  @Test(arguments: [1, 2, 3] as [UInt64])
  func mutatedCompactStatesAreRefusedOrLoadIntact(seed: UInt64) throws {
    var session = Session(seed: 11)
    for line in [
      "NEW 16 64 policy=best", "ALLOC 40", "ALLOC 16", "ALLOC 100", "DEALLOC 2", "ALLOC 9999", "REALLOC 3 20",
      "POLICY first", "DEFRAG 1", "UNDO",
    ] {
      _ = try? session.execute(line)
    }
    let original = StoredState.encode(session)
    for bytes in Self.mutations(of: original, replacing: "0123456789-+,:[]{}\"x 9", seed: seed) {
      guard var loaded = try? bytes.withUnsafeBufferPointer({ try StoredState.decode($0) }) else { continue }
      try loaded.heap?.checkInvariants()
      for line in [
        "ALLOC 1", "DEALLOC 1", "DEFRAG 1", "SHOW", "POLICY next", "ALLOC 2", "DEFRAG", "UNDO 3", "REDO 2",
      ] {
        _ = try? loaded.execute(line)
        try loaded.heap?.checkInvariants()
      }
    }
  }

  /// 2,000 copies of `original`, each with 1 to 4 bytes replaced by bytes of `replacements`.
  static func mutations(of original: [UInt8], replacing replacements: String, seed: UInt64) -> [[UInt8]] {
    let replacements = Array(replacements.utf8)
    var random = SplitMix64(seed: seed)
    return (0..<2_000).map { _ in
      var bytes = original
      for _ in 0...Int(random.next(upperBound: 3 as UInt64)) {
        let index = Int(random.next(upperBound: UInt64(bytes.count)))
        bytes[index] = replacements[Int(random.next(upperBound: UInt64(replacements.count)))]
      }
      return bytes
    }
  }
}
