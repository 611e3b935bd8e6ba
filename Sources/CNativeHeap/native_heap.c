/* native_heap.c: a simulated page heap (first / next / best / worst fit) built for speed,
 * the native floor memallook's pair benchmark is compared against (`memallook-bench
 * --reference`, which checks that it places every ALLOC where the core does: the digests of
 * every ALLOC's tag and first page, and the counters at the end). Its design and figures:
 * docs/performance.md, "Against a native reference".
 *
 * Structures (all owned by one `rheap`, no globals):
 *   runs     B+ tree of the free runs by start; an entry is (start << 32 | length), so the
 *            entries sort by start; every inner node keeps, per child, the longest run below it.
 *   bysize   best fit only: B+ tree of (length << 32 | start), same code, no maxima.
 *   tags     tag -> (first page, pages): a direct-mapped array indexed by tag & mask plus a
 *            small open-addressing overflow hash for old tags a newer tag pushed out.
 *   map      with_page_map only: first page -> tag, linear probing, backward-shift deletion.
 */
#define _POSIX_C_SOURCE 199309L  /* clock_gettime under -std=c11 */
#include "native_heap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

__extension__ typedef unsigned __int128 u128;

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!q && n) { fputs("native heap: out of memory\n", stderr); abort(); }
  return q;
}
static void *xcalloc(size_t n, size_t size) {
  void *q = calloc(n, size);
  if (!q && n) { fputs("native heap: out of memory\n", stderr); abort(); }
  return q;
}
static void check_fail(const char *what) {
  fprintf(stderr, "native heap check failed: %s\n", what);
  abort();
}
#define CHECK(cond, what) do { if (!(cond)) check_fail(what); } while (0)

/* ---------------------------------------------------------------- random draws */

/* SplitMix64, as MemallookCore.SplitMix64. */
static inline uint64_t sm_next(uint64_t *state) {
  *state += 0x9E3779B97F4A7C15ull;
  uint64_t z = *state;  /* (old state) + golden */
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Swift's next(upperBound:) (Lemire's multiply-and-reject). */
static inline uint64_t sm_bounded(uint64_t *state, uint64_t bound) {
  u128 m = (u128)sm_next(state) * bound;
  if ((uint64_t)m < bound) {
    uint64_t t = (0 - bound) % bound;
    while ((uint64_t)m < t) m = (u128)sm_next(state) * bound;
  }
  return (uint64_t)(m >> 64);
}

/* ---------------------------------------------------------------- B+ tree of uint64 entries */

/* Entries are distinct uint64 values in increasing order. In the augmented tree (runs by
 * start) the low 32 bits of an entry are a run length, and every inner node keeps mx[j], the
 * largest low half in child j's subtree. Separators are relaxed: every key of child j-1 is
 * < sep[j] <= every key of child j, but sep[j] need not be a key (deletes leave it alone).
 * Unused slots are padded (leaf v[i] = PAD for i >= n; inner sep[0] = 0, sep[j] = PAD for
 * j >= n, mx[j] = 0) so that both searches by key are branch-free binary searches over the
 * whole power-of-two node. PAD is above every key (keys < 2^63) and has a zero low half. */
#ifndef LEAF_CAP          /* overridable so the tests can grow tall trees from few runs */
#define LEAF_CAP 32
#endif
#ifndef INNER_CAP
#define INNER_CAP 32
#endif
#define LEAF_MIN (LEAF_CAP / 4)   /* a non-root node under its MIN is merged or refilled */
#define INNER_MIN (INNER_CAP / 4 < 2 ? 2 : INNER_CAP / 4)  /* a non-root inner keeps a sibling */
_Static_assert(LEAF_CAP >= 4 && INNER_CAP >= 4, "node capacities below 4");
#define MAX_HEIGHT 34             /* inner nodes keep >= 2 children: height <= log_2(2^32) + 1 */
#define PAD 0xFFFFFFFF00000000ull
_Static_assert((LEAF_CAP & (LEAF_CAP - 1)) == 0 && (INNER_CAP & (INNER_CAP - 1)) == 0,
               "node capacities are powers of two (binary search)");

typedef struct {
  int32_t n, next_free;
  uint64_t v[LEAF_CAP];
} leaf_t;

typedef struct {
  int32_t n, next_free;
  uint32_t mx[INNER_CAP];   /* longest run under child j (augmented tree only) */
  int32_t child[INNER_CAP]; /* leaf ids on the level above the leaves, inner ids elsewhere */
  uint64_t sep[INNER_CAP];  /* sep[j] bounds child j from below; sep[0] = 0 */
} inner_t;

typedef struct {
  leaf_t *leaves;
  inner_t *inners;
  int32_t leaf_count, leaf_cap, leaf_free;
  int32_t inner_count, inner_cap, inner_free;
  int32_t root;    /* a leaf when height == 0 */
  int height;      /* inner levels above the leaves */
  int aug;         /* 1: keep the maxima */
  int64_t count;   /* entries */
} bpt_t;

/* A root-to-leaf path: node[l] and the child (or, at l == height, entry) index idx[l]. */
typedef struct {
  int32_t node[MAX_HEIGHT + 1];
  int32_t idx[MAX_HEIGHT + 1];
} path_t;

#define LF(t, id) (&(t)->leaves[id])
#define IN(t, id) (&(t)->inners[id])

/* A pool of `size`-byte nodes with room for one more past `count`, grown by doubling. */
static void *pool_room(void *nodes, size_t size, int32_t count, int32_t *cap) {
  if (count < *cap) return nodes;
  *cap = *cap ? 2 * *cap : 16;
  return xrealloc(nodes, (size_t)*cap * size);
}
static int32_t new_leaf(bpt_t *t) {
  int32_t id = t->leaf_free;
  if (id >= 0) t->leaf_free = t->leaves[id].next_free;
  else {
    t->leaves = pool_room(t->leaves, sizeof(leaf_t), t->leaf_count, &t->leaf_cap);
    id = t->leaf_count++;
  }
  leaf_t *lf = &t->leaves[id];
  lf->n = 0;
  for (int i = 0; i < LEAF_CAP; i++) lf->v[i] = PAD;
  return id;
}
static int32_t new_inner(bpt_t *t) {
  int32_t id = t->inner_free;
  if (id >= 0) t->inner_free = t->inners[id].next_free;
  else {
    t->inners = pool_room(t->inners, sizeof(inner_t), t->inner_count, &t->inner_cap);
    id = t->inner_count++;
  }
  inner_t *in = &t->inners[id];
  in->n = 0;
  for (int j = 0; j < INNER_CAP; j++) { in->sep[j] = PAD; in->mx[j] = 0; }
  in->sep[0] = 0;
  return id;
}
/* Restores the padding past n (after a node gave entries away). */
static void leaf_pad(leaf_t *lf) { for (int i = lf->n; i < LEAF_CAP; i++) lf->v[i] = PAD; }
static void inner_pad(inner_t *in) {
  in->sep[0] = 0;
  for (int j = in->n; j < INNER_CAP; j++) { in->sep[j] = PAD; in->mx[j] = 0; }
}
static void free_leaf(bpt_t *t, int32_t id) { t->leaves[id].next_free = t->leaf_free; t->leaf_free = id; }
static void free_inner(bpt_t *t, int32_t id) { t->inners[id].next_free = t->inner_free; t->inner_free = id; }

