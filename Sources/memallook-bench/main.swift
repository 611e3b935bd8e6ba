import CMallocSettings
import Foundation
import MemallookCore
import MemallookRuntime
import MemallookTUI

// The performance suite of the core: `swift run -c release memallook-bench`.
//
// For each policy, heap size and live-allocation count: fill the heap with that
// many allocations, then time steady-state pairs (free a random live allocation,
// allocate a random size), for memallook's indexed heap and for a naive heap that
// keeps one owner per page and scans pages, measured in the same run.
#if canImport(Glibc)
  import Glibc
#endif

// As `memallook` runs: large blocks go back to the system when freed.
_ = memallook_map_large_blocks_apart()

func nanoseconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
}

func format(_ value: Double, _ width: Int) -> String {
  let text =
    value.isNaN
    ? "-" : value >= 100 ? String(Int(value.rounded())) : String(Double(Int(value * 10)) / 10)
  return String(repeating: " ", count: max(0, width - text.count)) + text
}

func pad(_ text: String, _ width: Int) -> String {
  text + String(repeating: " ", count: max(0, width - text.count))
}

/// Resident memory of this process in bytes, from /proc/self/statm (Linux).
func residentBytes() -> Int {
  #if canImport(Glibc)
    let file = open("/proc/self/statm", O_RDONLY)
    guard file >= 0 else { return 0 }
    defer { close(file) }
    var buffer = [UInt8](repeating: 0, count: 128)
    let count = read(file, &buffer, buffer.count)
    guard count > 0 else { return 0 }
    let fields = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: " ")
    return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
  #else
    return 0
  #endif
}

// NEW of 2^32 pages: what does an untouched huge heap cost? Keep 1,000 of them
// alive at once so that the figure is well above the 4 KiB granularity of RSS.
let heapCount = 1_000
var sessions: [Session] = []
sessions.reserveCapacity(heapCount)
let before = residentBytes()
for seed in 0..<heapCount {
  var session = Session(seed: UInt64(seed))
  _ = try! session.apply(.new(pageSize: 4096, pageCount: 1 << 32))
  sessions.append(session)
}
let after = residentBytes()
print("NEW 4096 2^32 (16 TiB each): \((after - before) / heapCount) bytes of resident memory per heap")
withExtendedLifetime(sessions) {}

/// A 200×60 TUI on a 4096-page heap holding `allocations` allocations with holes between them.
func busyModel(allocations: Int) -> Model {
  var session = Session(seed: 3)
  _ = try! session.apply(.new(pageSize: 16, pageCount: 4096))
  for _ in 0..<allocations * 2 { _ = try! session.apply(.alloc(bytes: 16)) }
  for tag in stride(from: 1, through: allocations * 2, by: 2) {
    _ = try! session.apply(.dealloc(tag: String(tag)))
  }
  return Model(session: session, width: 200, height: 60)
}

/// Microseconds to build and diff one full frame (`view()` + `changes(from:)`).
func measureFrame(iterations: Int) -> Double {
  var model = busyModel(allocations: 1_000)
  var previous: Frame? = nil
  let clock = ContinuousClock()
  let start = clock.now
  var written = 0
  for index in 0..<iterations {
    model.grid.selectedTag = 2 + 2 * (index % 1_000)  // something changes every frame
    let frame = model.view()
    written += frame.changes(from: previous).count
    previous = frame
  }
  precondition(written > 0)
  return nanoseconds(clock.now - start) / Double(iterations) / 1_000
}

/// Frames per second the defrag animation can produce with 1,000 allocations: each
/// frame is a tick, the move it asks for, the reply, a new view and its diff.
func measureDefragFrames() -> (frames: Int, perSecond: Double) {
  var model = busyModel(allocations: 1_000)
  let runner = Runner(shared: SharedSession(session: model.session))
  var previous: Frame? = model.view()
  var frames = 0
  let clock = ContinuousClock()
  let start = clock.now
  var message = Message.key(.function(2))
  repeat {
    _ = runner.send(message, to: &model)
    message = .tick
    let frame = model.view()
    _ = frame.changes(from: previous)
    previous = frame
    frames += 1
  } while model.heapScreen.animation != nil
  precondition(try! runner.shared.current().heap!.defragPlan().isEmpty)
  return (frames, Double(frames) / (nanoseconds(clock.now - start) / 1e9))
}

