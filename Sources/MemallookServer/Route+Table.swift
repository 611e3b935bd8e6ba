import Hummingbird

extension Route {
  /// Every route, in the order the OpenAPI document lists them.
  static let table: [Route] = [
    Route(
      .post, "/new", .command(keyword: "NEW"),
      Operation(
        summary: "NEW: create the heap", parameters: [.pageSize, .pageCount, .policy],
        replies: [
          (201, "the heap id, HEAP-nnn"), (200, "NEW while a heap exists: nothing changed, the existing id"),
        ])),
    Route(
      .post, "/alloc", .command(keyword: "ALLOC"),
      Operation(
        summary: "ALLOC: reserve contiguous pages for M bytes", parameters: [.bytes],
        replies: [(201, "the tag")],
        errors: [409])),
    Route(
      .post, "/dealloc", .command(keyword: "DEALLOC"),
      Operation(
        summary: "DEALLOC: free an allocation", parameters: [.tag],
        replies: [(200, "deallocation succeeded")],
        errors: [404, 409])),
    Route(
      .delete, "/allocations/:tag", .deallocByPath,
      Operation(summary: "DEALLOC by path", replies: [(200, "deallocation succeeded")], errors: [404, 409])),
    Route(
      .post, "/realloc", .command(keyword: "REALLOC"),
      Operation(
        summary: "REALLOC: resize an allocation to M bytes, in place when it can",
        parameters: [.tag, .bytes],
        replies: [(200, "reallocation succeeded")],
        errors: [404, 409])),
    Route(
      .get, "/show", .command(keyword: "SHOW"),
      Operation(
        summary: "SHOW: the grid and the listing", parameters: [.width], replies: [(200, "the SHOW text")],
        errors: [409])),
    Route(
      .post, "/reset", .command(keyword: "RESET"),
      Operation(summary: "RESET: forget the heap", replies: [(200, "ok, heap cleared")])),
    Route(
      .post, "/defrag", .command(keyword: "DEFRAG"),
      Operation(
        summary: "DEFRAG: compact (or make only the next moves)", parameters: [.moves],
        replies: [(200, "defragmentation complete (or in progress); JSON has the moves")], errors: [409])),
    Route(
      .post, "/policy", .command(keyword: "POLICY"),
      Operation(
        summary: "POLICY: change the placement policy", parameters: [.policy],
        replies: [(200, "ok, policy = best fit")], errors: [409])),
    Route(
      .post, "/undo", .command(keyword: "UNDO"),
      Operation(
        summary: "UNDO: step back through the history", parameters: [.steps],
        replies: [(200, "ok, at step s of n; or nothing to undo")], errors: [409])),
    Route(
      .post, "/redo", .command(keyword: "REDO"),
      Operation(
        summary: "REDO: step forward through undone changes", parameters: [.steps],
        replies: [(200, "ok, at step s of n; or nothing to redo")], errors: [409])),
    Route(
      .post, "/goto", .command(keyword: "GOTO"),
      Operation(
        summary: "GOTO: go to a step of the history", parameters: [.step],
        replies: [(200, "ok, at step s of n")], errors: [404, 409])),
    Route(
      .get, "/history", .command(keyword: "HISTORY"),
      Operation(
        summary: "HISTORY: the last steps, the current one marked >", parameters: [.count],
        replies: [(200, "the listing")], errors: [409])),
    Route(
      .post, "/command", .commandLine,
      Operation(
        summary: "Any line of the command language", body: .commandLine,
        replies: [(200, "the reply text"), (201, "NEW or ALLOC succeeded")], errors: [404, 409])),
    Route(
      .get, "/heap", .heap,
      Operation(
        summary: "The whole state as JSON", answer: .json(schema: "Heap"),
        replies: [(200, "id, p, N, policy, allocations, metrics")], errors: [409])),
    Route(
      .get, "/stats", .stats,
      Operation(
        summary: "The metrics as JSON", answer: .json(schema: "Metrics"), replies: [(200, "metrics")],
        errors: [409])
    ),
    Route(
      .get, "/events", .events,
      Operation(
        summary: "Server-Sent Events: one `change` event per change", answer: .eventStream,
        replies: [(200, "text/event-stream")])),
    Route(
      .post, "/replay", .replay,
      Operation(
        summary: "Replay a trace (the body) on a fresh heap of its own, as memallook replay --json",
        parameters: [.policy, .tracePageSize, .tracePages, .timeline, .traceFormat, .strict], body: .trace,
        answer: .json(schema: "ReplaySummary"), replies: [(200, "the summary")])),
    Route(
      .post, "/compare", .compare,
      Operation(
        summary: "Replay a trace (the body) under several policies, as memallook compare --json",
        parameters: [.policies, .tracePageSize, .tracePages, .traceFormat, .strict], body: .trace,
        answer: .json(schema: "ReplaySummaries"), replies: [(200, "one summary per policy")])),
    Route(
      .get, "/healthz", .health,
      Operation(
        summary: "Health check (no token needed)", answer: .text, replies: [(200, "ok")], needsToken: false)),
    Route(
      .get, "/openapi.json", .document,
      Operation(summary: "This document", answer: .json(schema: nil), replies: [(200, "OpenAPI 3.1")])),
  ]
}