static void bpt_init(bpt_t *t, int aug) {
  memset(t, 0, sizeof *t);
  t->leaf_free = t->inner_free = -1;
  t->aug = aug;
  t->root = new_leaf(t);
}
static void bpt_free(bpt_t *t) { free(t->leaves); free(t->inners); }

/* Over the whole node (the padding counts 0): a fixed trip count, unrolled, no branches. */
static inline uint32_t leaf_max(const leaf_t *lf) {
  uint32_t m0 = 0, m1 = 0;
#pragma GCC unroll 32
  for (int i = 0; i < LEAF_CAP; i += 2) {
    uint32_t x = (uint32_t)lf->v[i], y = (uint32_t)lf->v[i + 1];
    m0 = x > m0 ? x : m0;
    m1 = y > m1 ? y : m1;
  }
  return m0 > m1 ? m0 : m1;
}
static inline uint32_t inner_max(const inner_t *in) {
  uint32_t m0 = 0, m1 = 0;
#pragma GCC unroll 32
  for (int j = 0; j < INNER_CAP; j += 2) {
    m0 = in->mx[j] > m0 ? in->mx[j] : m0;
    m1 = in->mx[j + 1] > m1 ? in->mx[j + 1] : m1;
  }
  return m0 > m1 ? m0 : m1;
}
static inline uint32_t bpt_max(const bpt_t *t) {
  return t->height ? inner_max(IN(t, t->root)) : leaf_max(LF(t, t->root));
}
static inline uint64_t path_entry(const bpt_t *t, const path_t *p) {
  return LF(t, p->node[t->height])->v[p->idx[t->height]];
}
static inline void path_copy(const bpt_t *t, path_t *dst, const path_t *src) {
  memcpy(dst->node, src->node, (size_t)(t->height + 1) * sizeof(int32_t));
  memcpy(dst->idx, src->idx, (size_t)(t->height + 1) * sizeof(int32_t));
}

/* Descends to the first entry >= key; the leaf index may equal the leaf's n (the entry,
 * if any, is then the first of the next leaf: see path_norm). */
static void bpt_seek(const bpt_t *t, uint64_t key, path_t *p) {
  int32_t id = t->root;
  for (int l = 0; l < t->height; l++) {
    const inner_t *in = IN(t, id);
    int j = 0;  /* the last child whose separator is <= key (sep[0] = 0, padding above) */
#pragma GCC unroll 16
    for (int s = INNER_CAP / 2; s > 0; s >>= 1) j += s & -(int)(in->sep[j + s] <= key);
    p->node[l] = id;
    p->idx[l] = j;
    id = in->child[j];
  }
  const leaf_t *lf = LF(t, id);
  int i = 0;  /* how many entries are < key (padding is not) */
#pragma GCC unroll 16
  for (int s = LEAF_CAP / 2; s > 0; s >>= 1) i += s & -(int)(lf->v[i + s - 1] < key);
  i += lf->v[i] < key;
  p->node[t->height] = id;
  p->idx[t->height] = i;
}

/* Makes a path past the end of its leaf point at the next leaf's first entry; 0 if none. */
static int path_norm(const bpt_t *t, path_t *p) {
  int h = t->height;
  if (p->idx[h] < LF(t, p->node[h])->n) return 1;
  int l = h - 1;
  while (l >= 0 && p->idx[l] == IN(t, p->node[l])->n - 1) l--;
  if (l < 0) return 0;
  int32_t id = IN(t, p->node[l])->child[++p->idx[l]];
  for (l++; l < h; l++) { p->node[l] = id; p->idx[l] = 0; id = IN(t, id)->child[0]; }
  p->node[h] = id;
  p->idx[h] = 0;  /* non-root leaves are never empty */
  return 1;
}

/* Moves a path to the previous entry; 0 if none. */
static int path_prev(const bpt_t *t, path_t *p) {
  int h = t->height;
  if (p->idx[h] > 0) { p->idx[h]--; return 1; }
  int l = h - 1;
  while (l >= 0 && p->idx[l] == 0) l--;
  if (l < 0) return 0;
  int32_t id = IN(t, p->node[l])->child[--p->idx[l]];
  for (l++; l < h; l++) { p->node[l] = id; p->idx[l] = IN(t, id)->n - 1; id = IN(t, id)->child[p->idx[l]]; }
  p->node[h] = id;
  p->idx[h] = LF(t, id)->n - 1;
  return 1;
}

/* From node `id` at `level`, whose subtree holds a run >= need, down to the first such run. */
static void descend_fit(const bpt_t *t, path_t *p, int level, int32_t id, uint32_t need) {
  for (int l = level; l < t->height; l++) {
    const inner_t *in = IN(t, id);
    int j = 0;
    while (in->mx[j] < need) j++;
    p->node[l] = id;
    p->idx[l] = j;
    id = in->child[j];
  }
  const leaf_t *lf = LF(t, id);
  int i = 0;
  while ((uint32_t)lf->v[i] < need) i++;
  p->node[t->height] = id;
  p->idx[t->height] = i;
}

/* The lowest entry whose run is >= need: one pruned descent. */
static int bpt_first_fit(const bpt_t *t, uint32_t need, path_t *p) {
  if (t->height == 0) {
    const leaf_t *lf = LF(t, t->root);
    for (int i = 0; i < lf->n; i++)
      if ((uint32_t)lf->v[i] >= need) { p->node[0] = t->root; p->idx[0] = i; return 1; }
    return 0;
  }
  const inner_t *root = IN(t, t->root);
  for (int j = 0; j < root->n; j++)
    if (root->mx[j] >= need) {
      p->node[0] = t->root;
      p->idx[0] = j;
      descend_fit(t, p, 1, root->child[j], need);
      return 1;
    }
  return 0;
}

/* From the path's position on (inclusive), the first entry whose run is >= need: the rest of
 * the leaf, then up the path to the first right sibling whose maximum fits, then down. */
static int bpt_fit_right(const bpt_t *t, path_t *p, uint32_t need) {
  int h = t->height;
  const leaf_t *lf = LF(t, p->node[h]);
  for (int i = p->idx[h]; i < lf->n; i++)
    if ((uint32_t)lf->v[i] >= need) { p->idx[h] = i; return 1; }
  for (int l = h - 1; l >= 0; l--) {
    const inner_t *in = IN(t, p->node[l]);
    for (int j = p->idx[l] + 1; j < in->n; j++)
      if (in->mx[j] >= need) {
        p->idx[l] = j;
        descend_fit(t, p, l + 1, in->child[j], need);
        return 1;
      }
  }
  return 0;
}

