import Foundation
import MemallookCore
import MemallookRuntime

/// Carries out the effects `Model.update` returns, on the one `SharedSession`:
/// the interpreter shared by the terminal loop, the tests' driver and the benchmark.
public struct Runner {
  public let shared: SharedSession
  /// Where typed lines are remembered (the history file; a list in tests).
  public var saveHistory: (String) -> Void

  public init(shared: SharedSession, saveHistory: @escaping (String) -> Void = { _ in }) {
    self.shared = shared
    self.saveHistory = saveHistory
  }

  /// Sends `message` to `model`, then every message its effects produce, until none is left.
  /// - Returns: false when an effect asked to quit.
  public func send(_ message: Message, to model: inout Model) -> Bool {
    var queue = [message]
    var index = 0
    while index < queue.count {
      let next = queue[index]
      index += 1
      for effect in model.update(next) {
        switch effect {
        case .quit: return false
        case .saveHistory(let line): saveHistory(line)
        case .execute(let command, let line): queue.append(execute(command, line: line))
        case .readTrace(let path, let heap, let strict):
          queue.append(Self.readTrace(path, heap, strict: strict))
        case .status: break  // the model applies these itself
        }
      }
    }
    return true
  }

  /// Runs `command` on the shared session; the answer is the message `update` expects.
  public func execute(_ command: Command, line: String) -> Message {
    let outcome: Outcome
    do {
      outcome = .reply(try shared.apply(command, source: .tui, line: line))
    } catch let error as CommandError {
      outcome = .failure(error)
    } catch {
      outcome = .unavailable("state file: \(error)")
    }
    return .executed(line: line, outcome: outcome, session: try? shared.current())
  }

  /// Reads the trace file at `path` (a `.rep` or an OSTEP list, at most `Trace.maximumFileSize` bytes;
  /// a regular file: reading a FIFO or a device could hang the screen).
  public static func readTrace(_ path: String, _ heap: WorkloadCommand.Heap, strict: Bool = false) -> Message
  {
    let name = String(path.split(separator: "/").last ?? Substring(path))
    // A pipe or a device could block the screen for good (a FIFO with no writer never opens):
    // only regular files (links followed).
    let fail = { (text: String) in
      Message.traceRead(name: name, .failure(WorkloadError("REPLAY: " + text)), heap)
    }
    var information = stat()
    guard stat(path, &information) == 0 else {
      return fail("cannot read \(path): \(String(cString: strerror(errno)))")
    }
    guard information.st_mode & S_IFMT == S_IFREG else {
      return fail("\(path) is not a regular file (write the trace to a file first)")
    }
    // The size first: a large (or sparse) file is refused before a byte is read.
    guard information.st_size <= Trace.maximumFileSize else {
      return fail(
        TraceError(line: nil, problem: .fileTooLarge(limit: Trace.maximumFileSize)).text(file: path))
    }
    let bytes: [UInt8]
    do {
      let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
      defer { try? handle.close() }
      bytes = Array(try handle.read(upToCount: Trace.maximumFileSize + 1) ?? Data())
    } catch {
      return fail("cannot read \(path): \(error.localizedDescription)")
    }
    do {
      return .traceRead(name: name, .success(try Trace(parsing: bytes, strict: strict)), heap)
    } catch {
      return fail(error.text(file: path))
    }
  }

  /// What changed elsewhere since the last look (HTTP, another process), as one message.
  public func changesFromElsewhere() -> Message? {
    let refreshed: Result<Void, any Error> = Result { try shared.refresh() }
    let events = shared.takeUnseen().filter { $0.source != .tui }
    if case .failure(let error) = refreshed { return .unavailable("state file: \(error)") }
    guard let last = events.last, let session = try? shared.current() else { return nil }
    let more = events.count > 1 ? " (+\(events.count - 1) more)" : ""
    let note = last.source == .file ? last.reply : "HTTP: \(last.command) → \(last.reply)"
    return .sessionChanged(session, note: note + more)
  }
}
