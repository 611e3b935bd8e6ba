/// The OpenAPI 3.1 description of the service, served at /openapi.json and copied
/// to docs/openapi.json (a test checks they are equal). `paths` is made from
/// `Route.table`; the rest is the literal text around it.
enum OpenAPIDocument {
  static let json = head + "\n  \"paths\": " + paths.rendered(level: 1) + ",\n" + components

  /// One member per path of the route table, its methods in table order.
  static var paths: JSONText {
    var order: [String] = []
    var operations: [String: [(String, JSONText)]] = [:]
    for route in Route.table {
      let key =
        "/"
        + route.path.split(separator: "/")
        .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
      if operations[key] == nil { order.append(key) }
      operations[key, default: []].append(
        (route.method.rawValue.lowercased(), route.operation.json(path: route.path)))
    }
    return .object(order.map { ($0, .object(operations[$0]!)) })
  }

  private static let head = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "memallook",
        "version": "1.0.0",
        "description": "A toy memory allocator over HTTP: a heap of N pages of p bytes. Plain text by default (the CLI's replies); JSON with Accept: application/json or ?format=json."
      },
      "servers": [
        {
          "url": "http://127.0.0.1:8080"
        }
      ],
      "security": [
        {},
        {
          "bearer": []
        }
      ],
    """#
}