/* The node at `level` on the path changed: fixes the maxima above it, stopping at the first
 * ancestor whose entry does not change. */
static void prop_max(bpt_t *t, const path_t *p, int level) {
  if (!t->aug) return;
  uint32_t m = level == t->height ? leaf_max(LF(t, p->node[level])) : inner_max(IN(t, p->node[level]));
  for (int l = level - 1; l >= 0; l--) {
    inner_t *in = IN(t, p->node[l]);
    if (in->mx[p->idx[l]] == m) return;
    in->mx[p->idx[l]] = m;
    m = inner_max(in);
  }
}
/* An entry of the path's leaf went from length `old` to a shorter one, or away: only the
 * maxima that were `old` can drop; recomputes them upward until one holds. */
static void lower_max(bpt_t *t, const path_t *p, uint32_t old) {
  if (!t->aug) return;
  for (int l = t->height - 1; l >= 0; l--) {
    uint32_t *m = &IN(t, p->node[l])->mx[p->idx[l]];
    if (*m != old) return;  /* that child holds a longer run */
    uint32_t now = l + 1 == t->height ? leaf_max(LF(t, p->node[l + 1])) : inner_max(IN(t, p->node[l + 1]));
    if (now == old) return;
    *m = now;
  }
}
/* A run of length `len` appeared in the path's leaf: raises the maxima that are below it. */
static void raise_max(bpt_t *t, const path_t *p, uint32_t len) {
  if (!t->aug) return;
  for (int l = t->height - 1; l >= 0; l--) {
    uint32_t *m = &IN(t, p->node[l])->mx[p->idx[l]];
    if (*m >= len) return;
    *m = len;
  }
}

/* Replaces the entry at the path by v, which must keep its rank (stay between its
 * neighbours). A boundary entry may cross a stale separator: that separator is moved. */
static void bpt_set(bpt_t *t, const path_t *p, uint64_t v) {
  int h = t->height;
  leaf_t *lf = LF(t, p->node[h]);
  int i = p->idx[h];
  uint64_t old = lf->v[i];
  lf->v[i] = v;
  if (v > old && i == lf->n - 1) {  /* the separator right of this leaf must stay > v */
    int l = h - 1;
    while (l >= 0 && p->idx[l] == IN(t, p->node[l])->n - 1) l--;
    if (l >= 0 && IN(t, p->node[l])->sep[p->idx[l] + 1] <= v) IN(t, p->node[l])->sep[p->idx[l] + 1] = v + 1;
  }
  if (v < old && i == 0) {  /* the separator left of this leaf must stay <= v */
    int l = h - 1;
    while (l >= 0 && p->idx[l] == 0) l--;
    if (l >= 0 && IN(t, p->node[l])->sep[p->idx[l]] > v) IN(t, p->node[l])->sep[p->idx[l]] = v;
  }
  if ((uint32_t)v > (uint32_t)old) raise_max(t, p, (uint32_t)v);
  else if ((uint32_t)v < (uint32_t)old) lower_max(t, p, (uint32_t)old);
}

/* Inserts v at the path's leaf position (as left by bpt_seek(v)); splits full nodes upward.
 * The path is spent afterwards. */
static void bpt_insert_at(bpt_t *t, const path_t *p, uint64_t v) {
  int h = t->height;
  int32_t id = p->node[h];
  int i = p->idx[h];
  leaf_t *lf = LF(t, id);
  t->count++;
  if (i == 0 && h > 0) {  /* v may be below a stale separator left of this leaf (seek by a larger key) */
    int l = h - 1;
    while (l >= 0 && p->idx[l] == 0) l--;
    if (l >= 0 && IN(t, p->node[l])->sep[p->idx[l]] > v) IN(t, p->node[l])->sep[p->idx[l]] = v;
  }
  if (lf->n < LEAF_CAP) {
    memmove(&lf->v[i + 1], &lf->v[i], (size_t)(lf->n - i) * sizeof(uint64_t));
    lf->v[i] = v;
    lf->n++;
    raise_max(t, p, (uint32_t)v);
    return;
  }
  /* Split the leaf: LEAF_CAP + 1 entries, the lower half stays. */
  uint64_t tmp[LEAF_CAP + 1];
  memcpy(tmp, lf->v, (size_t)i * sizeof(uint64_t));
  tmp[i] = v;
  memcpy(tmp + i + 1, lf->v + i, (size_t)(LEAF_CAP - i) * sizeof(uint64_t));
  int32_t rid = new_leaf(t);  /* may move the pool: fetch pointers again */
  lf = LF(t, id);
  leaf_t *rf = LF(t, rid);
  const int k = (LEAF_CAP + 1) / 2;
  memcpy(lf->v, tmp, (size_t)k * sizeof(uint64_t));
  memcpy(rf->v, tmp + k, (size_t)(LEAF_CAP + 1 - k) * sizeof(uint64_t));
  lf->n = k;
  rf->n = LEAF_CAP + 1 - k;
  leaf_pad(lf);
  uint64_t up = rf->v[0];
  int32_t upchild = rid;
  uint32_t lmax = t->aug ? leaf_max(lf) : 0, rmax = t->aug ? leaf_max(rf) : 0;
  /* Hand (up, upchild) to the parents, splitting full ones. */
  for (int l = h - 1; l >= 0; l--) {
    inner_t *in = IN(t, p->node[l]);
    int c = p->idx[l];
    if (in->n < INNER_CAP) {
      int move = in->n - c - 1;
      memmove(&in->child[c + 2], &in->child[c + 1], (size_t)move * sizeof(int32_t));
      memmove(&in->mx[c + 2], &in->mx[c + 1], (size_t)move * sizeof(uint32_t));
      memmove(&in->sep[c + 2], &in->sep[c + 1], (size_t)move * sizeof(uint64_t));
      in->child[c + 1] = upchild;
      in->sep[c + 1] = up;
      in->mx[c] = lmax;
      in->mx[c + 1] = rmax;
      in->n++;
      prop_max(t, p, l);
      return;
    }
    enum { T = INNER_CAP + 1 };
    int32_t tc[T];
    uint32_t tm[T];
    uint64_t ts[T];
    for (int j = 0, o = 0; j < INNER_CAP; j++, o++) {
      tc[o] = in->child[j]; tm[o] = in->mx[j]; ts[o] = in->sep[j];
      if (j == c) { tm[o] = lmax; o++; tc[o] = upchild; tm[o] = rmax; ts[o] = up; }
    }
    int32_t nid = new_inner(t);
    in = IN(t, p->node[l]);
    inner_t *rn = IN(t, nid);
    const int kk = T / 2;
    memcpy(in->child, tc, (size_t)kk * sizeof(int32_t));
    memcpy(in->mx, tm, (size_t)kk * sizeof(uint32_t));
    memcpy(in->sep, ts, (size_t)kk * sizeof(uint64_t));
    memcpy(rn->child, tc + kk, (size_t)(T - kk) * sizeof(int32_t));
    memcpy(rn->mx, tm + kk, (size_t)(T - kk) * sizeof(uint32_t));
    memcpy(rn->sep, ts + kk, (size_t)(T - kk) * sizeof(uint64_t));
    in->n = kk;
    rn->n = T - kk;
    inner_pad(in);
    inner_pad(rn);
    up = ts[kk];  /* the right node's first separator moves up */
    upchild = nid;
    lmax = t->aug ? inner_max(in) : 0;
    rmax = t->aug ? inner_max(rn) : 0;
  }
  /* The root split: a new root above. */
  int32_t r = new_inner(t);
  inner_t *rt = IN(t, r);
  rt->n = 2;
  rt->child[0] = p->node[0];
  rt->child[1] = upchild;
  rt->sep[1] = up;
  rt->mx[0] = lmax;
  rt->mx[1] = rmax;
  t->root = r;
  t->height++;
}

