import HTTPTypes
import Hummingbird

/// Requires `Authorization: Bearer <token>` on every request but the health check.
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
  let token: [UInt8]

  init(token: String) { self.token = Array(token.utf8) }

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
    async throws -> Response
  {
    if request.uri.path == "/healthz" || accepts(request.headers[.authorization]) {
      return try await next(request, context)
    }
    var response = Responses.error(
      .unauthorized, code: "unauthorized",
      message: "missing or wrong token: send Authorization: Bearer <token>",
      json: Responses.wantsJSON(request))
    response.headers[HTTPField.Name("WWW-Authenticate")!] = "Bearer"
    return response
  }

  /// Whether `authorization` is `Bearer ` (any case) and the token, compared in constant time.
  func accepts(_ authorization: String?) -> Bool {
    guard let authorization else { return false }
    let bytes = Array(authorization.utf8)
    let scheme = Array("bearer ".utf8)
    guard bytes.count >= scheme.count,
      zip(bytes, scheme).allSatisfy({ ($0 | ($0 >= 0x41 && $0 <= 0x5A ? 0x20 : 0)) == $1 })
    else { return false }
    return ConstantTime.equal(Array(bytes[scheme.count...]), token)
  }
}

/// Comparing secrets without telling, through the time taken, how much of a guess was right.
enum ConstantTime {
  /// Whether `presented` equals `secret`. Every byte of `presented` is compared (against
  /// `secret`'s bytes, cycled), with no early exit: the time depends on `presented.count`
  /// only, never on where the first difference is or on the secret's length.
  static func equal(_ presented: [UInt8], _ secret: [UInt8]) -> Bool {
    var difference: UInt8 = presented.count == secret.count ? 0 : 1
    guard !secret.isEmpty else { return presented.isEmpty }
    for index in presented.indices {
      difference |= presented[index] ^ secret[index % secret.count]
    }
    return difference == 0
  }
}
