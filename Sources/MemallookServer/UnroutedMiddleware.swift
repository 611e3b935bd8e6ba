import Hummingbird

/// Answers what the router has no route for: 405 with `Allow` for a known path (any
/// other method, TRACE, OPTIONS and HEAD included), 404 for an unknown one; both with
/// the error body of every other failure.
struct UnroutedMiddleware<Context: RequestContext>: RouterMiddleware {
  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
    async throws -> Response
  {
    do {
      return try await next(request, context)
    } catch let error as HTTPError where error.status == .notFound {
      let path = request.uri.path
      let json = Responses.wantsJSON(request)
      let allowed = Route.methods(for: path).map(\.rawValue).joined(separator: ", ")
      guard !allowed.isEmpty else {
        return Responses.error(
          .notFound, code: "not_found", message: "no route \(path): the routes are in GET /openapi.json",
          json: json)
      }
      var response = Responses.error(
        .methodNotAllowed, code: "method_not_allowed", message: "\(request.method) \(path): use \(allowed)",
        json: json)
      response.headers[.allow] = allowed
      return response
    }
  }
}
