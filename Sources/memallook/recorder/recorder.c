/*
 * recorder.c - LD_PRELOAD allocation recorder for `memallook record`.
 *
 * Interposes malloc, calloc, realloc, reallocarray, free, posix_memalign,
 * aligned_alloc, memalign, valloc and pvalloc (and C23's free_sized and
 * free_aligned_sized, as free) and writes a CS:APP malloc-lab
 * `.rep` trace to the file named by MEMALLOOK_RECORD_FILE:
 *
 *     <suggested heap size>      \
 *     <number of ids>             | header: 4 lines, each a number right-aligned
 *     <number of operations>      | in 20 characters + '\n' (84 bytes), rewritten
 *     <weight>                   /  with final values at exit (and by finalize.c)
 *     a <id> <size>
 *     f <id>
 *     r <id> <size>
 *
 * Build (links only libc):
 *     clang -std=c11 -O2 -fPIC -shared -fvisibility=hidden -o libmemallook-record.so recorder.c
 *
 * Environment:
 *     MEMALLOOK_RECORD_FILE     output path; opened O_RDWR|O_NOFOLLOW (created 0600 if
 *                               missing) and truncated to zero first.
 *     MEMALLOOK_RECORD_PARENT   the pid of `memallook record`: only its child is
 *                               recorded (see "Which process" below).
 *     MEMALLOOK_RECORD_MAX_OPS  optional: stop recording after this many
 *                               operations (the trace stays a valid prefix).
 *
 * Which process: the child of `memallook record` (its parent's pid is
 * MEMALLOOK_RECORD_PARENT), and whatever it execs in the same process (a
 * wrapper such as `env`, `nice` or pyenv's shim execs the real program: each
 * new image starts the trace again, so the trace is the last program's). In any
 * other process (a child of the recorded one, whose parent is not memallook)
 * the variables and this library's LD_PRELOAD entry are removed from `environ`
 * and nothing is recorded.
 *
 * Mapping of calls to operations (ids are small integers, reused after a free):
 *     malloc(n), calloc(a,b) (n = a*b), memalign/aligned_alloc/posix_memalign(n),
 *     valloc(n)                        -> a id n   (after the real call succeeds)
 *     pvalloc(n)                       -> a id n'  (n' = n rounded up to a page,
 *                                                  what pvalloc promises; 1 page for 0)
 *     malloc(0) etc. returning a block -> a id 0   (the reader decides what 0 means)
 *     free(p), p recorded              -> f id     (BEFORE the real free; also
 *                                                  free_sized, free_aligned_sized)
 *     free(NULL), free(p not recorded) -> nothing  (e.g. blocks allocated by the
 *                                                  loader before recording started)
 *     realloc(NULL, n)                 -> a id n
 *     realloc(p, n>0), p recorded      -> r id n   (same id, table follows the block)
 *     realloc(p, 0),   p recorded      -> f id     (glibc frees p and returns NULL)
 *     realloc(p, n), p not recorded    -> a id n   (a block the trace did not know
 *                                                  now has n bytes; likewise a
 *                                                  block from the bootstrap buffer)
 *     reallocarray(p, a, b)            -> as realloc(p, a*b); overflow -> ENOMEM, nothing
 *     any failed call (NULL / error)   -> nothing
 *     an address returned while still in the table (a free we never saw, e.g. by
 *     a signal handler during a hook)  -> f oldid, then the new operation
 *
 * Order: one mutex guards the table, the id free-list and the output, and every
 * operation is written under it, so the file order is a valid order of events:
 * a free is written before the real free (no other thread can be handed the
 * address and write its allocation first); an allocation after the real call
 * returns; a realloc of a recorded block runs the real realloc while holding
 * the lock (it may free the old address internally; another thread that gets
 * it back can write its `a` only after our `r` has moved the table entry).
 *
 * Crash survival: the body is written through a MAP_SHARED window of the file
 * (extended in WINDOW_BYTES chunks by fallocate/ftruncate), so what was written
 * is in the page cache and survives SIGSEGV, abort() and SIGKILL. The file's
 * tail past the last byte written is zeros; finalize.c truncates it and
 * rewrites the header. At a normal exit the destructor does both itself.
 *
 * fork: pthread_atfork stops recording in the child (unmaps the window, closes
 * the descriptor) before the child returns from fork(); the child is not
 * recorded. Children made by raw clone()/_Fork() skip the atfork handlers and
 * must not allocate (they would write into the shared window). exec: the
 * same process execing is recorded anew (above); a child's execs are not.
 *
 * The library never calls malloc (no stdio, no snprintf, memory from mmap), and
 * a thread-local flag (initial-exec TLS, so accessing it does not allocate)
 * sends nested calls (from the real allocator, from a signal handler that
 * interrupted a hook, from the constructor) straight to the real functions.
 * If the output cannot be set up the library stays transparent.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

extern char **environ;

/* ------------------------------------------------------------------------ */
/* Constants                                                                */

