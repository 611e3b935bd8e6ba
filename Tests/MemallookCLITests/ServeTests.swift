import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `memallook serve` refusing to start, with a message a user can act on.
@Suite struct ServeTests {
  /// Runs `memallook arguments` under `timeout`, so a server that wrongly starts cannot hang the test.
  func runBounded(_ arguments: [String], environment: [String: String] = [:]) throws -> Memallook.Result {
    let folder = try Memallook.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let files = ["out", "err"].map { folder.appendingPathComponent($0) }
    for file in files { FileManager.default.createFile(atPath: file.path, contents: nil) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
    process.arguments = ["-s", "KILL", "20", Memallook.binary.path] + arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = try FileHandle(forWritingTo: files[0])
    process.standardError = try FileHandle(forWritingTo: files[1])
    try process.run()
    process.waitUntilExit()
    return Memallook.Result(
      status: process.terminationStatus, stdout: try String(contentsOf: files[0], encoding: .utf8),
      stderr: try String(contentsOf: files[1], encoding: .utf8))
  }

  @Test(arguments: [[String: String](), ["MEMALLOOK_TOKEN": "set"]])
  func anEmptyTokenIsAUsageError(environment: [String: String]) throws {
    let result = try runBounded(["serve", "--port", "0", "--token", ""], environment: environment)
    #expect(result.status == 64)
    #expect(result.stderr == "memallook: --token must not be empty (leave it out to run without a token)\n")
    #expect(result.stdout == "")
  }

  @Test func aPortInUseIsSaidPlainly() throws {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, length) == 0 && listen(descriptor, 1) == 0
          && getsockname(descriptor, $0, &length) == 0
      }
    }
    try #require(bound)
    let port = Int(UInt16(bigEndian: address.sin_port))
    let result = try runBounded(["serve", "--port", String(port)])
    #expect(result.status == 64)
    #expect(result.stderr == "memallook: cannot listen on 127.0.0.1:\(port): the address is already in use\n")
  }
}
