import ArgumentParser
import Foundation
import MemallookCore
import MemallookStore

/// `memallook record [-o FILE] [--force] [--] CMD [ARGS...]`: runs CMD with the allocation
/// recorder preloaded (`recorder/recorder.c`, built by the package's plugin) and leaves
/// its allocations as a `.rep` trace: `replay`, `compare` and the TUI read it as it is.
struct RecordCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "record",
    abstract: "Run a program and record its allocations as a .rep trace.",
    discussion: """
      CMD runs with libmemallook-record.so preloaded: malloc, calloc, realloc, reallocarray, free, \
      posix_memalign, aligned_alloc, memalign, valloc and pvalloc become a, f and r lines (C++'s new \
      reaches malloc). The process is recorded, and any program it execs in its place (a wrapper \
      such as env or a pyenv shim: the trace is the last one's); its children are not. A crash keeps \
      the trace up to the crash; SIGKILL loses at most the line being written. The exit status is \
      CMD's (128+signal when killed; 127 not found, 126 not executable). Static and setuid programs \
      cannot be recorded: a warning says so.
      """)

  @Option(name: .shortAndLong, help: "The trace file (default: CMD-PID.rep here).") var output: String?
  @Flag(help: "Replace the trace file if it exists.") var force = false
  @Option(help: "Stop recording after this many operations (the trace stays a valid prefix).")
  var maxOps = Self.defaultMaximumOperations
  @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.") var command: [String] =
    []

  /// The most operations recorded by default: about 1.1 GB of trace.
  static let defaultMaximumOperations = 100_000_000

  func run() throws {
    var words = command
    if words.first == "--" { words.removeFirst() }
    guard let program = words.first, !program.isEmpty else {
      throw ValidationError("record needs a command to run: memallook record [-o FILE] -- CMD [ARGS...]")
    }
    guard maxOps > 0 else { throw ValidationError("--max-ops must be a positive number of operations") }
    guard let library = Self.recorderLibrary() else {
      Output.error(
        "memallook: libmemallook-record.so not found beside the program or in its lib/memallook "
          + "(set MEMALLOOK_RECORDER to its path)")
      throw ExitCode(Status.usage)
    }
    if let output, !force, FileManager.default.fileExists(atPath: output) {
      Output.error("memallook: \(output) exists; --force replaces it")
      throw ExitCode(Status.usage)
    }
    let folder = output.map { Paths.folder(of: $0) } ?? ""
    let temporary = try Self.temporaryFile(in: folder.isEmpty ? "." : folder)
    var keep = false
    defer { if !keep { unlink(temporary) } }

    let (pid, spawnError) = Self.spawn(
      words,
      environment: [
        "LD_PRELOAD": library + (ProcessInfo.processInfo.environment["LD_PRELOAD"].map { " " + $0 } ?? ""),
        "MEMALLOOK_RECORD_FILE": temporary, "MEMALLOOK_RECORD_PARENT": String(getpid()),
        "MEMALLOOK_RECORD_MAX_OPS": String(maxOps),
      ])
    guard spawnError == 0 else {
      let notFound = spawnError == ENOENT
      Output.error(
        "memallook: \(program): \(notFound ? "command not found" : String(cString: strerror(spawnError)))")
      throw ExitCode(notFound ? 127 : 126)
    }
    let status = Self.wait(for: pid)
    let name = output ?? "\(Paths.name(of: program))-\(pid).rep"
    let recorded = RecordedTrace.finalize(temporary)
    switch recorded {
    case .none:
      Output.error(
        "memallook: nothing was recorded: \(program) may be static or setuid, or not use the C library's "
          + "malloc (status \(status))")
    case .some(let summary):
      if !force, output == nil, FileManager.default.fileExists(atPath: name) {
        Output.error("memallook: \(name) exists; --force replaces it (the trace is left in \(temporary))")
        keep = true
        throw ExitCode(Status.usage)
      }
      guard rename(temporary, name) == 0 else {
        Output.error("memallook: cannot write \(name): \(String(cString: strerror(errno)))")
        throw ExitCode(Status.cannotCreate)
      }
      keep = true
      Output.reply(
        "recorded \(counted(summary.operations, "operation")) (\(counted(summary.allocs, "alloc")), "
          + "\(counted(summary.frees, "free")), \(counted(summary.reallocs, "realloc"))), exit status "
          + "\(status): \(name)")
      if summary.droppedIncompleteLine { Output.detail("the line being written when it ended was left out") }
    }
    if status != 0 { throw ExitCode(status) }
  }

  /// The recorder: `$MEMALLOOK_RECORDER`, else in SwiftPM's resource bundle beside the
  /// executable (a build), else `../lib/memallook/` beside `bin/` (an install).
  static func recorderLibrary() -> String? {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
      .deletingLastPathComponent()
    let candidates =
      [ProcessInfo.processInfo.environment["MEMALLOOK_RECORDER"]].compactMap { $0 } + [
        executable.appendingPathComponent("memallook_memallook.resources/libmemallook-record.so").path,
        executable.deletingLastPathComponent().appendingPathComponent("lib/memallook/libmemallook-record.so")
          .path,
      ]
    // LD_PRELOAD splits at spaces and colons: a path holding one cannot be named there.
    return candidates.first {
      FileManager.default.isReadableFile(atPath: $0) && !$0.contains(where: " :".contains)
    }
  }

  /// A new file for the trace in `folder` (`O_EXCL`, mode 0600), its path.
  static func temporaryFile(in folder: String) throws -> String {
    var template = Array((folder + "/.memallook-record-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else {
      Output.error("memallook: cannot create a trace file in \(folder): \(String(cString: strerror(errno)))")
      throw ExitCode(Status.cannotCreate)
    }
    close(descriptor)
    return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Starts `words` (searched on PATH) with `environment` added, the signals CMD should
  /// get at their defaults; the pid, or the error (ENOENT: not found).
  static func spawn(_ words: [String], environment: [String: String]) -> (pid_t, Int32) {
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in environment { merged[key] = value }
    let arguments = words.map { strdup($0) } + [nil]
    let variables = merged.map { strdup("\($0)=\($1)") } + [nil]
    defer {
      for pointer in arguments + variables { free(pointer) }
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGQUIT, SIGPIPE, SIGTERM] { sigaddset(&defaults, signal) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    var pid: pid_t = 0
    let error = posix_spawnp(&pid, words[0], nil, &attributes, arguments, variables)
    return (pid, error)
  }

  /// Waits for `pid`, Ctrl-C and Ctrl-\ going to it alone (as `system` does); its exit
  /// status, or 128 + the signal that ended it.
  static func wait(for pid: pid_t) -> Int32 {
    let interrupt = signal(SIGINT, SIG_IGN)
    let quit = signal(SIGQUIT, SIG_IGN)
    defer {
      signal(SIGINT, interrupt)
      signal(SIGQUIT, quit)
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      guard errno == EINTR else { return 127 }
    }
    let signalNumber = status & 0x7F
    return signalNumber == 0 ? (status >> 8) & 0xFF : 128 + signalNumber
  }
}