enum {
  HEADER_LINE = 21,                 /* 20 characters + '\n' */
  HEADER_BYTES = 4 * HEADER_LINE,   /* 84 */
  MAX_LINE = 48,                    /* "a " + 10 digits + ' ' + 20 digits + '\n' < 48 */
  BOOT_BYTES = 64 * 1024,           /* bootstrap buffer for dlsym's calloc */
  TABLE_INITIAL = 1 << 14,          /* pointer table slots (power of two) */
  IDS_INITIAL = 1 << 14,            /* id arrays, entries */
  PATH_BYTES = 4096,
};
#define WINDOW_BYTES ((uint64_t)32 << 20) /* file grows and is mapped in 32 MB windows */
#define MAX_ID 0xFFFFFFFEu

enum { ST_OFF = 0, ST_RECORDING = 1, ST_STOPPED = 2, ST_FINISHED = 3 };

/* ------------------------------------------------------------------------ */
/* Real functions and bootstrap                                             */

static struct {
  void *(*malloc)(size_t);
  void *(*calloc)(size_t, size_t);
  void *(*realloc)(void *, size_t);
  void (*free)(void *);
  int (*posix_memalign)(void **, size_t, size_t);
  void *(*aligned_alloc)(size_t, size_t);
  void *(*memalign)(size_t, size_t);
  void *(*valloc)(size_t);
  void *(*pvalloc)(size_t);
} real;

/* glibc's own entry points: used only if dlsym(RTLD_NEXT) finds nothing. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);

static _Atomic int resolve_state; /* 0 not yet, 1 resolving, 2 done */
static __thread int t_resolving __attribute__((tls_model("initial-exec")));
/* Set while this thread is inside a hook (or the constructor/destructor). */
static __thread int t_in_hook __attribute__((tls_model("initial-exec")));

static _Alignas(64) unsigned char boot_buf[BOOT_BYTES];
static _Atomic size_t boot_used;

static inline int is_boot(const void *p) {
  return (const unsigned char *)p >= boot_buf && (const unsigned char *)p < boot_buf + BOOT_BYTES;
}

/* Bump allocation with a 16-byte size prefix; never freed. Zeroed (static). */
static void *boot_alloc(size_t n, size_t align) {
  if (align < 16) align = 16;
  if (n > BOOT_BYTES || (align & (align - 1)) != 0 || align > 4096) return NULL;
  size_t old = atomic_load(&boot_used), start, end;
  do {
    start = (old + 16 + align - 1) & ~(align - 1);
    end = start + n;
    if (end > BOOT_BYTES) return NULL;
  } while (!atomic_compare_exchange_weak(&boot_used, &old, end));
  memcpy(boot_buf + start - sizeof(size_t), &n, sizeof n);
  return boot_buf + start;
}

static size_t boot_size(const void *p) {
  size_t n;
  memcpy(&n, (const unsigned char *)p - sizeof(size_t), sizeof n);
  return n;
}

static void *next_sym(const char *name, void *fallback) {
  void *f = dlsym(RTLD_NEXT, name);
  return f ? f : fallback;
}

