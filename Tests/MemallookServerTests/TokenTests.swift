import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MemallookServer

/// The bearer token: where it comes from, how it is compared.
@Suite struct TokenTests {
  @Test(arguments: [
    ("s3cret", "s3cret", true), ("s3cret", "S3cret", false), ("s3cret", "s3creT", false),
    ("s3cre", "s3cret", false), ("s3cretX", "s3cret", false), ("", "s3cret", false), ("", "", true),
    ("s3cret\0", "s3cret", false), ("\u{e9}", "\u{e9}", true),
  ])
  func theComparisonIsExact(presented: String, secret: String, equal: Bool) {
    #expect(ConstantTime.equal(Array(presented.utf8), Array(secret.utf8)) == equal)
  }

  @Test(arguments: [
    ("Bearer s3cret", true), ("bearer s3cret", true), ("BEARER s3cret", true), ("Bearer s3cre", false),
    ("Bearer s3cretX", false), ("Bearer ", false), ("Bearer", false), ("Basic s3cret", false),
    ("Bearer  s3cret", false), ("s3cret", false),
  ])
  func theAuthorizationHeaderIsBearerAndTheToken(header: String, accepted: Bool) async throws {
    try await RouteTests().app(token: "s3cret").test(.router) { client in
      try await client.execute(uri: "/stats", method: .get, headers: [.authorization: header]) { response in
        #expect((response.status != .unauthorized) == accepted)
        if !accepted { #expect(response.headers[HTTPField.Name("WWW-Authenticate")!] == "Bearer") }
      }
    }
  }

  /// `--token ''` would lock every route forever: refused. An empty environment variable is unset.
  @Test(arguments: [
    (String?.none, String?.none, String?.some("none")), (nil, "", "none"), (nil, "env", "env"),
    ("opt", "env", "opt"), ("opt", nil, "opt"), ("", nil, "error"), ("", "env", "error"),
  ])
  func theTokenComesFromTheOptionThenTheEnvironment(option: String?, environment: String?, expected: String?)
  {
    do {
      let token = try ServerSettings.token(option: option, environment: environment)
      #expect((token ?? "none") == expected)
    } catch {
      #expect(expected == "error")
      #expect("\(error)" == "--token must not be empty (leave it out to run without a token)")
    }
  }
}
