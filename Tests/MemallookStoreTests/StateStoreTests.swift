import Foundation
import MemallookCore
import MemallookRuntime
import Testing

@testable import MemallookStore

@Suite struct StateStoreTests {
  /// A new empty folder, and the state file's path in it.
  func folder() throws -> (folder: String, state: String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
      .path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return (folder, folder + "/heap.json")
  }

  func createHeap(_ store: StateStore) throws {
    try store.withSession(save: true) { session in _ = try session.execute("NEW 16 64") }
  }

  @Test func whatIsWrittenIsReadBack() throws {
    let store = StateStore(path: try folder().state)
    try createHeap(store)
    try store.withSession(save: true) { session in _ = try session.execute("ALLOC 100") }
    #expect(try store.read().heap?.allocation(tag: 1)?.pageCount == 7)
  }

  @Test func leftoversOfKilledWritersAndPlantedLinksAreRemovedAndNeverFollowed() throws {
    let (folder, state) = try folder()
    let victim = folder + "/victim"
    try "precious\n".write(toFile: victim, atomically: false, encoding: .utf8)
    // What earlier versions named their temporary file, planted as links to the victim; and a
    // real leftover of a writer killed before its rename.
    for pid in [getpid(), getpid() + 1, 4242] {
      try FileManager.default.createSymbolicLink(atPath: "\(state).tmp-\(pid)", withDestinationPath: victim)
    }
    try "half a heap".write(toFile: state + ".tmp-Ab3dE9", atomically: false, encoding: .utf8)
    let store = StateStore(path: state)
    try createHeap(store)
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    #expect(names == ["heap.json", "heap.json.lock", "victim"])
  }

  @Test func aStatePathThatIsALinkIsFollowedAndTheLinkStays() throws {
    let (folder, state) = try folder()
    try FileManager.default.createDirectory(atPath: folder + "/real", withIntermediateDirectories: true)
    let target = folder + "/real/heap.json"
    let first = StateStore(path: target)
    try createHeap(first)
    try FileManager.default.createSymbolicLink(atPath: state, withDestinationPath: target)
    let linked = StateStore(path: state)
    try linked.withSession(save: true) { session in _ = try session.execute("ALLOC 16") }
    let attributes = try FileManager.default.attributesOfItem(atPath: state)
    #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)
    #expect(try first.read().heap?.liveAllocationCount == 1, "the file behind the link changed")
  }

  @Test func aDanglingLinkIsAnErrorAndIsLeftAlone() throws {
    let (folder, state) = try folder()
    try FileManager.default.createSymbolicLink(
      atPath: state, withDestinationPath: folder + "/nowhere/heap.json")
    let store = StateStore(path: state)
    #expect { try createHeap(store) } throws: {
      ($0 as? StateFileError)?.description.contains("does not exist") == true
    }
    #expect(!FileManager.default.fileExists(atPath: folder + "/nowhere"))
  }

  @Test func aFileOverTheSizeLimitIsRefusedUnread() throws {
    let state = try folder().state
    #expect(FileManager.default.createFile(atPath: state, contents: nil))
    let handle = try #require(FileHandle(forWritingAtPath: state))
    try handle.truncate(atOffset: UInt64(StateStore.maximumFileSize + 1))  // sparse: no disk used
    try handle.close()
    let store = StateStore(path: state)
    #expect { try store.read() } throws: {
      guard case .tooLarge = $0 as? StateFileError else { return false }
      return true
    }
    #expect(
      try FileManager.default.attributesOfItem(atPath: state)[.size] as? Int == StateStore.maximumFileSize + 1
    )
  }

  @Test func theVersionChangesWithEveryWriteAndOnlyThen() throws {
    let store = StateStore(path: try folder().state)
    #expect(store.version() == nil)
    try createHeap(store)
    let created = try #require(store.version())
    try store.withSession(save: true) { session in _ = try session.execute("SHOW") }
    #expect(store.version() == created, "a read-only command writes nothing")
    let (_, after) = try store.update { session in _ = try session.execute("ALLOC 1") }
    #expect(after != created && after == store.version())
  }

  @Test func theSharedOwnerSeesWhatAnotherProcessWrote() throws {
    let state = try folder().state
    let store = StateStore(path: state)
    try createHeap(store)
    let shared = try SharedSession(storage: store)
    try StateStore(path: state).withSession(save: true) { session in _ = try session.execute("ALLOC 16") }
    #expect(try shared.current().heap?.liveAllocationCount == 1)
    try "garbage".write(toFile: state, atomically: true, encoding: .utf8)
    #expect(throws: StateFileError.self) { try shared.current() }
  }

  /// Files of the older format (version 1) load, and are written in the compact format the
  /// next time the state changes; reading alone leaves them as they are.
  @Test func anOlderFileLoadsAndIsConvertedAtTheNextChange() throws {
    let state = try folder().state
    let store = StateStore(path: state)
    var session = Session(seed: 5)
    _ = try session.execute("NEW 16 64")
    _ = try session.execute("ALLOC 16")
    let older = try LegacyStateFile.encode(session)
    #expect(String(decoding: older, as: UTF8.self).hasPrefix(#"{"format":"memallook-state","session":"#))
    try older.write(to: URL(fileURLWithPath: state))
    #expect(try store.read().heap?.liveAllocationCount == 1)
    try store.withSession(save: false) { session in _ = try session.execute("SHOW") }
    #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == older, "reading does not write")
    try store.withSession(save: true) { session in _ = try session.execute("ALLOC 8") }
    let text = try String(contentsOfFile: state, encoding: .utf8)
    #expect(text.hasPrefix(#"{"format":"memallook-state","version":2,"session":"#))
    let reloaded = try store.read()
    #expect(reloaded.heap?.liveAllocationCount == 2)
    #expect(reloaded.history.lastStep == 2)
  }

  @Test func aCompactFileThatBreaksARuleIsCorruptAndLeftUntouched() throws {
    let state = try folder().state
    let store = StateStore(path: state)
    try createHeap(store)
    let text = try String(contentsOfFile: state, encoding: .utf8)
      .replacingOccurrences(of: #""pageSize":16"#, with: #""pageSize":0"#)
    try text.write(toFile: state, atomically: true, encoding: .utf8)
    #expect { try store.withSession(save: true) { session in _ = try session.execute("ALLOC 1") } } throws: {
      ($0 as? StateFileError)?.description.contains("is corrupt (invalid p \"0\"") == true
    }
    #expect(try String(contentsOfFile: state, encoding: .utf8) == text)
  }
}
