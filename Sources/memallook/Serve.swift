import ArgumentParser
import Dispatch
import Foundation
import Logging
import MemallookCore
import MemallookRuntime
import MemallookServer
import MemallookStore
import Synchronization

/// Options of the HTTP listener, shared by `serve` and the TUI's `--http`.
struct ListenerOptions: ParsableArguments {
  @Option(help: "Address to bind.") var host = "127.0.0.1"
  @Option(
    help: """
      Require `Authorization: Bearer TOKEN` (default: $MEMALLOOK_TOKEN when set and not empty). \
      A token on the command line is visible to every local user (ps): prefer $MEMALLOOK_TOKEN.
      """)
  var token: String?

  /// The shared session (persisted at `statePath`, if given) and the listener started on it;
  /// failures are reported and become the CLI's exit statuses.
  func start(port: Int, statePath: String?, logger: Logger) throws -> (SharedSession, port: Int) {
    guard (0...65535).contains(port) else {
      Output.error("memallook: port must be 0 (any free port) to 65535, not \(port)")
      throw ExitCode(Status.usage)
    }
    let token: String?
    do {
      token = try ServerSettings.token(
        option: self.token, environment: ProcessInfo.processInfo.environment["MEMALLOOK_TOKEN"])
    } catch {
      Output.error("memallook: \(error)")
      throw ExitCode(Status.usage)
    }
    let shared = try Listener.shared(statePath: statePath)
    let settings = ServerSettings(host: host, port: port, token: token)
    do {
      return (shared, try Listener.start(shared: shared, settings: settings, logger: logger))
    } catch {
      Output.error("memallook: cannot listen on \(host):\(port): \(Listener.reason(error))")
      throw ExitCode(Status.usage)
    }
  }
}

/// Runs the HTTP service on a background task; returns once it listens (or failed to).
enum Listener {
  /// Starts the service and waits until it listens: the port it bound, or the error.
  static func start(shared: SharedSession, settings: ServerSettings, logger: Logger) throws -> Int {
    let outcome = Mutex<Result<Int, any Error>?>(nil)
    let ready = DispatchSemaphore(value: 0)
    Task.detached {
      let app = buildApplication(shared: shared, settings: settings, logger: logger) { port in
        outcome.withLock { $0 = .success(port) }
        ready.signal()
      }
      do {
        // The TUI owns SIGINT/SIGTERM; `serve` stops when its process is signalled.
        try await app.runService(gracefulShutdownSignals: [])
      } catch {
        outcome.withLock { if $0 == nil { $0 = .failure(error) } }
        ready.signal()
      }
    }
    ready.wait()
    return try outcome.withLock { $0! }.get()
  }

  /// Why the listener could not start, in words: NIO's `IOError` reads
  /// `bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)`.
  static func reason(_ error: any Error) -> String {
    let text = String(describing: error)
    guard let start = text.range(of: "(errno: "), let end = text[start.upperBound...].firstIndex(of: ")"),
      let code = Int32(text[start.upperBound..<end])
    else { return text }
    if code == EADDRINUSE { return "the address is already in use" }
    return String(cString: strerror(code)).lowercased()
  }

  /// How long a change from the screen or HTTP waits for another process's lock on the
  /// state file (a server answers 503 after it, the screen says so): shorter than the
  /// CLI's, as someone is watching.
  static let lockTimeout = Duration.seconds(5)

  /// The one owner of the session: in memory, or kept in the state file at `statePath`.
  /// - Throws: `ExitCode(Status.stateFile)` after saying why the file cannot be used.
  static func shared(statePath: String?) throws -> SharedSession {
    guard let statePath else { return SharedSession() }
    do {
      return try SharedSession(storage: StateStore(path: statePath, lockTimeout: lockTimeout))
    } catch {
      Output.error("memallook: \(error)")
      throw ExitCode(Status.stateFile)
    }
  }
}

struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run the HTTP service (no screen). See docs/http-api.md.",
    discussion: "Port 0 picks a free port; the address is printed once the service listens.")

  @Option(help: "Port to listen on; 0 picks a free one.") var port = 8080
  @Option(help: "Persist the heap in this state file (shared with the one-shot commands).") var state: String?
  @OptionGroup var listener: ListenerOptions

  func run() throws {
    var logger = Logger(label: "memallook") { StandardErrorLogHandler(label: $0) }
    logger.logLevel = .notice
    let (_, bound) = try listener.start(port: port, statePath: state, logger: logger)
    Output.reply("memallook: listening on http://\(listener.host):\(bound)")
    dispatchMain()
  }
}
