import CMallocSettings
import Testing

/// What `memallook` tells the C library's malloc as it starts (`CMallocSettings`).
@Suite struct MallocSettingsTests {
  /// On glibc the threshold is set (mallopt answers 1): without it a race of 10^7
  /// operations held 1.3 GB where its data is 0.75. Elsewhere nothing is set.
  @Test func largeBlocksAreMappedApartOnGlibc() {
    #if canImport(Glibc)
      #expect(memallook_map_large_blocks_apart() == 1)
    #else
      #expect(memallook_map_large_blocks_apart() == 0)
    #endif
  }
}
