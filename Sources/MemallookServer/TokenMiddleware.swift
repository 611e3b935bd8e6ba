import HTTPTypes
import Hummingbird

/// Requires `Authorization: Bearer <token>` on every request but the health check.
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
  let token: String

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
    async throws -> Response
  {
    if request.uri.path == "/healthz" || request.headers[.authorization] == "Bearer \(token)" {
      return try await next(request, context)
    }
    var response = Responses.error(
      .unauthorized, code: "unauthorized",
      message: "missing or wrong token: send Authorization: Bearer <token>",
      json: Responses.wantsJSON(request))
    response.headers[HTTPField.Name("WWW-Authenticate")!] = "Bearer"
    return response
  }
}
