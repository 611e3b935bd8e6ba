import ArgumentParser
import MemallookCore

struct Memallook: ParsableCommand {
  static let version = "1.0.0"

  static let configuration = CommandConfiguration(
    commandName: "memallook",
    abstract: "A memory-allocator simulator: a heap of N pages of p bytes.",
    discussion: """
      Without a subcommand, memallook opens the interactive screen (`tui`). `memallook p N` \
      creates the persisted heap (same as `memallook new p N`); the one-shot subcommands act \
      on it. `--state PATH` may come before the subcommand too. See docs/commands.md.
      """,
    version: version,
    subcommands: [TUI.self, DemoCommand.self] + oneShotCommands.map { $0 } + [
      Clear.self, RunScript.self, ReplayCommand.self, CompareCommand.self, GenerateCommand.self,
      RecordCommand.self, Serve.self,
    ])

  /// The subcommands that are one command of the language, in the order help lists them.
  /// Listed by type rather than found by a cast: a cast to a protocol searches every
  /// conformance in the binary (with names derived from type names, 39% of the
  /// instructions of starting a one-shot command).
  static let oneShotCommands: [any OneShotCommand.Type] = [
    New.self, Alloc.self, Dealloc.self, Realloc.self, Show.self, Defrag.self, Stats.self, SetPolicy.self,
    Undo.self, Redo.self, Goto.self, HistoryCommand.self, BranchCommand.self,
  ]
}
