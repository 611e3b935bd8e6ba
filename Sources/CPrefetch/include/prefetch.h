#ifndef MEMALLOOK_PREFETCH_H
#define MEMALLOOK_PREFETCH_H

/// Asks the processor to bring the cache line holding `address` closer: a hint, with no
/// effect on what any program computes (an invalid address is ignored, never read).
static inline void memallook_prefetch(const void *_Nullable address) { __builtin_prefetch(address, 0, 3); }

#endif
