import Hummingbird

/// One route of the service: method, path, what answers it, and how the OpenAPI
/// document describes it. `Route.table` is the only list of routes: the router, the
/// 405 answers (`Allow`) and the document's `paths` are all made from it.
struct Route: Sendable {
  /// What answers a route; `HeapController` runs it.
  enum Action: Sendable {
    /// A command of this keyword with the parameters the operation declares (query, form or JSON).
    case command(keyword: String)
    /// DEALLOC of the tag in the path.
    case deallocByPath
    /// Any line of the command language, sent as the body.
    case commandLine
    case heap, stats, events, health, document
    /// A trace in the body replayed on a heap of its own (`TraceRoutes`): one policy, or several.
    case replay, compare
  }

  let method: HTTPRequest.Method
  /// In the router's syntax: `:tag` is a path parameter.
  let path: String
  let action: Action
  let operation: Operation

  init(_ method: HTTPRequest.Method, _ path: String, _ action: Action, _ operation: Operation) {
    self.method = method
    self.path = path
    self.action = action
    self.operation = operation
  }

  /// Whether the request path `requested` is this route's path, whatever the method.
  func matches(_ requested: String) -> Bool {
    let pattern = path.split(separator: "/")
    let segments = requested.split(separator: "/")
    return pattern.count == segments.count
      && zip(pattern, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
  }

  /// The methods the table has for the request path `requested`; empty for an unknown path.
  static func methods(for requested: String) -> [HTTPRequest.Method] {
    table.filter { $0.matches(requested) }.map(\.method)
  }
}