/* Leaves lc and lc+1 of par: merges them when they fit in 3/4 of a leaf (returns 1),
 * else evens them out (returns 0). */
static int leaf_rebalance(bpt_t *t, inner_t *par, int lc) {
  int rc = lc + 1;
  leaf_t *a = LF(t, par->child[lc]), *b = LF(t, par->child[rc]);
  if (a->n + b->n <= LEAF_CAP * 3 / 4) {
    memcpy(a->v + a->n, b->v, (size_t)b->n * sizeof(uint64_t));
    a->n += b->n;
    free_leaf(t, par->child[rc]);
    int move = par->n - rc - 1;
    memmove(&par->child[rc], &par->child[rc + 1], (size_t)move * sizeof(int32_t));
    memmove(&par->mx[rc], &par->mx[rc + 1], (size_t)move * sizeof(uint32_t));
    memmove(&par->sep[rc], &par->sep[rc + 1], (size_t)move * sizeof(uint64_t));
    par->n--;
    inner_pad(par);
    if (t->aug) par->mx[lc] = leaf_max(a);
    return 1;
  }
  int target = (a->n + b->n) / 2;
  if (a->n < target) {
    int k = target - a->n;
    memcpy(a->v + a->n, b->v, (size_t)k * sizeof(uint64_t));
    memmove(b->v, b->v + k, (size_t)(b->n - k) * sizeof(uint64_t));
    a->n += k; b->n -= k;
    leaf_pad(b);
  } else {
    int k = a->n - target;
    memmove(b->v + k, b->v, (size_t)b->n * sizeof(uint64_t));
    memcpy(b->v, a->v + target, (size_t)k * sizeof(uint64_t));
    a->n -= k; b->n += k;
    leaf_pad(a);
  }
  par->sep[rc] = b->v[0];
  if (t->aug) { par->mx[lc] = leaf_max(a); par->mx[rc] = leaf_max(b); }
  return 0;
}

/* The same for inner children lc and lc+1; the parent's separator rotates through. */
static int inner_rebalance(bpt_t *t, inner_t *par, int lc) {
  int rc = lc + 1;
  inner_t *a = IN(t, par->child[lc]), *b = IN(t, par->child[rc]);
  if (a->n + b->n <= INNER_CAP * 3 / 4) {
    memcpy(a->child + a->n, b->child, (size_t)b->n * sizeof(int32_t));
    memcpy(a->mx + a->n, b->mx, (size_t)b->n * sizeof(uint32_t));
    memcpy(a->sep + a->n, b->sep, (size_t)b->n * sizeof(uint64_t));
    a->sep[a->n] = par->sep[rc];
    a->n += b->n;
    free_inner(t, par->child[rc]);
    int move = par->n - rc - 1;
    memmove(&par->child[rc], &par->child[rc + 1], (size_t)move * sizeof(int32_t));
    memmove(&par->mx[rc], &par->mx[rc + 1], (size_t)move * sizeof(uint32_t));
    memmove(&par->sep[rc], &par->sep[rc + 1], (size_t)move * sizeof(uint64_t));
    par->n--;
    inner_pad(par);
    if (t->aug) par->mx[lc] = inner_max(a);
    return 1;
  }
  int target = (a->n + b->n) / 2;
  if (a->n < target) {  /* b's first k children move to a's end */
    int k = target - a->n;
    memcpy(a->child + a->n, b->child, (size_t)k * sizeof(int32_t));
    memcpy(a->mx + a->n, b->mx, (size_t)k * sizeof(uint32_t));
    memcpy(a->sep + a->n, b->sep, (size_t)k * sizeof(uint64_t));
    a->sep[a->n] = par->sep[rc];
    par->sep[rc] = b->sep[k];
    memmove(b->child, b->child + k, (size_t)(b->n - k) * sizeof(int32_t));
    memmove(b->mx, b->mx + k, (size_t)(b->n - k) * sizeof(uint32_t));
    memmove(b->sep, b->sep + k, (size_t)(b->n - k) * sizeof(uint64_t));
    a->n += k; b->n -= k;
    inner_pad(b);
  } else {  /* a's last k children move to b's front */
    int k = a->n - target;
    memmove(b->child + k, b->child, (size_t)b->n * sizeof(int32_t));
    memmove(b->mx + k, b->mx, (size_t)b->n * sizeof(uint32_t));
    memmove(b->sep + k, b->sep, (size_t)b->n * sizeof(uint64_t));
    memcpy(b->child, a->child + target, (size_t)k * sizeof(int32_t));
    memcpy(b->mx, a->mx + target, (size_t)k * sizeof(uint32_t));
    memcpy(b->sep, a->sep + target, (size_t)k * sizeof(uint64_t));
    b->sep[k] = par->sep[rc];
    par->sep[rc] = a->sep[target];
    a->n -= k; b->n += k;
    inner_pad(a);
    b->sep[0] = 0;
  }
  if (t->aug) { par->mx[lc] = inner_max(a); par->mx[rc] = inner_max(b); }
  return 0;
}

