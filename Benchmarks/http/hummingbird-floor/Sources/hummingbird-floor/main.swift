import Hummingbird

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

// Usage: hummingbird-floor PORT SHOW-BODY-FILE
// GET /show answers the file's bytes (read once); POST /alloc and /dealloc answer
// nginx.conf's fixed replies, so alloc-dealloc.lua runs unchanged; GET / answers "ok".
let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[1]) else {
  print("usage: hummingbird-floor PORT SHOW-BODY-FILE")
  exit(64)
}
guard let file = fopen(arguments[2], "r") else {
  print("hummingbird-floor: cannot read \(arguments[2])")
  exit(66)
}
var show: [UInt8] = []
var chunk = [UInt8](repeating: 0, count: 4096)
while true {
  let count = fread(&chunk, 1, chunk.count, file)
  if count <= 0 { break }
  show.append(contentsOf: chunk[..<count])
}
fclose(file)
let showBody = ByteBuffer(bytes: show)
let text: HTTPFields = [.contentType: "text/plain; charset=utf-8"]

let router = Router()
router.get("/") { _, _ in "ok\n" }
router.get("/show") { _, _ in Response(status: .ok, headers: text, body: .init(byteBuffer: showBody)) }
router.post("/alloc") { _, _ in
  Response(status: .created, headers: text, body: .init(byteBuffer: ByteBuffer(string: "1\n")))
}
router.post("/dealloc") { _, _ in
  Response(
    status: .ok, headers: text, body: .init(byteBuffer: ByteBuffer(string: "deallocation succeeded\n")))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
