/// Why a trace cannot be read: the line (1-based; nil for the whole file) and the problem.
public struct TraceError: Error, Equatable, Sendable, CustomStringConvertible {
  public let line: Int?
  public let problem: Problem

  public init(line: Int?, problem: Problem) {
    self.line = line
    self.problem = problem
  }

  /// Every way a trace can be malformed.
  public enum Problem: Equatable, Sendable {
    case fileTooLarge(limit: Int)
    case lineTooLong(limit: Int)
    case tooManyOperations(limit: Int)
    case unknownFormat
    /// A `.rep` header field (`suggested heap size`, ...) missing or not a number.
    case badHeader(field: String, found: String)
    case unknownOperation(String)
    /// A number where the first operation should be: a header of more than 4 numbers.
    case extraHeaderNumber(String)
    /// `what` (`an id`, `a size`) is not a whole number.
    case badNumber(what: String, found: String)
    case numberTooLarge(what: String, found: String, limit: Int)
    case zeroSize
    case extraWords(String)
    case idTooLarge(Int, limit: Int)
    case idOutOfRange(Int, idCount: Int)
    /// A free or realloc of an id that was never allocated.
    case neverAllocated(operation: String, id: Int)
    /// A free or realloc of an id already freed.
    case alreadyFreed(operation: String, id: Int)
    /// An alloc of an id that is live.
    case alreadyLive(id: Int)
    /// `f -1` or `r -1 n`: C's NULL, which a strict read refuses.
    case nullID(operation: String)
    case operationCountMismatch(declared: Int, found: Int)
    /// An OSTEP item that is neither `+size` nor `-index`.
    case badOSTEPItem(String)
    /// An OSTEP trace cannot hold a realloc, or an id allocated twice.
    case notOSTEP(String)
  }

  public var message: String {
    switch problem {
    case .fileTooLarge(let limit): "the trace is larger than \(limit) bytes"
    case .lineTooLong(let limit): "line longer than \(limit) bytes"
    case .tooManyOperations(let limit): "more than \(limit) operations"
    case .unknownFormat:
      "not a trace: expected a .rep header (4 numbers) or an OSTEP list like +10,-0,+20"
    case .badHeader(let field, let found):
      "expected the header's \(field), a whole number, found \(Self.quoted(found))"
    case .extraHeaderNumber(let word):
      "a fifth header number \(Self.quoted(word)): a .rep header has 4 (suggested heap size, ids, "
        + "operations, weight), then operations a, f or r"
    case .unknownOperation(let word):
      "unknown operation \(Self.quoted(word)): expected a (alloc), f (free) or r (realloc)"
    case .badNumber(let what, let found): "expected \(what), a whole number, found \(Self.quoted(found))"
    case .numberTooLarge(let what, let found, let limit): "\(what) \(found.visible) is larger than \(limit)"
    case .zeroSize: "a size must be at least 1 byte, not 0"
    case .extraWords(let found): "unexpected \(Self.quoted(found)) after the operation"
    case .idTooLarge(let id, let limit): "id \(id) is past the limit of \(limit) ids"
    case .idOutOfRange(let id, let count):
      "id \(id) is out of range: the header declares \(counted(count, "id"))"
    case .neverAllocated(let operation, let id): "\(operation) of id \(id), which was never allocated"
    case .alreadyFreed(let operation, let id): "\(operation) of id \(id), which is already freed"
    case .alreadyLive(let id): "alloc of id \(id), which is already allocated and not freed"
    case .nullID(let operation): "\(operation) of id -1, C's NULL"
    case .operationCountMismatch(let declared, let found):
      "the header declares \(counted(declared, "operation")), the trace has \(found)"
    case .badOSTEPItem(let item): "expected +size or -index, found \(Self.quoted(item))"
    case .notOSTEP(let reason): "no OSTEP form: \(reason.visible)"
    }
  }

  /// `FILE:LINE: message` (or `FILE: message` for the whole file).
  public func text(file: String) -> String {
    "\(file):" + (line.map { "\($0):" } ?? "") + " " + message
  }

  public var description: String { text(file: "trace") }

  /// What the trace holds, quoted, its control characters made visible.
  static func quoted(_ text: String) -> String { text.isEmpty ? "nothing" : "\"\(text.visible)\"" }
}
