import Foundation
import Testing

@testable import MemallookCore

@Suite struct PersistenceTests {
  func fragmentedSession() throws -> Session {
    var session = Session(seed: 11)
    for line in ["NEW 16 64 policy=best", "ALLOC 40", "ALLOC 16", "ALLOC 100", "DEALLOC 2", "ALLOC 9999"] {
      _ = try? session.execute(line)
    }
    return session
  }

  @Test func aSessionSurvivesEncodingAndDecoding() throws {
    let session = try fragmentedSession()
    let data = try JSONEncoder().encode(session)
    var restored = try JSONDecoder().decode(Session.self, from: data)
    let heap = try #require(session.heap)
    let copy = try #require(restored.heap)
    try copy.checkInvariants()
    #expect(copy.show() == heap.show())
    #expect(copy.metrics == heap.metrics)
    #expect(copy.policy == .best)
    var original = session
    #expect(try restored.execute("ALLOC 16") == original.execute("ALLOC 16"))
  }

  @Test(
    arguments: [
      (#""firstPage":0"#, #""firstPage":62"#),  // tag 1 runs past the end
      (#""pageCount":3"#, #""pageCount":9"#),  // pages do not match bytes, and overlap
      (#""nextTag":4"#, #""nextTag":2"#),  // a tag from the future
      (#""pageSize":16"#, #""pageSize":0"#),
      // Counters that would trap on the next ALLOC, and ids that would reach a terminal raw.
      (#""nextTag":4"#, #""nextTag":0"#),
      (#""nextTag":4"#, #""nextTag":-5"#),
      (#""nextTag":4"#, #""nextTag":9223372036854775807"#),
      (#""failedAllocations":1"#, #""failedAllocations":9223372036854775807"#),
      (#""failedAllocations":1"#, #""failedAllocations":-1"#),
      (#""nextFitCursor":11"#, #""nextFitCursor":-1"#),
      (#""nextFitCursor":11"#, #""nextFitCursor":65"#),
      (#""peakPagesInUse":11"#, #""peakPagesInUse":65"#),
      (#""id":"HEAP-"#, #""id":"\u001b[2J-"#),
      (#""id":"HEAP-"#, #""id":"HEAP-1"#),
      // Bytes that would overflow the sum of bytes in use.
      (#""bytes":40"#, #""bytes":9223372036854775807"#),
    ] as [(String, String)])
  func aStoredHeapThatBreaksARuleDoesNotLoad(original: String, broken: String) throws {
    #expect(original != broken)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let text = String(decoding: try encoder.encode(try fragmentedSession()), as: UTF8.self)
    #expect(text.contains(original))
    let corrupted = text.replacingOccurrences(of: original, with: broken)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Session.self, from: Data(corrupted.utf8)) }
  }
}
