/// A small seeded random number generator (splitmix64): reproducible heap ids in tests.
public struct SplitMix64: RandomNumberGenerator, Sendable, Codable, Equatable {
  public private(set) var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return mixBits(state &- 0x9E37_79B9_7F4A_7C15)
  }
}
