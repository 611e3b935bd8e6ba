import Foundation
import Testing

/// The built `memallook` binary, run as a user would.
enum Memallook {
  struct Result {
    let status: Int32
    let stdout: String
    let stderr: String
  }

  /// The products folder holding the test bundle also holds the `memallook` binary.
  static let binary: URL = {
    if let path = ProcessInfo.processInfo.environment["MEMALLOOK_BIN"] { return URL(fileURLWithPath: path) }
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("memallook").path),
      folder.path != "/"
    {
      folder.deleteLastPathComponent()
    }
    return folder.appendingPathComponent("memallook")
  }()

  static let transcripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Transcripts")

  /// Runs the binary with `arguments`, feeding `input`; `mergeOutput` sends stderr into stdout.
  /// Output goes through temporary files, so no pipe can fill up and stall the child.
  static func run(
    _ arguments: [String], input: String = "", environment: [String: String] = [:], mergeOutput: Bool = false
  ) throws -> Result {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let files = ["in", "out", "err"].map { folder.appendingPathComponent($0) }
    try Data(input.utf8).write(to: files[0])
    for file in files.dropFirst() { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    var inherited = ProcessInfo.processInfo.environment
    inherited.removeValue(forKey: "MEMALLOOK_STATE")
    process.environment = inherited.merging(environment) { $1 }
    process.standardInput = try FileHandle(forReadingFrom: files[0])
    let output = try FileHandle(forWritingTo: files[1])
    process.standardOutput = output
    process.standardError = mergeOutput ? output : try FileHandle(forWritingTo: files[2])
    try process.run()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus,
      stdout: try String(contentsOf: files[1], encoding: .utf8),
      stderr: try String(contentsOf: files[2], encoding: .utf8))
  }

  /// Runs another program (curl) the same way.
  static func run(shell arguments: [String]) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("out")
    let errors = folder.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = try FileHandle(forWritingTo: errors)
    try process.run()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: try String(contentsOf: output, encoding: .utf8),
      stderr: try String(contentsOf: errors, encoding: .utf8))
  }

  static func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("memallook-test-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// A fresh state file path in a fresh temporary folder.
  static func temporaryStatePath() throws -> String {
    try temporaryFolder().appendingPathComponent("heap.json").path
  }
}