/* Deletes the entry at the path; refills or merges underfull nodes upward. Path spent. */
static void bpt_delete_at(bpt_t *t, const path_t *p) {
  int h = t->height;
  leaf_t *lf = LF(t, p->node[h]);
  int i = p->idx[h];
  uint32_t old = (uint32_t)lf->v[i];
  memmove(&lf->v[i], &lf->v[i + 1], (size_t)(lf->n - i - 1) * sizeof(uint64_t));
  lf->v[--lf->n] = PAD;
  t->count--;
  if (h == 0) return;
  if (lf->n >= LEAF_MIN) { lower_max(t, p, old); return; }
  int level = h;  /* the node on the path at `level` changed */
  for (;;) {
    int n = level == h ? LF(t, p->node[level])->n : IN(t, p->node[level])->n;
    if (level == 0 || n >= (level == h ? LEAF_MIN : INNER_MIN)) break;
    inner_t *par = IN(t, p->node[level - 1]);
    int c = p->idx[level - 1];
    int lc = c + 1 < par->n ? c : c - 1;
    int merged = level == h ? leaf_rebalance(t, par, lc) : inner_rebalance(t, par, lc);
    level--;
    if (!merged) break;
  }
  if (level > 0) {
    prop_max(t, p, level);
  } else {
    while (t->height > 0 && IN(t, t->root)->n == 1) {  /* a root with one child goes */
      int32_t old = t->root;
      t->root = IN(t, old)->child[0];
      free_inner(t, old);
      t->height--;
    }
  }
}

/* Replaces the entry at the path by v, which may change rank: moved within the leaf when the
 * leaf's separators allow (the common case: one descent), else deleted and inserted anew. */
static void bpt_replace(bpt_t *t, path_t *p, uint64_t v) {
  int h = t->height, i = p->idx[h], l = h - 1;
  leaf_t *lf = LF(t, p->node[h]);
  uint64_t old = lf->v[i];
  int here;
  if (v < old) {  /* v must stay >= the separator left of this leaf */
    while (l >= 0 && p->idx[l] == 0) l--;
    here = l < 0 || IN(t, p->node[l])->sep[p->idx[l]] <= v;
  } else {        /* v must stay < the separator right of this leaf */
    while (l >= 0 && p->idx[l] == IN(t, p->node[l])->n - 1) l--;
    here = l < 0 || v < IN(t, p->node[l])->sep[p->idx[l] + 1];
  }
  if (!here) {
    bpt_delete_at(t, p);
    bpt_seek(t, v, p);
    bpt_insert_at(t, p, v);
    return;
  }
  int j = i;
  if (v < old) for (; j > 0 && lf->v[j - 1] > v; j--) lf->v[j] = lf->v[j - 1];
  else for (; j + 1 < lf->n && lf->v[j + 1] < v; j++) lf->v[j] = lf->v[j + 1];
  lf->v[j] = v;
  if ((uint32_t)v > (uint32_t)old) raise_max(t, p, (uint32_t)v);
  else if ((uint32_t)v < (uint32_t)old) lower_max(t, p, (uint32_t)old);
}

/* Checks the subtree's order, bounds [lo, hi), fill, depth and maxima; appends its entries. */
static uint32_t bpt_check_node(const bpt_t *t, int32_t id, int level, uint64_t lo, uint64_t hi,
                               int64_t *count, uint64_t **out) {
  if (level == t->height) {
    const leaf_t *lf = LF(t, id);
    CHECK(lf->n <= LEAF_CAP && (level == 0 || lf->n >= LEAF_MIN), "leaf fill");
    for (int i = 0; i < lf->n; i++) {
      CHECK(lf->v[i] >= lo && lf->v[i] < hi, "leaf entry outside its separators");
      CHECK(i == 0 || lf->v[i - 1] < lf->v[i], "leaf order");
      if (out) *(*out)++ = lf->v[i];
    }
    for (int i = lf->n; i < LEAF_CAP; i++) CHECK(lf->v[i] == PAD, "leaf padding");
    *count += lf->n;
    return leaf_max(lf);
  }
  const inner_t *in = IN(t, id);
  CHECK(in->n <= INNER_CAP && in->n >= (level == 0 ? 2 : INNER_MIN), "inner fill");
  CHECK(in->sep[0] == 0, "inner padding");
  for (int j = in->n; j < INNER_CAP; j++) CHECK(in->sep[j] == PAD && in->mx[j] == 0, "inner padding");
  for (int j = 0; j < in->n; j++) {
    uint64_t clo = j == 0 ? lo : in->sep[j], chi = j + 1 < in->n ? in->sep[j + 1] : hi;
    CHECK(clo >= lo && chi <= hi && clo < chi, "separator order");
    uint32_t m = bpt_check_node(t, in->child[j], level + 1, clo, chi, count, out);
    CHECK(!t->aug || in->mx[j] == m, "subtree maximum");
  }
  return t->aug ? inner_max(in) : 0;
}

/* Writes the entries in order into out (room for t->count) after checking the whole tree. */
static void bpt_check(const bpt_t *t, uint64_t *out) {
  int64_t count = 0;
  bpt_check_node(t, t->root, 0, 0, UINT64_MAX, &count, &out);
  CHECK(count == t->count, "entry count");
}

/* ---------------------------------------------------------------- tag table */

/* Slot tag 0 = empty (tags start at 1). */
typedef struct { uint64_t tag; uint32_t first, pages; } tslot;

typedef struct {
  tslot *direct; uint64_t dmask;             /* tag & dmask */
  tslot *over; uint64_t omask; int oshift;   /* linear probing by hashed tag */
  int64_t ocount;
} tagtab_t;

static inline uint64_t hash_home(uint64_t key, int shift) { return (key * 0x9E3779B97F4A7C15ull) >> shift; }

static void over_put(tagtab_t *tt, tslot s);

static void over_init(tagtab_t *tt, int bits) {
  tt->over = xcalloc((size_t)1 << bits, sizeof(tslot));
  tt->omask = ((uint64_t)1 << bits) - 1;
  tt->oshift = 64 - bits;
  tt->ocount = 0;
}
static void over_grow(tagtab_t *tt) {
  tslot *old = tt->over;
  uint64_t n = tt->omask + 1;
  over_init(tt, 64 - tt->oshift + 1);
  for (uint64_t i = 0; i < n; i++) if (old[i].tag) over_put(tt, old[i]);
  free(old);
}
static void over_put(tagtab_t *tt, tslot s) {
  if (2 * (tt->ocount + 1) > (int64_t)(tt->omask + 1)) over_grow(tt);
  uint64_t i = hash_home(s.tag, tt->oshift);
  while (tt->over[i].tag) i = (i + 1) & tt->omask;
  tt->over[i] = s;
  tt->ocount++;
}
/* Takes `tag` out of the overflow table (it must be there); backward-shift deletion. */
static tslot over_take(tagtab_t *tt, uint64_t tag) {
  uint64_t m = tt->omask, i = hash_home(tag, tt->oshift);
  while (tt->over[i].tag != tag) { CHECK(tt->over[i].tag, "DEALLOC of an unknown tag"); i = (i + 1) & m; }
  tslot found = tt->over[i];
  for (uint64_t j = i;;) {
    j = (j + 1) & m;
    if (!tt->over[j].tag) break;
    uint64_t home = hash_home(tt->over[j].tag, tt->oshift);
    if (((j - home) & m) >= ((j - i) & m)) { tt->over[i] = tt->over[j]; i = j; }
  }
  tt->over[i].tag = 0;
  tt->ocount--;
  return found;
}

