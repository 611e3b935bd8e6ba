import Foundation
import MemallookCore

/// Where the CLI writes: replies on stdout, failures and details on stderr.
enum Output {
  /// A reply on stdout, flushed so that details on stderr come after it.
  static func reply(_ text: String) {
    print(text)
    fflush(nil)  // all output streams: `stdout` itself is not concurrency-safe to name
  }

  /// A detail of a reply or an error: stderr, indented, so stdout stays the exercise's wording.
  static func detail(_ text: String?) {
    guard let text else { return }
    FileHandle.standardError.write(Data(("  " + text + "\n").utf8))
  }

  /// Text on stdout as it is (it ends with its own newline), in one write.
  static func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  /// Text on stderr as it is (a progress bar's carriage returns).
  static func raw(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }

  /// A failure or a diagnostic, on stderr.
  static func error(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}

/// Exit statuses: documented in docs/commands.md.
enum Status {
  static let refused: Int32 = 1
  static let stateFile: Int32 = 2
  static let usage: Int32 = 64
  /// A file could not be created (sysexits' EX_CANTCREAT).
  static let cannotCreate: Int32 = 73
}