static void *memalign_fallback(size_t al, size_t n) { return __libc_memalign(al, n); }
static void *aligned_alloc_fallback(size_t al, size_t n) { return __libc_memalign(al, n); }
static int posix_memalign_fallback(void **out, size_t al, size_t n) {
  if (al < sizeof(void *) || (al & (al - 1)) != 0) return EINVAL;
  void *p = __libc_memalign(al, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}

/* Finds the next definitions. dlsym may call calloc/malloc: on this thread
 * those are served from boot_buf (t_resolving); other threads wait. */
static void resolve(void) {
  int expected = 0;
  if (atomic_compare_exchange_strong(&resolve_state, &expected, 1)) {
    t_resolving = 1;
    real.memalign = (void *(*)(size_t, size_t))next_sym("memalign", (void *)memalign_fallback);
    real.aligned_alloc =
        (void *(*)(size_t, size_t))next_sym("aligned_alloc", (void *)aligned_alloc_fallback);
    real.posix_memalign =
        (int (*)(void **, size_t, size_t))next_sym("posix_memalign", (void *)posix_memalign_fallback);
    real.valloc = (void *(*)(size_t))next_sym("valloc", (void *)__libc_valloc);
    real.pvalloc = (void *(*)(size_t))next_sym("pvalloc", (void *)__libc_pvalloc);
    real.free = (void (*)(void *))next_sym("free", (void *)__libc_free);
    real.realloc = (void *(*)(void *, size_t))next_sym("realloc", (void *)__libc_realloc);
    real.calloc = (void *(*)(size_t, size_t))next_sym("calloc", (void *)__libc_calloc);
    void *m = next_sym("malloc", (void *)__libc_malloc);
    t_resolving = 0;
    atomic_store_explicit((_Atomic(void *) *)(void *)&real.malloc, m, memory_order_release);
    atomic_store(&resolve_state, 2);
  } else if (!t_resolving) {
    while (atomic_load(&resolve_state) != 2) sched_yield();
  }
}

/* True when the real functions are known; else resolves (or reports that this
 * thread is resolving and must use the bootstrap buffer). */
static inline int ready(void) {
  if (LIKELY(atomic_load_explicit(&resolve_state, memory_order_acquire) == 2)) return 1;
  if (t_resolving) return 0;
  resolve();
  return !t_resolving;
}

/* ------------------------------------------------------------------------ */
/* Recorder state (all guarded by `lock` except `state`'s lock-free peek)   */

static _Atomic int state = ST_OFF;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int out_fd = -1;
static dev_t out_dev;        /* identity of the output, checked before every */
static ino_t out_ino;        /* use of out_fd (the program may close fds)    */
static uint64_t page_bytes = 4096;
static unsigned char *win;   /* mapped window */
static uint64_t win_off;     /* file offset of win[0] */
static uint64_t win_len;
static uint64_t pos;         /* file offset of the next byte to write */
static uint64_t file_bytes;  /* current file size */
static uint64_t max_ops;     /* 0: no limit */

/* Pointer -> id: open addressing, linear probing, backward-shift deletion. */
typedef struct { uintptr_t key; uint32_t id; uint32_t pad; } Slot;
static Slot *table;
static uint64_t table_cap, table_used;

/* Per id: the recorded size (for live/peak bytes); free ids as a stack. */
static uint64_t *id_size;
static uint32_t *id_free;
static uint64_t ids_cap, ids_next, ids_free_top;

/* Counters. */
static uint64_t n_ops;
static uint64_t live_bytes, peak_bytes;

static char out_path[PATH_BYTES];

static inline void lock_take(void) { pthread_mutex_lock(&lock); }
static inline void lock_drop(void) { pthread_mutex_unlock(&lock); }
static inline int recording(void) {
  return atomic_load_explicit(&state, memory_order_relaxed) == ST_RECORDING;
}
/* Sizes count rounded up to 16 bytes, 0 as 16 (as Trace.rounded(_:16) in the core). */
static inline uint64_t round16(uint64_t n) {
  return n == 0 ? 16 : n > UINT64_MAX - 15 ? UINT64_MAX & ~15ull : (n + 15) & ~15ull;
}

static void *map_anon(uint64_t bytes) {
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

/* ------------------------------------------------------------------------ */
/* Table                                                                    */

/* Locality-preserving: each 1 KB of addresses gets a pseudo-random base and
 * its blocks (16-byte aligned) follow it in address order (64 slots), so a
 * program that allocates or frees along its heap walks along the table too.
 * Measured on Python with PYTHONMALLOC=malloc (4 M live blocks): a fully
 * random hash costs a cache/TLB miss per operation (~0.5 probes but 2x the
 * time); 4 KB groups cluster (15-25 probes); 1 KB groups: ~4 probes, fastest. */
static inline uint64_t hash_ptr(uintptr_t p) {
  uint64_t h = (uint64_t)(p >> 10) * 0x9E3779B97F4A7C15ull;
  return (h ^ (h >> 29)) + ((p >> 4) & 0x3F);
}

static int table_grow(void) {
  uint64_t cap = table_cap * 2;
  Slot *t = map_anon(cap * sizeof(Slot));
  if (!t) return 0;
  madvise(t, cap * sizeof(Slot), MADV_HUGEPAGE); /* fewer TLB misses on big tables */
  for (uint64_t i = 0; i < table_cap; i++) {
    if (!table[i].key) continue;
    uint64_t j = hash_ptr(table[i].key) & (cap - 1);
    while (t[j].key) j = (j + 1) & (cap - 1);
    t[j] = table[i];
  }
  munmap(table, table_cap * sizeof(Slot));
  table = t;
  table_cap = cap;
  return 1;
}

/* Index of p's slot, or -1. */
static inline int64_t table_find(uintptr_t p) {
  uint64_t mask = table_cap - 1, i = hash_ptr(p) & mask;
  for (;;) {
    uintptr_t k = table[i].key;
    if (k == p) return (int64_t)i;
    if (!k) return -1;
    i = (i + 1) & mask;
  }
}

static inline void table_remove_at(uint64_t i) {
  uint64_t mask = table_cap - 1, j = i;
  for (;;) {
    j = (j + 1) & mask;
    if (!table[j].key) break;
    uint64_t home = hash_ptr(table[j].key) & mask;
    /* Move j into the hole at i unless its home lies cyclically in (i, j]. */
    if ((j > i) ? (home <= i || home > j) : (home <= i && home > j)) {
      table[i] = table[j];
      i = j;
    }
  }
  table[i].key = 0;
  table_used--;
}

/* The slot holding p, or the empty slot where p would go. */
static inline uint64_t table_probe(uintptr_t p) {
  uint64_t mask = table_cap - 1, i = hash_ptr(p) & mask;
  while (table[i].key && table[i].key != p) i = (i + 1) & mask;
  return i;
}

/* Room for one more entry (the load stays at most 1/2); 0 if out of memory. */
static inline int table_room(void) {
  return LIKELY((table_used + 1) * 2 <= table_cap) || table_grow();
}

/* Inserts p (known absent); 0 if memory ran out. */
static inline int table_insert(uintptr_t p, uint32_t id) {
  if (!table_room()) return 0;
  uint64_t i = table_probe(p);
  table[i].key = p;
  table[i].id = id;
  table_used++;
  return 1;
}

/* ------------------------------------------------------------------------ */
/* Ids                                                                      */

static int ids_grow(void) {
  uint64_t cap = ids_cap * 2;
  if (cap > (uint64_t)MAX_ID + 1) cap = (uint64_t)MAX_ID + 1;
  if (cap <= ids_cap) return 0;
  void *s = mremap(id_size, ids_cap * sizeof *id_size, cap * sizeof *id_size, MREMAP_MAYMOVE);
  if (s == MAP_FAILED) return 0;
  id_size = s;
  void *f = mremap(id_free, ids_cap * sizeof *id_free, cap * sizeof *id_free, MREMAP_MAYMOVE);
  if (f == MAP_FAILED) return 0;
  id_free = f;
  ids_cap = cap;
  return 1;
}

/* A free id (the most recently freed one first), or -1. */
static inline int64_t id_take(void) {
  if (ids_free_top) return id_free[--ids_free_top];
  if (UNLIKELY(ids_next == ids_cap) && !ids_grow()) return -1;
  return (int64_t)ids_next++;
}

static inline void id_release(uint32_t id) { id_free[ids_free_top++] = id; }

/* ------------------------------------------------------------------------ */
/* Output                                                                   */

static void put_header_number(unsigned char *p, uint64_t v) {
  memset(p, ' ', HEADER_LINE - 1);
  p[HEADER_LINE - 1] = '\n';
  unsigned char *q = p + HEADER_LINE - 1;
  do { *--q = (unsigned char)('0' + v % 10); v /= 10; } while (v && q > p);
}

static void make_header(unsigned char h[HEADER_BYTES], uint64_t heap, uint64_t ids, uint64_t ops) {
  put_header_number(h, heap);
  put_header_number(h + HEADER_LINE, ids);
  put_header_number(h + 2 * HEADER_LINE, ops);
  put_header_number(h + 3 * HEADER_LINE, 1);
}

/* Whether out_fd is still our file: a program that closes all descriptors
 * and opens others may have put another file under that number. */
static int fd_ok(void) {
  struct stat st;
  return out_fd >= 0 && fstat(out_fd, &st) == 0 && st.st_dev == out_dev && st.st_ino == out_ino;
}

/* Maps a window starting at the page holding `pos`; extends the file first. */
static int map_window(void) {
  if (!fd_ok()) return 0;
  uint64_t off = pos & ~(page_bytes - 1), end = off + WINDOW_BYTES;
  if (end > file_bytes) {
    /* Reserve the blocks, so that a full disk fails here and not as SIGBUS
     * on a store into the mapping. Filesystems without fallocate: ftruncate. */
    int r = fallocate(out_fd, 0, (off_t)file_bytes, (off_t)(end - file_bytes));
    if (r != 0 && (errno == EOPNOTSUPP || errno == ENOSYS)) r = ftruncate(out_fd, (off_t)end);
    if (r != 0) return 0;
    file_bytes = end;
  }
  void *w = mmap(NULL, WINDOW_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, out_fd, (off_t)off);
  if (w == MAP_FAILED) return 0;
  if (win) munmap(win, win_len);
  win = w;
  win_off = off;
  win_len = WINDOW_BYTES;
  return 1;
}

static inline unsigned char *put_u64(unsigned char *p, uint64_t v) {
  unsigned char tmp[20];
  int n = 0;
  do { tmp[n++] = (unsigned char)('0' + v % 10); v /= 10; } while (v);
  while (n) *p++ = tmp[--n];
  return p;
}

/* Room for `lines` more lines within the operation limit, and for two in the
 * window (an operation writes at most two: a stale free and itself); else
 * recording stops (state STOPPED) and nothing may be changed or written.
 * Callers check this before they change the table, so the counts match the file. */
static inline int may_emit(uint64_t lines) {
  if (UNLIKELY(max_ops && n_ops + lines > max_ops)) {
    atomic_store(&state, ST_STOPPED);
    return 0;
  }
  if (UNLIKELY(pos + 2 * MAX_LINE > win_off + win_len) && !map_window()) {
    atomic_store(&state, ST_STOPPED);
    return 0;
  }
  return 1;
}

/* Writes "<op> <id>[ <size>]\n". Caller holds the lock and called may_emit. */
static inline void emit(unsigned char op, uint32_t id, int with_size, uint64_t size) {
  unsigned char *p = win + (pos - win_off), *s = p;
  *p++ = op;
  *p++ = ' ';
  p = put_u64(p, id);
  if (with_size) {
    *p++ = ' ';
    p = put_u64(p, size);
  }
  *p++ = '\n';
  pos += (uint64_t)(p - s);
  n_ops++;
}

/* ------------------------------------------------------------------------ */
/* Recording (caller holds the lock and saw ST_RECORDING)                   */

static void free_id_locked(uint64_t slot) {
  uint32_t id = table[slot].id;
  table_remove_at(slot);
  id_release(id);
  live_bytes -= round16(id_size[id]) <= live_bytes ? round16(id_size[id]) : live_bytes;
  id_size[id] = 0;
}

/* A recorded address came back from the allocator: we missed its free. */
static int retire_stale_locked(uintptr_t p) {
  int64_t s = table_find(p);
  if (s < 0) return 1;
  if (!may_emit(2)) return 0;
  emit('f', table[s].id, 0, 0);
  free_id_locked((uint64_t)s);
  return recording();
}

static void alloc_locked(void *p, uint64_t n) {
  if (!may_emit(1)) return;
  if (!table_room()) {
    atomic_store(&state, ST_STOPPED); /* out of memory for the table */
    return;
  }
  uint64_t slot = table_probe((uintptr_t)p); /* one probe finds a stale entry or the place */
  if (UNLIKELY(table[slot].key)) {
    if (!retire_stale_locked((uintptr_t)p)) return;
    slot = table_probe((uintptr_t)p);
  }
  int64_t id = id_take();
  if (id < 0) {
    atomic_store(&state, ST_STOPPED); /* out of ids or of memory for them */
    return;
  }
  table[slot].key = (uintptr_t)p;
  table[slot].id = (uint32_t)id;
  table_used++;
  id_size[id] = n;
  live_bytes += round16(n);
  if (live_bytes > peak_bytes) peak_bytes = live_bytes;
  emit('a', (uint32_t)id, 1, n);
}

static void record_alloc(void *p, uint64_t n) {
  lock_take();
  if (recording()) alloc_locked(p, n);
  lock_drop();
}

/* ------------------------------------------------------------------------ */
/* Hooks                                                                    */

EXPORT void *malloc(size_t n) {
  if (UNLIKELY(!ready())) return boot_alloc(n, 16);
  void *p;
  if (UNLIKELY(t_in_hook)) return real.malloc(n);
  t_in_hook = 1;
  p = real.malloc(n);
  if (p && recording()) record_alloc(p, n);
  t_in_hook = 0;
  return p;
}

EXPORT void *calloc(size_t a, size_t b) {
  if (UNLIKELY(!ready())) {
    size_t n;
    return __builtin_mul_overflow(a, b, &n) ? NULL : boot_alloc(n, 16);
  }
  if (UNLIKELY(t_in_hook)) return real.calloc(a, b);
  t_in_hook = 1;
  void *p = real.calloc(a, b); /* overflow: fails, nothing recorded */
  if (p && recording()) record_alloc(p, (uint64_t)a * b);
  t_in_hook = 0;
  return p;
}

EXPORT void free(void *p) {
  if (!p || is_boot(p)) return; /* free(NULL): nothing to do, nothing recorded */
  if (UNLIKELY(!ready())) return; /* cannot happen: p came from some allocator */
  if (UNLIKELY(t_in_hook) || !recording()) {
    real.free(p);
    return;
  }
  t_in_hook = 1;
  lock_take();
  if (recording()) {
    int64_t s = table_find((uintptr_t)p);
    if (s >= 0 && may_emit(1)) {
      emit('f', table[s].id, 0, 0);
      free_id_locked((uint64_t)s);
    }
  }
  lock_drop();
  real.free(p); /* after the line is written: the address may be reused at once */
  t_in_hook = 0;
}

/* C23 (glibc 2.40+): the same as free(p). */
EXPORT void free_sized(void *p, size_t n) {
  (void)n;
  free(p);
}
EXPORT void free_aligned_sized(void *p, size_t al, size_t n) {
  (void)al;
  (void)n;
  free(p);
}

/* realloc of a block the table does not hold (or of a bootstrap block). */
static void *realloc_untracked(void *p, size_t n) {
  void *q;
  if (is_boot(p)) {
    q = real.malloc(n ? n : 1);
    if (q) {
      size_t old = boot_size(p);
      memcpy(q, p, old < n ? old : n);
    }
  } else {
    q = real.realloc(p, n);
  }
  if (q && recording()) record_alloc(q, n);
  return q;
}

static void *do_realloc(void *p, size_t n) {
  if (!p) {
    void *q = real.realloc(NULL, n);
    if (q && recording()) record_alloc(q, n);
    return q;
  }
  if (is_boot(p) || !recording()) return realloc_untracked(p, n);
  lock_take();
  int64_t s = recording() ? table_find((uintptr_t)p) : -1;
  if (s < 0) {
    lock_drop();
    return realloc_untracked(p, n);
  }
  /* p is recorded: keep the lock across the real call (see the top comment). */
  uint32_t id = table[s].id;
  void *q;
  if (n == 0) {
    if (may_emit(1)) {
      emit('f', id, 0, 0);
      free_id_locked((uint64_t)s);
    }
    q = real.realloc(p, 0); /* glibc: frees p, returns NULL */
    if (q && recording()) alloc_locked(q, 0); /* an allocator that keeps a block */
  } else {
    q = real.realloc(p, n);
    if (q && recording() && may_emit(1)) {
      if (q != p) {
        table_remove_at((uint64_t)s);
        if (!retire_stale_locked((uintptr_t)q) || !table_insert((uintptr_t)q, id)) {
          atomic_store(&state, ST_STOPPED);
          lock_drop();
          return q;
        }
      }
      uint64_t old = round16(id_size[id]), now = round16(n);
      /* The old and the new block are both live for a moment (as Trace.peakLiveBytes). */
      if (live_bytes + now > peak_bytes) peak_bytes = live_bytes + now;
      live_bytes = live_bytes - (old <= live_bytes ? old : live_bytes) + now;
      id_size[id] = n;
      emit('r', id, 1, n);
    }
  }
  lock_drop();
  return q;
}

EXPORT void *realloc(void *p, size_t n) {
  if (UNLIKELY(!ready())) {
    void *q = boot_alloc(n, 16);
    if (q && p) {
      size_t old = boot_size(p);
      memcpy(q, p, old < n ? old : n);
    }
    return q;
  }
  if (UNLIKELY(t_in_hook)) {
    if (is_boot(p)) {
      void *q = real.malloc(n ? n : 1);
      if (q) memcpy(q, p, boot_size(p) < n ? boot_size(p) : n);
      return q;
    }
    return real.realloc(p, n);
  }
  t_in_hook = 1;
  void *q = do_realloc(p, n);
  t_in_hook = 0;
  return q;
}

EXPORT void *reallocarray(void *p, size_t a, size_t b) {
  size_t n;
  if (__builtin_mul_overflow(a, b, &n)) {
    errno = ENOMEM;
    return NULL;
  }
  return realloc(p, n);
}

EXPORT int posix_memalign(void **out, size_t al, size_t n) {
  if (UNLIKELY(!ready())) {
    void *p = boot_alloc(n, al);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
  }
  if (UNLIKELY(t_in_hook)) return real.posix_memalign(out, al, n);
  t_in_hook = 1;
  int r = real.posix_memalign(out, al, n);
  if (r == 0 && recording()) record_alloc(*out, n);
  t_in_hook = 0;
  return r;
}

#define ALIGNED_HOOK(NAME, CALL, BOOT, SIZE)          \
  EXPORT void *NAME {                                 \
    if (UNLIKELY(!ready())) return BOOT;              \
    if (UNLIKELY(t_in_hook)) return real.CALL;        \
    t_in_hook = 1;                                    \
    void *p = real.CALL;                              \
    if (p && recording()) record_alloc(p, SIZE);      \
    t_in_hook = 0;                                    \
    return p;                                         \
  }

ALIGNED_HOOK(aligned_alloc(size_t al, size_t n), aligned_alloc(al, n), boot_alloc(n, al), n)
ALIGNED_HOOK(memalign(size_t al, size_t n), memalign(al, n), boot_alloc(n, al), n)
ALIGNED_HOOK(valloc(size_t n), valloc(n), boot_alloc(n, 4096), n)
ALIGNED_HOOK(pvalloc(size_t n), pvalloc(n), boot_alloc(n, 4096),
             n ? (n + page_bytes - 1) / page_bytes * page_bytes : page_bytes)

/* ------------------------------------------------------------------------ */
/* Environment (no malloc: edits `environ` and its strings in place)        */

static const char *env_value(char *entry, const char *name) {
  size_t len = strlen(name);
  return strncmp(entry, name, len) == 0 && entry[len] == '=' ? entry + len + 1 : NULL;
}

static void env_remove_at(size_t i) {
  for (; environ[i]; i++) environ[i] = environ[i + 1];
}

/* Removes every `name=...` entry; copies the first value into out (if any). */
static int env_take(const char *name, char *out, size_t cap) {
  int found = 0;
  if (!environ) return 0;
  for (size_t i = 0; environ[i];) {
    const char *v = env_value(environ[i], name);
    if (!v) {
      i++;
      continue;
    }
    if (!found && out) {
      size_t len = strlen(v);
      if (len >= cap) len = 0; /* too long: treat as absent */
      memcpy(out, v, len);
      out[len] = 0;
    }
    found = 1;
    env_remove_at(i);
  }
  return found;
}

static const char *base_name(const char *s, size_t len, size_t *out_len) {
  size_t i = len;
  while (i > 0 && s[i - 1] != '/') i--;
  *out_len = len - i;
  return s + i;
}

/* Drops this library from LD_PRELOAD (entries separated by ':' or ' ', equal
 * to our path or with our file name); removes the variable if it empties. */
static void env_strip_preload(void) {
  Dl_info info;
  if (!environ || !dladdr((void *)&env_strip_preload, &info) || !info.dli_fname) return;
  size_t self_len = strlen(info.dli_fname), self_base_len;
  const char *self_base = base_name(info.dli_fname, self_len, &self_base_len);
  for (size_t i = 0; environ[i];) {
    char *v = (char *)env_value(environ[i], "LD_PRELOAD");
    if (!v) {
      i++;
      continue;
    }
    char *r = v, *w = v;
    while (*r) {
      while (*r == ':' || *r == ' ' || *r == '\t') r++;
      char *tok = r;
      while (*r && *r != ':' && *r != ' ' && *r != '\t') r++;
      size_t len = (size_t)(r - tok), blen;
      if (!len) continue;
      const char *b = base_name(tok, len, &blen);
      int ours = (len == self_len && memcmp(tok, info.dli_fname, len) == 0) ||
                 (blen == self_base_len && memcmp(b, self_base, blen) == 0);
      if (ours) continue;
      if (w != v) *w++ = ':';
      memmove(w, tok, len);
      w += len;
    }
    *w = 0;
    if (w == v) env_remove_at(i);
    else i++;
  }
}

static uint64_t parse_u64(const char *s) {
  uint64_t v = 0;
  for (; *s >= '0' && *s <= '9'; s++) v = v > (UINT64_MAX - 9) / 10 ? UINT64_MAX : v * 10 + (uint64_t)(*s - '0');
  return v;
}

/* ------------------------------------------------------------------------ */
/* Life cycle                                                               */

static void finish_locked(void) {
  int st = atomic_load(&state);
  if (st != ST_RECORDING && st != ST_STOPPED) return;
  atomic_store(&state, ST_FINISHED);
  if (win) munmap(win, win_len);
  win = NULL;
  if (!fd_ok()) return; /* descriptor lost: the parent's finalize() does this */
  unsigned char h[HEADER_BYTES];
  make_header(h, peak_bytes, ids_next, n_ops);
  if (pwrite(out_fd, h, HEADER_BYTES, 0) == HEADER_BYTES) {
    if (ftruncate(out_fd, (off_t)pos) != 0) { /* finalize() will trim the zeros */ }
  }
  close(out_fd);
  out_fd = -1;
}

/* fork() holds the lock from our prepare handler to our parent/child handler,
 * so that no thread is half-way through a line or a table update. Handlers of
 * libraries registered before ours run in between and may allocate: the
 * forking thread passes those straight to the real functions (t_in_hook), so
 * it cannot deadlock on the lock it holds; they are not recorded. */
static void atfork_prepare(void) {
  if (atomic_load(&state) == ST_OFF) return;
  lock_take();
  t_in_hook = 1;
}
static void atfork_parent(void) {
  if (atomic_load(&state) == ST_OFF) return;
  t_in_hook = 0;
  lock_drop();
}
/* In the child: stop for good, before fork() returns; never touch the file
 * (its pages are shared with the parent). */
static void atfork_child(void) {
  if (atomic_load(&state) == ST_OFF) return;
  t_in_hook = 0;
  atomic_store(&state, ST_OFF);
  if (win) munmap(win, win_len);
  win = NULL;
  if (out_fd >= 0) close(out_fd);
  out_fd = -1;
  if (table) munmap(table, table_cap * sizeof(Slot));
  if (id_size) munmap(id_size, ids_cap * sizeof *id_size);
  if (id_free) munmap(id_free, ids_cap * sizeof *id_free);
  table = NULL;
  id_size = NULL;
  id_free = NULL;
  pthread_mutex_init(&lock, NULL);
}

static int start_recording(void) {
  long pg = sysconf(_SC_PAGESIZE);
  if (pg > 0) page_bytes = (uint64_t)pg;
  table_cap = TABLE_INITIAL;
  ids_cap = IDS_INITIAL;
  table = map_anon(table_cap * sizeof(Slot));
  id_size = map_anon(ids_cap * sizeof *id_size);
  id_free = map_anon(ids_cap * sizeof *id_free);
  if (!table || !id_size || !id_free) return 0;
  out_fd = open(out_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (out_fd < 0) return 0;
  struct stat st;
  if (fstat(out_fd, &st) != 0 || !S_ISREG(st.st_mode) || ftruncate(out_fd, 0) != 0) return 0;
  out_dev = st.st_dev;
  out_ino = st.st_ino;
  file_bytes = 0;
  pos = 0;
  if (!map_window()) return 0;
  make_header(win, 0, 0, 0);
  pos = HEADER_BYTES;
  return 1;
}

static void stop_setup(void) {
  if (win) munmap(win, win_len);
  if (out_fd >= 0) close(out_fd);
  if (table) munmap(table, table_cap * sizeof(Slot));
  if (id_size) munmap(id_size, ids_cap * sizeof *id_size);
  if (id_free) munmap(id_free, ids_cap * sizeof *id_free);
  win = NULL;
  out_fd = -1;
  table = NULL;
  id_size = NULL;
  id_free = NULL;
}

/* The value of `name` in the environment, left there; 0 when absent or too long. */
static int env_get(const char *name, char *out, size_t cap) {
  if (!environ) return 0;
  for (size_t i = 0; environ[i]; i++) {
    const char *v = env_value(environ[i], name);
    if (!v) continue;
    size_t len = strlen(v);
    if (len >= cap) return 0;
    memcpy(out, v, len);
    out[len] = 0;
    return 1;
  }
  return 0;
}

__attribute__((constructor)) static void recorder_init(void) {
  t_in_hook = 1;
  (void)ready();
  char limit[32], parent[32];
  int have_path = env_get("MEMALLOOK_RECORD_FILE", out_path, sizeof out_path);
  int ours = env_get("MEMALLOOK_RECORD_PARENT", parent, sizeof parent) &&
             parse_u64(parent) == (uint64_t)getppid();
  if (env_get("MEMALLOOK_RECORD_MAX_OPS", limit, sizeof limit)) max_ops = parse_u64(limit);
  if (!ours) {
    /* Not the recorded process: leave no trace of the recorder for what it runs. */
    env_take("MEMALLOOK_RECORD_FILE", NULL, 0);
    env_take("MEMALLOOK_RECORD_PARENT", NULL, 0);
    env_take("MEMALLOOK_RECORD_MAX_OPS", NULL, 0);
    env_strip_preload();
    have_path = 0;
  }
  if (have_path && out_path[0] && pthread_atfork(atfork_prepare, atfork_parent, atfork_child) == 0) {
    if (start_recording()) atomic_store(&state, ST_RECORDING);
    else stop_setup(); /* stay transparent */
  }
  t_in_hook = 0;
}

__attribute__((destructor)) static void recorder_fini(void) {
  int saved = t_in_hook;
  t_in_hook = 1;
  if (atomic_load(&state) != ST_OFF) {
    /* Bounded wait (~0.2 s): exit() called from a signal handler that
     * interrupted a hook on this thread must not deadlock here; if the lock
     * cannot be had, the parent's finalize() writes the header instead. */
    for (int i = 0; i < 4000; i++) {
      if (pthread_mutex_trylock(&lock) == 0) {
        finish_locked();
        lock_drop();
        break;
      }
      struct timespec ts = {0, 50000};
      nanosleep(&ts, NULL);
    }
  }
  t_in_hook = saved;
}