static void tagtab_init(tagtab_t *tt, int64_t live) {
  uint64_t n = 16;
  while (n < 2 * (uint64_t)live) n <<= 1;  /* 2x..4x live */
  tt->direct = xcalloc(n, sizeof(tslot));
  tt->dmask = n - 1;
  over_init(tt, 4);
}
static void tagtab_free(tagtab_t *tt) { free(tt->direct); free(tt->over); }

/* A new tag takes its direct slot; an older tag found there moves to the overflow table. */
static inline void tagtab_put(tagtab_t *tt, uint64_t tag, uint32_t first, uint32_t pages) {
  tslot *s = &tt->direct[tag & tt->dmask];
  if (s->tag) over_put(tt, *s);
  s->tag = tag; s->first = first; s->pages = pages;
}
static inline tslot tagtab_take(tagtab_t *tt, uint64_t tag) {
  tslot *s = &tt->direct[tag & tt->dmask];
  if (s->tag == tag) { tslot r = *s; s->tag = 0; return r; }
  return over_take(tt, tag);
}

/* ---------------------------------------------------------------- first-page map */

/* 8-byte slots: key = first page + 1 (0 = empty), 32-bit tag. */
typedef struct { uint32_t key, tag; } mslot;
typedef struct { mslot *s; uint64_t mask; int shift; int64_t count; } pmap_t;

static void pmap_init(pmap_t *m, int64_t live) {
  int bits = 4;
  while (((int64_t)1 << bits) < 2 * live) bits++;  /* load <= 1/2 */
  m->s = xcalloc((size_t)1 << bits, sizeof(mslot));
  m->mask = ((uint64_t)1 << bits) - 1;
  m->shift = 64 - bits;
  m->count = 0;
}
static void pmap_put(pmap_t *m, uint32_t page, uint32_t tag);
static void pmap_grow(pmap_t *m) {
  mslot *old = m->s;
  uint64_t n = m->mask + 1;
  int bits = 64 - m->shift + 1;
  m->s = xcalloc((size_t)1 << bits, sizeof(mslot));
  m->mask = ((uint64_t)1 << bits) - 1;
  m->shift = 64 - bits;
  m->count = 0;
  for (uint64_t i = 0; i < n; i++) if (old[i].key) pmap_put(m, old[i].key - 1, old[i].tag);
  free(old);
}
static void pmap_put(pmap_t *m, uint32_t page, uint32_t tag) {
  if (2 * (m->count + 1) > (int64_t)(m->mask + 1)) pmap_grow(m);
  uint32_t key = page + 1;
  uint64_t i = hash_home(key, m->shift);
  while (m->s[i].key) i = (i + 1) & m->mask;
  m->s[i].key = key;
  m->s[i].tag = tag;
  m->count++;
}
static inline const mslot *pmap_home(const pmap_t *m, uint32_t page) { return &m->s[hash_home(page + 1, m->shift)]; }
static int64_t pmap_find(const pmap_t *m, uint32_t page) {
  for (uint64_t i = hash_home(page + 1, m->shift); m->s[i].key; i = (i + 1) & m->mask)
    if (m->s[i].key == page + 1) return m->s[i].tag;
  return -1;
}
static void pmap_remove(pmap_t *m, uint32_t page) {
  uint32_t key = page + 1;
  uint64_t mask = m->mask, i = hash_home(key, m->shift);
  while (m->s[i].key != key) { CHECK(m->s[i].key, "page map: no such first page"); i = (i + 1) & mask; }
  for (uint64_t j = i;;) {
    j = (j + 1) & mask;
    if (!m->s[j].key) break;
    uint64_t home = hash_home(m->s[j].key, m->shift);
    if (((j - home) & mask) >= ((j - i) & mask)) { m->s[i] = m->s[j]; i = j; }
  }
  m->s[i].key = 0;
  m->count--;
}

/* ---------------------------------------------------------------- the heap */

enum { FIRST_FIT, NEXT_FIT, BEST_FIT, WORST_FIT };

#define RUN(start, len) (((uint64_t)(start) << 32) | (uint32_t)(len))
#define RUN_START(v) ((uint32_t)((v) >> 32))
#define RUN_LEN(v) ((uint32_t)(v))

typedef struct {
  int policy, with_map;
  uint32_t page_count;
  bpt_t runs;     /* RUN(start, length), maxima of the lengths */
  bpt_t bysize;   /* best fit: RUN(length, start) */
  tagtab_t tags;
  pmap_t map;
  int64_t next_tag, pages_in_use, cursor;
} rheap;

static void heap_init(rheap *h, int policy, int64_t page_count, int64_t live, int with_map) {
  memset(h, 0, sizeof *h);
  h->policy = policy;
  h->with_map = with_map;
  h->page_count = (uint32_t)page_count;
  h->next_tag = 1;
  bpt_init(&h->runs, 1);
  bpt_init(&h->bysize, 0);
  tagtab_init(&h->tags, live);
  if (with_map) pmap_init(&h->map, live);
  path_t p;
  bpt_seek(&h->runs, 0, &p);
  bpt_insert_at(&h->runs, &p, RUN(0, page_count));
  if (policy == BEST_FIT) { bpt_seek(&h->bysize, 0, &p); bpt_insert_at(&h->bysize, &p, RUN(page_count, 0)); }
}
static void heap_free(rheap *h) {
  bpt_free(&h->runs); bpt_free(&h->bysize); tagtab_free(&h->tags);
  if (h->with_map) free(h->map.s);
}

static inline void bysize_add(rheap *h, uint32_t start, uint32_t len) {
  path_t p;
  bpt_seek(&h->bysize, RUN(len, start), &p);
  bpt_insert_at(&h->bysize, &p, RUN(len, start));
}
static inline void bysize_remove(rheap *h, uint32_t start, uint32_t len) {
  path_t p;
  bpt_seek(&h->bysize, RUN(len, start), &p);
  bpt_delete_at(&h->bysize, &p);
}
static inline void bysize_replace(rheap *h, uint64_t old, uint64_t v) {
  path_t p;
  bpt_seek(&h->bysize, old, &p);
  bpt_replace(&h->bysize, &p, v);
}

