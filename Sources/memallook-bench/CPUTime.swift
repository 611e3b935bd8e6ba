#if canImport(Glibc)
  import Glibc
#endif

/// The CPU time this thread has used, in nanoseconds: what a measurement costs,
/// whatever else the machine is doing (wall-clock time on a loaded 2-core machine
/// varies by 3x from run to run; CPU time by far less).
func threadCPUNanoseconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
  return Double(time.tv_sec) * 1e9 + Double(time.tv_nsec)
}
