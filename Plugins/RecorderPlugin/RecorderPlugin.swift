import Foundation
import PackagePlugin

/// Builds the allocation recorder `Sources/memallook/recorder/recorder.c` into
/// `libmemallook-record.so` with the toolchain's clang. SwiftPM's own
/// `.library(type: .dynamic)` links every product with `swiftrt.o` and
/// `-lswiftCore`, which `LD_PRELOAD` would load into every recorded program;
/// this links only libc. The output is not a source file, so SwiftPM copies it
/// into the target's resource bundle, next to the executable:
/// `.build/<config>/<package>_memallook.resources/libmemallook-record.so`.
@main
struct RecorderPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    #if os(Linux)
      let source = context.package.directoryURL.appending(path: "Sources/memallook/recorder/recorder.c")
      let output = context.pluginWorkDirectoryURL.appending(path: "libmemallook-record.so")
      return [
        .buildCommand(
          displayName: "Compiling libmemallook-record.so",
          executable: try context.tool(named: "clang").url,
          arguments: [
            "-std=c11", "-O2", "-fPIC", "-shared", "-fvisibility=hidden",
            "-o", output.path(percentEncoded: false), source.path(percentEncoded: false),
          ],
          inputFiles: [source],
          outputFiles: [output]
        )
      ]
    #else
      return []  // the recorder is glibc/Linux only
    #endif
  }
}