/* ALLOC: the first page, or -1 when refused (nothing changes). The tag is next_tag - 1. */
static int64_t heap_alloc(rheap *h, uint32_t pages) {
  bpt_t *t = &h->runs;
  path_t p;
  switch (h->policy) {
  case FIRST_FIT:
    if (!bpt_first_fit(t, pages, &p)) return -1;
    break;
  case NEXT_FIT: {
    /* Runs from the cursor, counting the run that holds it; then from page 0. */
    uint32_t cursor = (uint32_t)h->cursor;
    bpt_seek(t, RUN(cursor, 0), &p);  /* the first run starting at or after the cursor */
    int ht = t->height, i = p.idx[ht];
    /* The run before it may hold the cursor (a copy of the path only at a leaf's edge). */
    path_t q;
    int has_holder = i > 0;
    uint64_t holder = has_holder ? LF(t, p.node[ht])->v[i - 1] : 0;
    if (!has_holder) {
      path_copy(t, &q, &p);
      if ((has_holder = path_prev(t, &q))) holder = path_entry(t, &q);
    }
    if (has_holder && RUN_START(holder) + RUN_LEN(holder) > cursor && RUN_LEN(holder) >= pages) {
      if (i > 0) p.idx[ht] = i - 1;
      else path_copy(t, &p, &q);
      break;
    }
    if (bpt_fit_right(t, &p, pages)) break;
    if (!bpt_first_fit(t, pages, &p)) return -1;
    break;
  }
  case BEST_FIT: {
    path_t q;
    bpt_seek(&h->bysize, RUN(pages, 0), &q);  /* the shortest run that fits, the lowest on a tie */
    if (!path_norm(&h->bysize, &q)) return -1;
    uint64_t v = path_entry(&h->bysize, &q);
    uint32_t start = (uint32_t)v, len = (uint32_t)(v >> 32);
    if (len > pages) bpt_replace(&h->bysize, &q, RUN(len - pages, start + pages));
    else bpt_delete_at(&h->bysize, &q);
    bpt_seek(t, RUN(start, len), &p);  /* the exact key: lands on the run itself */
    break;
  }
  default: { /* WORST_FIT: the longest run, the lowest on a tie */
    uint32_t longest = bpt_max(t);
    if (longest < pages) return -1;
    bpt_first_fit(t, longest, &p);
    break;
  }
  }
  uint64_t v = path_entry(t, &p);
  uint32_t start = RUN_START(v), len = RUN_LEN(v);
  if (h->with_map) __builtin_prefetch(pmap_home(&h->map, start), 1);  /* its slot, during the tree's update */
  if (len == pages) bpt_delete_at(t, &p);
  else bpt_set(t, &p, RUN(start + pages, len - pages));  /* shrinks in place, rank unchanged */
  uint64_t tag = (uint64_t)h->next_tag++;
  h->pages_in_use += pages;
  h->cursor = (int64_t)start + pages;
  tagtab_put(&h->tags, tag, start, pages);
  if (h->with_map) pmap_put(&h->map, start, (uint32_t)tag);
  return start;
}

/* DEALLOC: frees the tag's pages and merges them with the free runs either side. */
static void heap_dealloc(rheap *h, uint64_t tag) {
  tslot a = tagtab_take(&h->tags, tag);
  uint32_t start = a.first, pages = a.pages, end = start + pages;
  if (h->with_map) __builtin_prefetch(pmap_home(&h->map, start), 1);
  h->pages_in_use -= pages;
  bpt_t *t = &h->runs;
  /* One descent: the run after the freed pages is at p, the run before just left of it.
   * Within the leaf both are read off p; a copy of the path walks over a leaf's edge. */
  path_t p, edge_a, edge_b, *pa = &p, *pb = &p;
  bpt_seek(t, RUN(end, 0), &p);
  int ht = t->height, i = p.idx[ht];
  const leaf_t *lf = LF(t, p.node[ht]);
  uint64_t after = 0, before = 0;
  int has_after, has_before;
  if (i < lf->n) { after = lf->v[i]; has_after = 1; }
  else { pa = &edge_a; path_copy(t, pa, &p); has_after = path_norm(t, pa); if (has_after) after = path_entry(t, pa); }
  if (i > 0) { before = lf->v[i - 1]; has_before = 1; }
  else { pb = &edge_b; path_copy(t, pb, &p); has_before = path_prev(t, pb); if (has_before) before = path_entry(t, pb); }
  has_after = has_after && RUN_START(after) == end;
  has_before = has_before && RUN_START(before) + RUN_LEN(before) == start;
  if (has_before) {
    uint32_t len = RUN_LEN(before) + pages + (has_after ? RUN_LEN(after) : 0);
    if (pb == &p) p.idx[ht] = i - 1;
    bpt_set(t, pb, RUN(RUN_START(before), len));  /* grows in place: no structural change */
    if (has_after) { if (pa == &p) p.idx[ht] = i; bpt_delete_at(t, pa); }
    if (h->policy == BEST_FIT) {
      if (has_after) bysize_remove(h, end, RUN_LEN(after));
      bysize_replace(h, RUN(RUN_LEN(before), RUN_START(before)), RUN(len, RUN_START(before)));
    }
  } else if (has_after) {
    bpt_set(t, pa, RUN(start, pages + RUN_LEN(after)));  /* the run after starts earlier */
    if (h->policy == BEST_FIT) bysize_replace(h, RUN(RUN_LEN(after), end), RUN(pages + RUN_LEN(after), start));
  } else {
    bpt_insert_at(t, &p, RUN(start, pages));  /* p is where `start` goes too: nothing between */
    if (h->policy == BEST_FIT) bysize_add(h, start, pages);
  }
  if (h->with_map) pmap_remove(&h->map, start);
}

