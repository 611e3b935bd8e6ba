import ArgumentParser
import CMallocSettings
import Foundation

// Large blocks go back to the system when freed: a long session (the TUI's race, the
// server) makes and lets go of many.
_ = memallook_map_large_blocks_apart()

// Runs the command, then makes a write that failed the exit status (74): the command
// itself never stops on one (a change it made is saved), and nothing traps.
Output.guardStandardDescriptors()
do {
  var command = try Memallook.parseAsRoot(
    CommandLineWords.normalized(Array(CommandLine.arguments.dropFirst())))
  try command.run()
  exit(Output.finish(status: 0))
} catch {
  // What ArgumentParser would say and exit with (help and --version on stdout, with status 0).
  let status = Memallook.exitCode(for: error).rawValue
  let message = Memallook.fullMessage(for: error)
  if !message.isEmpty {
    if status == 0 { Output.write(message + "\n") } else { Output.error(message) }
  }
  exit(Output.finish(status: status))
}
