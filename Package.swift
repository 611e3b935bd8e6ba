// swift-tools-version:6.0
import PackageDescription

// Linux only: the terminal adapter, the store and the recorder use Glibc (no Apple platform is declared).
let package = Package(
  name: "memallook",
  products: [
    .executable(name: "memallook", targets: ["memallook"]),
    .library(name: "MemallookCore", targets: ["MemallookCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.0.0"),
  ],
  targets: [
    // The simulation: pure value types, standard library only (and a prefetch hint).
    .target(name: "MemallookCore", dependencies: ["CPrefetch"]),
    // The one owner of a session shared by fronts: lock, change signal, storage hook.
    .target(name: "MemallookRuntime", dependencies: ["MemallookCore"]),
    // The state file (locking, atomic writes, validation, limits) and the TUI's line history.
    .target(name: "MemallookStore", dependencies: ["MemallookCore", "MemallookRuntime"]),
    // The TUI as an Elm loop (Model, Message, update, view -> Frame) and its effect runner; no terminal here.
    .target(name: "MemallookTUI", dependencies: ["MemallookCore", "MemallookRuntime"]),
    // The HTTP service: app builder, route table, DTOs, OpenAPI document.
    .target(
      name: "MemallookServer",
      dependencies: [
        "MemallookCore", "MemallookRuntime",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
      ]
    ),
    // ncursesw, for the terminal adapter only.
    .systemLibrary(name: "CNcurses"),
    // The ncurses adapter and the run loop: the only user of CNcurses.
    .target(
      name: "MemallookTerminal",
      dependencies: ["CNcurses", "MemallookCore", "MemallookTUI", "MemallookRuntime"]),
    // @main: ArgumentParser commands that translate arguments for the modules above.
    .executableTarget(
      name: "memallook",
      dependencies: [
        "MemallookCore", "MemallookRuntime", "MemallookStore", "MemallookTUI", "MemallookServer",
        "MemallookTerminal", "CMallocSettings",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // The allocation recorder (C, for LD_PRELOAD) is built by RecorderPlugin with clang, linking
      // only libc, into the target's resource bundle; it is not compiled into this Swift target.
      exclude: ["recorder/recorder.c"],
      plugins: ["RecorderPlugin"]
    ),
    // Builds libmemallook-record.so beside the executable:
    // .build/<config>/memallook_memallook.resources/libmemallook-record.so
    .plugin(name: "RecorderPlugin", capability: .buildTool()),
    // Performance suite, apart from the tests: `swift run -c release memallook-bench`.
    .executableTarget(
      name: "memallook-bench",
      dependencies: ["CNativeHeap", "CMallocSettings", "MemallookCore", "MemallookRuntime", "MemallookTUI"]),
    // The native reference the core's speed is measured against (`memallook-bench --reference`):
    // the same heap in C, driven by the pair benchmark's own draws.
    .target(name: "CNativeHeap"),
    // A prefetch hint for the core (no effect on results): Swift has no way to emit one.
    .target(name: "CPrefetch"),
    // glibc's malloc told to return large blocks when freed (`mallopt`, which Swift's Glibc lacks).
    .target(name: "CMallocSettings"),
    .testTarget(name: "MemallookCoreTests", dependencies: ["MemallookCore"]),
    // Test targets name every module they import: SwiftPM rebuilds a target only when a
    // declared dependency changes, and a stale build of an enum it reads crashes at run time.
    .testTarget(
      name: "MemallookRuntimeTests", dependencies: ["MemallookCore", "MemallookRuntime", "CMallocSettings"]),
    .testTarget(
      name: "MemallookStoreTests", dependencies: ["MemallookCore", "MemallookStore", "MemallookRuntime"]),
    .testTarget(
      name: "MemallookTUITests", dependencies: ["MemallookCore", "MemallookTUI", "MemallookRuntime"]),
    .testTarget(
      name: "MemallookServerTests",
      dependencies: [
        "MemallookCore", "MemallookServer", "MemallookRuntime", "MemallookStore",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .testTarget(name: "MemallookCLITests", dependencies: ["MemallookCore"]),
  ],
  swiftLanguageModes: [.v6]
)
