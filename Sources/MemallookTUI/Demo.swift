/// A scripted demonstration: commands typed one character at a time, with pauses.
public struct Demo: Sendable, Equatable {
  public enum Step: Sendable, Equatable {
    /// Type this line and press Enter.
    case type(String)
    /// Wait this many ticks.
    case pause(Int)
  }

  public static let standard: [Step] = [
    .pause(8), .type("NEW 16 64"), .pause(12),
    .type("ALLOC 100"), .pause(6), .type("ALLOC 200"), .pause(6), .type("ALLOC 50"), .pause(6),
    .type("ALLOC 300"), .pause(6), .type("ALLOC 80"), .pause(14),
    .type("DEALLOC 2"), .pause(8), .type("DEALLOC 4"), .pause(16),
    .type("ALLOC 400"), .pause(30),
    .type("DEFRAG"), .pause(30),
    .type("ALLOC 400"), .pause(20),
  ]

  public var steps: [Step]
  /// Position in `steps`.
  public var index = 0
  /// Characters of the current `.type` step already typed.
  public var typed = 0
  /// Ticks waited in the current `.pause` step.
  public var waited = 0
  public let tickMilliseconds = 70

  public init(steps: [Step] = Demo.standard) { self.steps = steps }

  public var isFinished: Bool { index >= steps.count }
}