/// A session of `operations` ALLOC/DEALLOC commands (about 10^4 live) on a 2^20-page heap,
/// with its whole history: the memory the history takes, the time to apply the commands, and
/// the time to walk the history back to step 0 and forward to the end again.
func measureHistory(operations: Int) -> (bytes: Int, forward: Double, back: Double, again: Double) {
  var random = SplitMix64(seed: 7)
  var session = Session(seed: 1)
  _ = try! session.apply(.new(pageSize: 16, pageCount: 1 << 20))
  var live: [Int] = []
  var commands: [Command] = []
  commands.reserveCapacity(operations)
  var nextTag = 1
  for _ in 0..<operations {  // the same mix the history will hold, decided up front
    if live.count < 10_000 && (live.isEmpty || random.next(upperBound: 2 as UInt64) == 0) {
      commands.append(.alloc(bytes: 1 + Int(random.next(upperBound: 1024 as UInt64))))
      live.append(nextTag)
      nextTag += 1
    } else {
      let index = Int(random.next(upperBound: UInt64(live.count)))
      commands.append(.dealloc(tag: String(live[index])))
      live.swapAt(index, live.count - 1)
      live.removeLast()
    }
  }
  let memoryBefore = residentBytes()
  let clock = ContinuousClock()
  let start = clock.now
  for command in commands { _ = try! session.apply(command) }
  let forward = nanoseconds(clock.now - start) / Double(operations)
  let memoryAfter = residentBytes()
  let backStart = clock.now
  _ = try! session.apply(.goto(step: 0))
  let back = nanoseconds(clock.now - backStart) / Double(operations)
  let againStart = clock.now
  _ = try! session.apply(.goto(step: operations))
  let again = nanoseconds(clock.now - againStart) / Double(operations)
  precondition(session.history.lastStep == operations && session.heap!.liveAllocationCount == live.count)
  return (memoryAfter - memoryBefore, forward, back, again)
}

let arguments = CommandLine.arguments.dropFirst()
let quick = arguments.contains("--quick")
let indexedPairs = quick ? 20_000 : 200_000
let withBaseline = !arguments.contains("--no-baseline")
let profiling = arguments.contains("--profile")  // one case, many pairs, nothing else

