/*
 * recorded_program.c - a program with a known allocation trace, to test the
 * recorder (recorder.c). Prints nothing except on error (then exits non-zero).
 *
 * Build:  cc -std=c11 -O1 -fno-builtin -pthread -o recorded_program recorded_program.c
 *         (-fno-builtin: the compiler must not merge, drop or fold allocations)
 * Usage:
 *   recorded_program              phases 1-5 below, exit 0
 *   recorded_program segv N       phase 1, then N x malloc(4242) (kept), then SIGSEGV
 *   recorded_program abort N      phase 1, then N x malloc(4242) (kept), then abort()
 *   recorded_program spin         phase 1, then malloc/free forever (for SIGKILL tests)
 *   recorded_program execcheck    (internal) the exec'd grandchild of phase 5
 *
 * Phase 1 (main thread, nothing else running): exactly the first 30 lines of
 *   the body, listed in expected.txt (ids are reused last-freed-first, so they
 *   are part of the expectation). It also checks what the calls return.
 * Phase 2: two threads, each THREAD_STEPS steps over 8 slots, thread t with
 *   sizes in [t*10000, t*10000 + 1000): step j, slot s = j % 8:
 *       slot empty            -> malloc(t*10000 + j % 997)           a id size
 *       else j % 3 == 0       -> realloc(slot, t*10000 + (7*j) % 997) r id size
 *       else                  -> free(slot)                           f id
 *   then frees its live slots, slot 0 first. The interleaving of the threads
 *   is not deterministic; a test checks that each thread's own operations
 *   appear in this order with these sizes (its ids followed from its `a`
 *   lines), that the counts are exact, and that the whole order is valid.
 *   pthread_create/join add a few allocations of glibc's own (thread DTV
 *   etc.), with sizes outside those ranges.
 * Phase 3: fork; the child allocates 77777 bytes (and more via exit()) and
 *   exits: nothing of the child may appear (no size 77777). The parent then
 *   does malloc(33333) + free: `a X 33333`, `f X` must appear.
 * Phase 4: fork + exec of this program with `execcheck`: the grandchild must
 *   see neither MEMALLOOK_RECORD_FILE nor the recorder in LD_PRELOAD, and it
 *   allocates 55555 bytes, which must not appear in the trace.
 * Phase 5: malloc(11111) left live at exit (the trace may end with live blocks).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREAD_STEPS 200000

static void fail(const char *what) {
  fprintf(stderr, "recorded_program: %s\n", what);
  exit(1);
}

/* Keeps the compiler from removing or merging allocations. */
static void *volatile sink;
static void touch(void *p, size_t n) {
  if (p && n) memset(p, 0xA5, n < 64 ? n : 64);
  sink = p;
}

static void phase1(void) {
  char *p0 = malloc(100);                     /* a 0 100 */
  char *p1 = malloc(200);                     /* a 1 200 */
  char *p2 = calloc(10, 30);                  /* a 2 300 */
  if (!p0 || !p1 || !p2 || p2[299] != 0) fail("phase 1: malloc/calloc");
  touch(p0, 100);
  free(NULL);                                 /* nothing */
  char *p3 = realloc(NULL, 400);              /* a 3 400 */
  free(p1);                                   /* f 1 */
  char *p4 = malloc(50);                      /* a 1 50     (id 1 reused) */
  p0 = realloc(p0, 5000);                     /* r 0 5000   (grow) */
  if (!p3 || !p4 || !p0 || (unsigned char)p0[63] != 0xA5) fail("phase 1: realloc grow");
  if (realloc(p2, 0) != NULL) fail("phase 1: realloc(p, 0) returned a block"); /* f 2 */
  void *p5 = NULL;
  if (posix_memalign(&p5, 64, 640) != 0 || ((uintptr_t)p5 & 63)) fail("phase 1: posix_memalign"); /* a 2 640 */
  void *p6 = aligned_alloc(4096, 8192);       /* a 4 8192 */
  void *p7 = malloc(0);                       /* a 5 0 */
  void *p8 = memalign(32, 96);                /* a 6 96 */
  void *p9 = valloc(123);                     /* a 7 123 */
  void *p10 = reallocarray(NULL, 7, 9);       /* a 8 63 */
  if (!p6 || ((uintptr_t)p6 & 4095) || !p7 || !p8 || !p9 || !p10) fail("phase 1: aligned");
  volatile size_t huge = SIZE_MAX; /* opaque to the compiler: no size warnings */
  errno = 0;
  if (reallocarray(p10, huge, 2) != NULL || errno != ENOMEM) fail("phase 1: reallocarray overflow"); /* nothing */
  if (calloc(huge, 2) != NULL) fail("phase 1: calloc overflow");                                    /* nothing */
  if (malloc(huge - 4096) != NULL) fail("phase 1: huge malloc");                                     /* nothing */
  char *s = strdup("hello");                  /* a 9 6      (libc's strdup calls malloc) */
  void *p11 = pvalloc(100);                   /* a 10 4096  (pvalloc rounds up to a page) */
  p0 = realloc(p0, 1000);                     /* r 0 1000   (shrink) */
  if (!s || !p11 || !p0) fail("phase 1: strdup/pvalloc/shrink");
  free(p3);                                   /* f 3 */
  free(p4);                                   /* f 1 */
  free(p0);                                   /* f 0 */
  free(p5);                                   /* f 2 */
  free(p6);                                   /* f 4 */
  free(p7);                                   /* f 5 */
  free(p8);                                   /* f 6 */
  free(p9);                                   /* f 7 */
  free(p10);                                  /* f 8 */
  free(s);                                    /* f 9 */
  free(p11);                                  /* f 10 */
  void *q = malloc(24);                       /* a 10 24    (the last freed id first) */
  touch(q, 24);
  free(q);                                    /* f 10 */
}

