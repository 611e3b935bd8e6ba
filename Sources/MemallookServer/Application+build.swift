import Hummingbird
import HummingbirdCore
import Logging
import MemallookRuntime

/// Where and how the service listens.
public struct ServerSettings: Sendable {
  /// A connection with no request in progress for this long is closed.
  public static let defaultIdleTimeout: Duration = .seconds(30)
  /// Past this many open connections a new one is closed at once.
  public static let defaultMaxConnections = 512

  public var host: String
  /// 0 picks a free port; `onRunning` is told which.
  public var port: Int
  /// When set, every request but /healthz needs `Authorization: Bearer <token>`.
  public var token: String?
  /// How long an HTTP/1 connection may sit with no request in progress (and a
  /// request head may take to arrive) before the server closes it.
  public var idleTimeout: Duration
  /// How many connections may be open at once.
  public var maxConnections: Int
  /// How long a request body may take to arrive, from its request's head (408 after);
  /// shorter than the idle timeout, so that a body that stops arriving is answered 408
  /// before the connection is dropped as idle.
  public var bodyDeadline = Duration.seconds(20)
  /// The bytes all request bodies still arriving may hold together (503 past it).
  public var bodyBudget = 64 << 20
  /// How long a trace request's replays may take, waiting for the lane included (503 after).
  public var traceTimeLimit = Duration.seconds(30)

  public init(
    host: String = "127.0.0.1", port: Int = 8080, token: String? = nil,
    idleTimeout: Duration = Self.defaultIdleTimeout, maxConnections: Int = Self.defaultMaxConnections
  ) {
    self.host = host
    self.port = port
    self.token = token
    self.idleTimeout = idleTimeout
    self.maxConnections = maxConnections
  }

  /// The token from `--token` (`option`), else from `$MEMALLOOK_TOKEN` (`environment`);
  /// an empty variable counts as unset.
  /// - Throws: `EmptyToken` for an empty `--token`, which would refuse every request.
  public static func token(option: String?, environment: String?) throws(EmptyToken) -> String? {
    if let option {
      guard !option.isEmpty else { throw EmptyToken() }
      return option
    }
    return environment.flatMap { $0.isEmpty ? nil : $0 }
  }

  /// `--token ''`: a usage error.
  public struct EmptyToken: Error, CustomStringConvertible {
    public var description: String { "--token must not be empty (leave it out to run without a token)" }
  }
}

/// The router with every route (and the token check), under `settings`' token and limits.
func buildRouter(shared: SharedSession, settings: ServerSettings) -> Router<ServerContext> {
  let router = Router(context: ServerContext.self)
  // First, so that it also sees what the router has no route for.
  router.add(middleware: UnroutedMiddleware())
  if let token = settings.token { router.add(middleware: TokenMiddleware(token: token)) }
  HeapController(shared: shared, settings: settings).addRoutes(to: router)
  return router
}

/// The whole service: the same app runs headless (`memallook serve`) or inside the TUI.
/// - Parameters:
///   - logger: where the server logs; inside the TUI, one that writes nowhere near the screen.
///   - onRunning: called with the port actually bound, once listening.
public func buildApplication(
  shared: SharedSession, settings: ServerSettings, logger: Logger,
  onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
  let connections = ConnectionLimit(limit: settings.maxConnections)
  let idle = settings.idleTimeout.components
  let idleNanoseconds = idle.seconds * 1_000_000_000 + idle.attoseconds / 1_000_000_000
  return Application(
    router: buildRouter(shared: shared, settings: settings),
    server: .http1(
      configuration: .init(
        additionalChannelHandlers: [connections.counter()], idleTimeout: .nanoseconds(idleNanoseconds))),
    configuration: .init(
      address: .hostname(settings.host, port: settings.port), serverName: "memallook"),
    onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? settings.port) },
    logger: logger)
}
