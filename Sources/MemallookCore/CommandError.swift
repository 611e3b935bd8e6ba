/// Why a command failed. `message` is the line users read first (the exercise's
/// wording where it has one); `detail` says why, when there is more to say.
public enum CommandError: Error, Equatable, Sendable {
  /// An operation other than NEW, RESET or HELP before NEW.
  case noHeap
  /// A parameter out of range (the parser catches most before they get here).
  case invalidParameter(name: String, value: String, expected: String)
  /// `pageSize * pageCount` does not fit in 64 bits.
  case heapTooLarge(pageSize: Int, pageCount: Int)
  /// No free run holds `pagesNeeded` pages; `note` is the policy's reason when there is
  /// more to say (TLSF searches only from a rounded-up class).
  case allocationFailed(
    bytes: Int, pagesNeeded: Int, pagesFree: Int, longestFreeRun: Int, note: String? = nil)
  /// DEALLOC of a tag no live allocation has.
  case unknownTag(String)
  /// ALLOC when every tag below the limit has been given.
  case tagsExhausted(limit: Int)
  /// REALLOC to `pagesNeeded` pages: it cannot grow in place and no free run holds it.
  case reallocationFailed(
    tag: Int, bytes: Int, pagesNeeded: Int, pagesFree: Int, longestFreeRun: Int, note: String? = nil)
  /// REALLOC of a tag no live allocation has.
  case unknownTagToReallocate(String)
  /// DEFRAG under the buddy system.
  case refusedUnderBuddy(String)
  /// POLICY buddy while allocations live (they may not be blocks).
  case buddyNeedsAnEmptyHeap(live: Int)
  /// GOTO a step the history does not have (any more).
  case noSuchStep(step: Int, first: Int, last: Int)
  /// The line is not a command.
  case syntax(ParseError)

  public var message: String {
    switch self {
    case .noHeap: "no heap: run NEW p N first"
    case .invalidParameter(let name, let value, let expected):
      "invalid \(name) \"\(value.visible)\": expected \(expected)"
    case .heapTooLarge(let pageSize, let pageCount):
      "heap too large: \(pageSize) bytes * \(pageCount) pages overflows a 64-bit size"
    case .allocationFailed: "allocation failed"
    case .unknownTag: "deallocation failed, unknown tag"
    case .tagsExhausted(let limit):
      "allocation refused: every tag below \(limit) has been given (RESET starts over)"
    case .reallocationFailed: "reallocation failed"
    case .unknownTagToReallocate: "reallocation failed, unknown tag"
    case .refusedUnderBuddy(let command):
      "\(command) refused under the buddy system: blocks stay where their buddies can merge with them"
    case .buddyNeedsAnEmptyHeap(let live):
      "the buddy system needs an empty heap: \(counted(live, "allocation")) live (DEALLOC them or RESET)"
    case .noSuchStep(let step, let first, let last):
      "no step \(step): the history has steps \(first) to \(last)"
    case .syntax(let error): error.message
    }
  }

  public var detail: String? {
    switch self {
    case .allocationFailed(let bytes, let needed, let free, let longest, let note):
      "\(counted(bytes, "byte")) \(bytes == 1 ? "needs" : "need") \(pages(needed)); \(pages(free)) free, "
        + "longest free run \(pages(longest))"
        + (note.map { "; " + $0 } ?? "")
    case .unknownTag(let tag), .unknownTagToReallocate(let tag):
      "no live allocation has tag \"\(tag.visible)\""
    case .reallocationFailed(let tag, let bytes, let needed, let free, let longest, let note):
      "tag \(tag): \(counted(bytes, "byte")) \(bytes == 1 ? "needs" : "need") \(pages(needed)), "
        + "which cannot grow in place; "
        + "\(pages(free)) free, longest free run \(pages(longest))" + (note.map { "; " + $0 } ?? "")
    default: nil
    }
  }

  /// The placement policy's own reason for a refusal, when it gave one (TLSF's rounding).
  public var policyNote: String? {
    switch self {
    case .allocationFailed(_, _, _, _, let note), .reallocationFailed(_, _, _, _, _, let note): note
    default: nil
    }
  }

  /// `message`, then `detail` after a colon: one line for logs and prompts.
  public var fullText: String { detail.map { "\(message): \($0)" } ?? message }

  /// Whether the input itself was wrong (a usage error), not the operation refused.
  public var isUsageError: Bool {
    switch self {
    case .invalidParameter, .heapTooLarge, .syntax: true
    case .noHeap, .allocationFailed, .unknownTag, .tagsExhausted, .noSuchStep, .reallocationFailed,
      .unknownTagToReallocate,
      .refusedUnderBuddy, .buddyNeedsAnEmptyHeap:
      false
    }
  }

  /// A stable machine-readable code, for JSON.
  public var code: String {
    switch self {
    case .noHeap: "no_heap"
    case .invalidParameter: "invalid_parameter"
    case .heapTooLarge: "heap_too_large"
    case .allocationFailed: "allocation_failed"
    case .unknownTag, .unknownTagToReallocate: "unknown_tag"
    case .tagsExhausted: "tags_exhausted"
    case .reallocationFailed: "reallocation_failed"
    case .noSuchStep: "no_such_step"
    case .refusedUnderBuddy: "refused_under_buddy"
    case .buddyNeedsAnEmptyHeap: "buddy_needs_an_empty_heap"
    case .syntax: "syntax_error"
    }
  }
}

/// A line of the command language that does not parse.
public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What was wrong and what was expected.
  public let message: String
  /// 1-based column of the offending word in the line, if the error points at one.
  public let column: Int?

  /// `message` quotes what was typed: its control characters are made visible.
  public init(_ message: String, column: Int?) {
    self.message = message.visible
    self.column = column
  }

  public var description: String { column.map { "column \($0): \(message)" } ?? message }
}

/// The words that say what a parameter must be, shared by the parser and the core.
public enum Expectation {
  public static let pageSize = "a positive whole number of bytes per page"
  public static let pageCount = "a positive whole number of pages"
  public static let bytes = "a positive whole number of bytes"
  public static let width = "a whole number of columns from 1 to \(Heap.maximumShowWidth)"
  public static let moves = "a positive whole number of moves"
  public static let steps = "a positive whole number of steps"
  public static let step = "a step number (0 is the empty heap after NEW)"
  public static let count = "a positive whole number of steps to list"
  public static let policy = "one of " + Policy.allCases.map(\.rawValue).joined(separator: ", ")
}

/// `1 page`, `2 pages`: a count with its noun, singular for one.
public func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

func pages(_ count: Int) -> String { counted(count, "page") }