static void *thread_main(void *arg) {
  size_t base = (size_t)(uintptr_t)arg * 10000;
  void *slot[8] = {0};
  for (size_t j = 0; j < THREAD_STEPS; j++) {
    size_t s = j % 8;
    if (!slot[s]) {
      slot[s] = malloc(base + j % 997);
      if (!slot[s]) fail("thread: malloc");
      touch(slot[s], 8);
    } else if (j % 3 == 0) {
      slot[s] = realloc(slot[s], base + (7 * j) % 997);
      if (!slot[s]) fail("thread: realloc");
    } else {
      free(slot[s]);
      slot[s] = NULL;
    }
  }
  for (size_t s = 0; s < 8; s++) free(slot[s]);
  return NULL;
}

static void phase2(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    if (pthread_create(&t[i], NULL, thread_main, (void *)(uintptr_t)(i + 1)) != 0) fail("pthread_create");
  for (int i = 0; i < 2; i++)
    if (pthread_join(t[i], NULL) != 0) fail("pthread_join");
}

static void phase3(void) {
  pid_t pid = fork();
  if (pid < 0) fail("fork");
  if (pid == 0) {
    void *p = malloc(77777);
    touch(p, 77777);
    free(p);
    sink = malloc(77777); /* live at exit(): the child's destructors run too */
    exit(0);
  }
  int status;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("fork child");
  void *p = malloc(33333);
  touch(p, 33333);
  free(p);
}

static void phase4(void) {
  pid_t pid = fork();
  if (pid < 0) fail("fork");
  if (pid == 0) {
    char *argv[] = {"recorded_program", "execcheck", NULL};
    execv("/proc/self/exe", argv);
    _exit(127);
  }
  int status;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail("exec'd grandchild saw the recorder in its environment");
}

static int exec_check(void) {
  const char *pre = getenv("LD_PRELOAD");
  if (getenv("MEMALLOOK_RECORD_FILE")) return 3;
  if (pre && strstr(pre, "memallook")) return 4;
  void *p = malloc(55555);
  touch(p, 55555);
  free(p);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "execcheck") == 0) return exec_check();
  phase1();
  if (argc >= 3 && (strcmp(argv[1], "segv") == 0 || strcmp(argv[1], "abort") == 0)) {
    long n = strtol(argv[2], NULL, 10);
    for (long i = 0; i < n; i++) touch(malloc(4242), 8);
    if (argv[1][0] == 'a') abort();
    signal(SIGSEGV, SIG_DFL);
    raise(SIGSEGV);
    *(volatile int *)0 = 1;
    return 1;
  }
  if (argc >= 2 && strcmp(argv[1], "spin") == 0) {
    void *keep[64] = {0};
    for (unsigned long i = 0;; i++) {
      unsigned k = (unsigned)(i * 2654435761u) % 64;
      free(keep[k]);
      keep[k] = malloc(16 + i % 4000);
    }
  }
  if (argc >= 2) fail("usage: recorded_program [segv N | abort N | spin]");
  phase2();
  phase3();
  phase4();
  sink = malloc(11111);
  return 0;
}