/* Every structure against the others (REF_CHECK). */
static void heap_check(const rheap *h) {
  const bpt_t *t = &h->runs;
  uint64_t *runs = xcalloc((size_t)t->count + 1, sizeof(uint64_t));
  bpt_check(t, runs);
  int64_t free_pages = 0;
  for (int64_t k = 0; k < t->count; k++) {
    uint32_t s = RUN_START(runs[k]), len = RUN_LEN(runs[k]);
    CHECK(len > 0 && (uint64_t)s + len <= h->page_count, "run inside the heap");
    CHECK(k == 0 || RUN_START(runs[k - 1]) + RUN_LEN(runs[k - 1]) < s, "runs apart (maximal)");
    free_pages += len;
  }
  CHECK(free_pages + h->pages_in_use == h->page_count, "free + in use = page count");
  CHECK(t->count == 0 || bpt_max(t) >= RUN_LEN(runs[0]), "root maximum");
  if (h->policy == BEST_FIT) {
    uint64_t *sizes = xcalloc((size_t)h->bysize.count + 1, sizeof(uint64_t));
    bpt_check(&h->bysize, sizes);
    CHECK(h->bysize.count == t->count, "runs by size: count");
    for (int64_t k = 0; k < t->count; k++) {
      path_t p;
      uint64_t key = RUN(RUN_LEN(runs[k]), RUN_START(runs[k]));
      bpt_seek(&h->bysize, key, &p);
      CHECK(path_norm(&h->bysize, &p) && path_entry(&h->bysize, &p) == key, "runs by size: run missing");
    }
    free(sizes);
  }
  /* Live allocations: disjoint, off the free runs, in the page map. */
  uint8_t *owned = xcalloc(h->page_count, 1);
  for (int64_t k = 0; k < t->count; k++)
    memset(owned + RUN_START(runs[k]), 2, RUN_LEN(runs[k]));
  int64_t live = 0, used = 0;
  const tagtab_t *tt = &h->tags;
  for (int pass = 0; pass < 2; pass++) {
    const tslot *s = pass ? tt->over : tt->direct;
    uint64_t n = (pass ? tt->omask : tt->dmask) + 1;
    for (uint64_t i = 0; i < n; i++) {
      if (!s[i].tag) continue;
      CHECK(s[i].tag < (uint64_t)h->next_tag, "tag issued");
      if (!pass) CHECK((s[i].tag & tt->dmask) == i, "direct slot");
      else CHECK(tt->direct[s[i].tag & tt->dmask].tag != s[i].tag, "tag twice");
      CHECK(s[i].pages > 0 && (uint64_t)s[i].first + s[i].pages <= h->page_count, "allocation inside");
      for (uint32_t g = s[i].first; g < s[i].first + s[i].pages; g++) {
        CHECK(owned[g] == 0, "allocation overlaps");
        owned[g] = 1;
      }
      if (h->with_map) CHECK(pmap_find(&h->map, s[i].first) == (int64_t)s[i].tag, "page map entry");
      live++;
      used += s[i].pages;
    }
  }
  CHECK(tt->ocount * 2 <= (int64_t)(tt->omask + 1), "overflow load");
  CHECK(used == h->pages_in_use, "pages in use");
  if (h->with_map) CHECK(h->map.count == live, "page map count");
  free(owned);
  free(runs);
}

/* ---------------------------------------------------------------- the benchmark */

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* One pair's two draws, and the generator's state after them. */
typedef struct { uint64_t index, pages, rng; } draw_t;

static inline draw_t draw_pair(uint64_t rng, int64_t len, uint64_t max_pages) {
  draw_t d;
  d.index = sm_bounded(&rng, (uint64_t)len);
  d.pages = 1 + sm_bounded(&rng, max_pages);
  d.rng = rng;
  return d;
}

typedef struct {
  rheap heap;
  int64_t *live;      /* the live list L (int64, as the Swift benchmark's [Int]) */
  int64_t len;
  uint64_t rng, max_pages, digest;
  int64_t failures;
  int flags;
  /* Prefetching: the draws do not depend on the heap, only on len (which a refused ALLOC
   * shortens), so the next two pairs' draws are made ahead, valid while len stays. */
  draw_t ahead[2];
  int ahead_n;
  int64_t ahead_len;
} bench_t;

static inline void pair(bench_t *b) {
  draw_t d;
  if (b->ahead_n > 0 && b->ahead_len == b->len) {
    d = b->ahead[0];
    b->ahead[0] = b->ahead[1];
    b->ahead_n--;
  } else {
    b->ahead_n = 0;
    d = draw_pair(b->rng, b->len, b->max_pages);
  }
  b->rng = d.rng;
  if (b->flags & (REF_PREFETCH | REF_PREFETCH_LIVE)) {
    b->ahead_len = b->len;
    for (; b->ahead_n < 2; b->ahead_n++)
      b->ahead[b->ahead_n] = draw_pair(b->ahead_n ? b->ahead[0].rng : b->rng, b->len, b->max_pages);
    /* The next pair's tag slot; with REF_PREFETCH_LIVE also L's entry for the pair after. */
    __builtin_prefetch(&b->heap.tags.direct[(uint64_t)b->live[b->ahead[0].index] & b->heap.tags.dmask], 1);
    if (b->flags & REF_PREFETCH_LIVE) __builtin_prefetch(&b->live[b->ahead[1].index]);
  }
  heap_dealloc(&b->heap, (uint64_t)b->live[d.index]);
  if (b->flags & REF_CHECK) heap_check(&b->heap);
  int64_t first = heap_alloc(&b->heap, (uint32_t)d.pages);
  if (first >= 0) {
    int64_t tag = b->heap.next_tag - 1;
    b->live[d.index] = tag;
    b->digest = (b->digest ^ (uint64_t)tag) * 0x100000001b3ull;
    b->digest = (b->digest ^ (uint64_t)first) * 0x100000001b3ull;
  } else {
    b->failures++;
    b->live[d.index] = b->live[--b->len];
  }
  if (b->flags & REF_CHECK) heap_check(&b->heap);
}

ref_result ref_pairs_ex(int policy, int64_t page_count, int64_t live, int64_t pairs, int with_page_map,
                        int flags) {
  ref_result r;
  memset(&r, 0, sizeof r);
  if (policy < 0 || policy > 3 || page_count < 1 || page_count >= ((int64_t)1 << 31) || live < 1 || pairs < 0 ||
      (uint64_t)live + (uint64_t)pairs + 2 >= ((uint64_t)1 << 32)) {
    fputs("native heap: parameters out of range\n", stderr);
    r.failures = -1;
    return r;
  }
  bench_t b;
  memset(&b, 0, sizeof b);
  heap_init(&b.heap, policy, page_count, live, with_page_map);
  b.flags = flags;
  b.max_pages = (uint64_t)(page_count / live > 1 ? page_count / live : 1);
  b.live = xcalloc((size_t)live, sizeof(int64_t));
  /* The fill: on the empty heap every policy packs these from page 0, tags 1..live. */
  b.rng = 7;
  for (int64_t k = 0; k < live; k++) {
    uint32_t pages = (uint32_t)(1 + sm_bounded(&b.rng, b.max_pages));
    if (heap_alloc(&b.heap, pages) >= 0) b.live[b.len++] = b.heap.next_tag - 1;
  }
  if (flags & REF_CHECK) heap_check(&b.heap);
  b.rng = 42;
  b.digest = 0xcbf29ce484222325ull;
  if (b.len > 0) pair(&b);  /* the untimed pair */
  double t0 = now_ns();
  for (int64_t k = 0; k < pairs && b.len > 0; k++) pair(&b);
  double t1 = now_ns();
  r.ns_per_pair = pairs ? (t1 - t0) / (double)pairs : 0;
  r.digest = b.digest;
  r.failures = b.failures;
  r.next_tag = b.heap.next_tag;
  r.pages_in_use = b.heap.pages_in_use;
  r.free_runs = b.heap.runs.count;
  r.longest_free_run = bpt_max(&b.heap.runs);
  r.cursor = b.heap.cursor;
  free(b.live);
  heap_free(&b.heap);
  return r;
}

ref_result ref_pairs(int policy, int64_t page_count, int64_t live, int64_t pairs, int with_page_map) {
  return ref_pairs_ex(policy, page_count, live, pairs, with_page_map, REF_PREFETCH);
}
