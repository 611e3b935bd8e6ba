/* native_heap.h: a native reference for memallook's ALLOC+DEALLOC pair benchmark.
 *
 * One translation unit (native_heap.c), C11 + libc, no global state.
 * Limits: page_count < 2^31 (runs are packed as two 32-bit halves of a 64-bit key),
 * and live + pairs + 1 < 2^32 (the first-page map keeps 32-bit tags).
 */
#ifndef NATIVE_HEAP_H
#define NATIVE_HEAP_H

#include <stdint.h>

typedef struct {
  double ns_per_pair;      /* wall ns per timed pair (CLOCK_MONOTONIC around the timed loop only) */
  uint64_t digest;         /* FNV-1a-style digest of (tag, first page) of every successful pair ALLOC */
  int64_t failures;        /* refused ALLOCs during the pairs */
  int64_t next_tag;        /* the tag the next successful ALLOC would get */
  int64_t pages_in_use;
  int64_t free_runs;       /* number of maximal free runs at the end */
  int64_t longest_free_run;
  int64_t cursor;          /* next-fit cursor at the end */
} ref_result;

/* policy: 0 first fit, 1 next fit, 2 best fit, 3 worst fit.
 * with_page_map: 1 keeps a first-page map (first page -> tag) updated on every ALLOC/DEALLOC. */
ref_result ref_pairs(int policy, int64_t page_count, int64_t live, int64_t pairs, int with_page_map);

/* Same, with flags: REF_PREFETCH prefetches the next pair's tag slot (ref_pairs sets it);
 * REF_PREFETCH_LIVE also prefetches the live list's entry for the pair after next;
 * REF_CHECK validates every structure after every operation (slow; aborts with a message
 * on the first violation). Flags change the time only, never the results. */
enum { REF_PREFETCH = 1, REF_CHECK = 2, REF_PREFETCH_LIVE = 4 };
ref_result ref_pairs_ex(int policy, int64_t page_count, int64_t live, int64_t pairs, int with_page_map,
                        int flags);

#endif
