import CNativeHeap
import MemallookCore

/// `--reference`: memallook's heap against a native reference implementation of the same
/// heap (C, `Sources/CNativeHeap`), the pair benchmark's workload draw for draw, in the
/// same window, alternated. The reference must place every ALLOC where the core does: the
/// digests of every ALLOC's tag and first page, and the counters at the end, are compared
/// before any figure is printed.
enum ReferenceBench {
  /// Nanoseconds per pair of each: the core and the reference with a first-page map, and
  /// the core without it (`Heap.mapsFirstPages`) and the lean reference.
  struct Figures {
    var core = Double.infinity
    var withMap = Double.infinity
    var coreUnmapped = Double.infinity
    var lean = Double.infinity

    func best(_ other: Figures) -> Figures {
      Figures(
        core: min(core, other.core), withMap: min(withMap, other.withMap),
        coreUnmapped: min(coreUnmapped, other.coreUnmapped), lean: min(lean, other.lean))
    }
  }

  /// One timed run of each implementation on `test`.
  static func measure(_ test: Case, pairs: Int) -> Figures {
    let policyNumber: Int32 =
      switch test.policy {
      case .first: 0
      case .next: 1
      case .best: 2
      case .worst: 3
      default: preconditionFailure("the reference has the four fits only")
      }
    let filled = filledHeap(test)
    let (core, workload) = measureWorkload(test, from: filled, pairs: pairs)
    let withMap = ref_pairs_ex(policyNumber, Int64(test.pageCount), Int64(test.live), Int64(pairs), 1, 0)
    let (coreUnmapped, unmapped) = measureWorkload(test, from: filled, pairs: pairs, mapsFirstPages: false)
    let lean = ref_pairs_ex(policyNumber, Int64(test.pageCount), Int64(test.live), Int64(pairs), 0, 0)
    precondition(unmapped.digest == workload.digest, "the core with and without the map disagree on \(test)")
    let metrics = workload.heap.metrics
    for reference in [withMap, lean] {
      let agrees =
        reference.digest == workload.digest && Int(reference.failures) == workload.failures
        && Int(reference.next_tag) == workload.heap.nextTag
        && Int(reference.pages_in_use) == metrics.pagesUsed
        && Int(reference.free_runs) == metrics.freeRuns
        && Int(reference.longest_free_run) == metrics.longestFreeRun
      precondition(agrees, "the reference and the core disagree on \(test)")
    }
    return Figures(
      core: core, withMap: withMap.ns_per_pair, coreUnmapped: coreUnmapped, lean: lean.ns_per_pair)
  }

  /// The 16 cases of the pair benchmark, `rounds` alternated runs each; prints each
  /// implementation's best and the ratio of the bests.
  static func run(pairs: Int, rounds: Int) {
    print("ALLOC+DEALLOC pairs against the native reference (ns per pair, best of \(rounds) alternated runs)")
    print("(core: with its map by first page; unmapped: without it, as a headless replay plays)")
    print(
      pad("policy", 7) + pad("pages", 7) + pad("live", 8) + "   core" + "  ref+map" + "  core÷ref+map"
        + "  unmapped" + "     lean" + "  unmapped÷lean")
    for pageExponent in [20, 24] {
      for live in [10_000, 100_000] {
        for policy in [Policy.first, .next, .best, .worst] {
          let test = Case(policy: policy, pageCount: 1 << pageExponent, live: live)
          var best = Figures()
          for _ in 0..<rounds { best = best.best(measure(test, pairs: pairs)) }
          print(
            pad(policy.rawValue, 7) + pad("2^\(pageExponent)", 7) + pad(String(live), 8)
              + format(best.core, 7) + format(best.withMap, 9) + format(best.core / best.withMap, 13) + "×"
              + format(best.coreUnmapped, 10) + format(best.lean, 9)
              + format(best.coreUnmapped / best.lean, 14) + "×")
        }
      }
    }
  }
}
