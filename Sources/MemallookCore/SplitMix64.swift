/// A small seeded random number generator (splitmix64): reproducible heap ids in tests.
public struct SplitMix64: RandomNumberGenerator, Sendable, Codable, Equatable {
  public private(set) var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return mixBits(state &- 0x9E37_79B9_7F4A_7C15)
  }
}

/// The splitmix64 finalizer: spreads the bits of `x` over the whole word.
@inline(__always)
func mixBits(_ x: UInt64) -> UInt64 {
  var z = x &+ 0x9E37_79B9_7F4A_7C15
  z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}
