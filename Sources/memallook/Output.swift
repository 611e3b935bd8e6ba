import Foundation
import MemallookCore
import MemallookStore

/// Where the CLI writes: replies on stdout, failures and details on stderr, each with
/// `write(2)`, so that a write that fails is known. The first failure is kept: the
/// command goes on (a change it made is saved), and it ends with exit status 74
/// (sysexits' EX_IOERR) and, where stderr still takes it, a message. A closed pipe
/// (SIGPIPE, `| head`) ends the program quietly, as a signal.
enum Output {
  /// The first write that failed: the stream's name and the error.
  nonisolated(unsafe) private(set) static var failure: (stream: String, code: Int32)?

  /// A reply on stdout.
  static func reply(_ text: String) {
    put(text + "\n", to: STDOUT_FILENO)
  }

  /// A detail of a reply or an error: stderr, indented, so stdout stays the exercise's wording.
  static func detail(_ text: String?) {
    guard let text else { return }
    put("  " + text.visibleLines + "\n", to: STDERR_FILENO)
  }

  /// Text on stdout as it is (it ends with its own newline).
  static func write(_ text: String) {
    put(text, to: STDOUT_FILENO)
  }

  /// Text on stderr as it is (a progress bar's carriage returns).
  static func raw(_ text: String) {
    put(text, to: STDERR_FILENO)
  }

  /// A failure or a diagnostic, on stderr; control characters it quotes (a file name)
  /// made visible.
  static func error(_ text: String) {
    put(text.visibleLines + "\n", to: STDERR_FILENO)
  }

  /// Writes `bytes` whole to `descriptor`; false (the failure kept) when it cannot.
  @discardableResult
  static func put(_ bytes: some Collection<UInt8>, to descriptor: Int32) -> Bool {
    guard !closed.contains(descriptor) else { return fail(descriptor, EBADF) }
    let array = Array(bytes)
    return array.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let count = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { return fail(descriptor, count < 0 ? errno : EIO) }
        offset += count
      }
      return true
    }
  }

  @discardableResult
  private static func put(_ text: String, to descriptor: Int32) -> Bool {
    put(text.utf8, to: descriptor)
  }

  private static func fail(_ descriptor: Int32, _ code: Int32) -> Bool {
    if failure == nil { failure = (descriptor == STDOUT_FILENO ? "standard output" : "standard error", code) }
    return false
  }

  /// Standard streams that were closed when the program started (`>&-`): /dev/null holds
  /// their numbers, so that no file the program opens takes one, and writes to them fail.
  nonisolated(unsafe) private static var closed: Set<Int32> = []

  /// Holds the place of a closed stdin, stdout or stderr (see `closed`). Call first.
  static func guardStandardDescriptors() {
    for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) < 0 {
      let null = open("/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY)
      if null >= 0, null != descriptor {
        dup2(null, descriptor)
        close(null)
      }
      if descriptor != STDIN_FILENO { closed.insert(descriptor) }
    }
  }

  /// After the command: exit status 74 when a write failed (said on stderr when it can be).
  static func finish(status: Int32) -> Int32 {
    guard let failure else { return status }
    if failure.code == EPIPE {
      // The reader went away while SIGPIPE was ignored (`run --state` saves what it ran
      // first): end as the signal would have, quietly.
      signal(SIGPIPE, SIG_DFL)
      raise(SIGPIPE)
    }
    if failure.stream != "standard error" {
      _ = put(
        "memallook: cannot write to \(failure.stream): \(String(cString: strerror(failure.code)))\n".utf8,
        to: STDERR_FILENO)
    }
    return Status.ioError
  }
}

/// Exit statuses: documented in docs/commands.md.
enum Status {
  static let refused: Int32 = 1
  static let stateFile: Int32 = 2
  static let usage: Int32 = 64
  /// A file could not be created (sysexits' EX_CANTCREAT).
  static let cannotCreate: Int32 = 73
  /// A reply could not be written (sysexits' EX_IOERR); a change the command made stands.
  static let ioError: Int32 = 74
  /// Another process held the state file's lock too long (sysexits' EX_TEMPFAIL): nothing
  /// was done, try again.
  static let tryAgain: Int32 = 75

  /// The status for a state file's error.
  static func of(_ error: any Error) -> Int32 {
    (error as? StateFileError)?.isBusy == true ? tryAgain : stateFile
  }
}