if let index = arguments.firstIndex(of: "--player"), index + 1 < arguments.endIndex {
  PlayerBench.run(path: arguments[index + 1], race: arguments.contains("--race"))
  exit(0)
}
if arguments.contains("--race") {
  RaceBench.run(operations: quick ? 10_000 : 100_000)
  exit(0)
}
// The inputs of the end-to-end measurements in docs/performance.md, written to a file.
if let index = arguments.firstIndex(of: "--script-file"), index + 1 < arguments.endIndex {
  let text = ScriptBench.script(lines: 1_000_000).text
  precondition(FileManager.default.createFile(atPath: arguments[index + 1], contents: Data(text)))
  exit(0)
}
if let index = arguments.firstIndex(of: "--state-script"), index + 1 < arguments.endIndex {
  let text = StateBench.script(allocations: 100_000)
  precondition(FileManager.default.createFile(atPath: arguments[index + 1], contents: Data(text.utf8)))
  exit(0)
}
if arguments.contains("--script") {
  ScriptBench.run(lines: quick ? 100_000 : 1_000_000)
  exit(0)
}
if arguments.contains("--profile-state") {
  StateBench.profileReads(allocations: 100_000, rounds: 10)
  exit(0)
}
if arguments.contains("--state") {
  StateBench.run(allocations: quick ? 10_000 : 100_000)
  exit(0)
}
if arguments.contains("--replay") {
  ReplayBench.run(operations: quick ? 100_000 : 1_000_000)
  exit(0)
}
if arguments.contains("--history") {
  let operations = quick ? 100_000 : 1_000_000
  let history = measureHistory(operations: operations)
  print("history of \(operations) ALLOC/DEALLOC commands (~10^4 live, 2^20 pages):")
  print(
    "  memory: \(history.bytes / (1 << 20)) MiB resident growth (heap and history), \(history.bytes / operations) bytes per change"
  )
  print("  apply forward: \(format(history.forward, 6)) ns per command (the baseline)")
  print(
    "  GOTO 0 (undo all): \(format(history.back, 6)) ns per change, \(format(history.back / history.forward, 4))x the forward cost"
  )
  print(
    "  GOTO end (redo all): \(format(history.again, 6)) ns per change, \(format(history.again / history.forward, 4))x the forward cost"
  )
  exit(0)
}
if arguments.contains("--tui") {
  print(
    "TUI: build and diff a full 200x60 frame (1,000 allocations): \(format(measureFrame(iterations: 2_000), 6)) µs"
  )
  let animation = measureDefragFrames()
  print(
    "TUI: defrag animation of 1,000 allocations: \(animation.frames) frames at up to \(Int(animation.perSecond)) frames/s of compute"
  )
  exit(0)
}
if arguments.contains("--reference") {
  ReferenceBench.run(pairs: quick ? 20_000 : 200_000, rounds: quick ? 1 : 3)
  exit(0)
}
if arguments.contains("--latency") {
  MemoryLatency.run()
  exit(0)
}
let pairTitle =
  "ALLOC+DEALLOC pairs, steady state, page size \(pageSize) bytes (ns per pair; lower is better)"
if profiling {
  // `--profile N`: N pairs (3,000,000 by default; fewer for callgrind's cache simulation).
  let index = arguments.firstIndex(of: "--profile")!
  let pairs = arguments.index(after: index) < arguments.endIndex ? Int(arguments[index + 1]) : nil
  // `--policy P` profiles another policy (first fit by default).
  var policy = Policy.first
  if let at = arguments.firstIndex(of: "--policy") {
    guard at + 1 < arguments.endIndex, let named = Policy(rawValue: arguments[at + 1]) else {
      print("--policy takes one of \(Policy.allCases.map(\.rawValue).joined(separator: ", "))")
      exit(64)
    }
    policy = named
  }
  let test = Case(policy: policy, pageCount: 1 << 20, live: 100_000)
  let mapped = !arguments.contains("--unmapped")  // without the map by first page, as headless replays
  print(pairTitle, mapped ? "" : "(no map by first page)")
  let figures = measureWorkload(
    test, from: filledHeap(test), pairs: pairs ?? 3_000_000, mapsFirstPages: mapped)
  print(format(figures.nanoseconds, 8), "ns per pair")
  exit(0)
}
print(
  "a dependent load costs \(format(MemoryLatency.nanosecondsPerLoad(bytes: 1 << 20), 1)) ns within 1 MiB, "
    + "\(format(MemoryLatency.nanosecondsPerLoad(bytes: 32 << 20), 1)) ns within 32 MiB (see --latency)")
print(pairTitle)
print(
  pad("policy", 7) + pad("pages", 7) + pad("live", 8) + "  memallook" + "       naive" + "    speed-up")
for pageExponent in [20, 24] {
  for live in [10_000, 100_000] {
    for policy in [Policy.first, .next, .best, .worst] {
      let test = Case(policy: policy, pageCount: 1 << pageExponent, live: live)
      let filled = filledHeap(test)
      let indexed = measureIndexed(test, from: filled, pairs: indexedPairs)
      let naivePairs = quick ? 10 : (pageExponent == 20 ? 200 : 20)
      let naive = withBaseline ? measureNaive(test, from: filled, pairs: naivePairs) : .nan
      print(
        pad(policy.rawValue, 7) + pad("2^\(pageExponent)", 7) + pad(String(live), 8)
          + format(indexed, 11) + format(naive, 12) + format(naive / indexed, 11) + "×")
    }
  }
}
