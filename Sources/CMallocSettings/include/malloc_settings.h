#ifndef MEMALLOOK_MALLOC_SETTINGS_H
#define MEMALLOOK_MALLOC_SETTINGS_H

// `__GLIBC__` is defined by glibc's <features.h> (musl's defines no such thing): tested
// before any header is included, it is never defined.
#if __has_include(<features.h>)
#include <features.h>
#endif
#ifdef __GLIBC__
#include <malloc.h>
#endif

/// Gives every block of 128 KiB or more its own mapping, returned to the system when freed.
/// glibc otherwise raises that threshold each time such a block is freed (up to 32 MiB), and
/// the large arrays a long session makes and lets go (a race's checkpoints, heaps rebuilt
/// on every seek) then stay in its heaps: a race of 7 on 10^7 operations was 1.3 GB resident
/// where it holds 0.75. Returns mallopt's answer: 1 when set, 0 when refused (and 0 where
/// the C library is not glibc, which has no such threshold to fix).
static inline int memallook_map_large_blocks_apart(void) {
#ifdef __GLIBC__
  return mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#else
  return 0;
#endif
}

#endif
