// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "memallook",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "memallook", targets: ["memallook"]),
    .library(name: "MemallookCore", targets: ["MemallookCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.0.0"),
  ],
  targets: [
    // The simulation: pure value types, standard library only.
    .target(name: "MemallookCore"),
    // The TUI as an Elm loop (Model, Message, update, view -> Frame); no terminal here.
    .target(name: "MemallookTUI", dependencies: ["MemallookCore"]),
    // The HTTP service: app builder, routes, DTOs, OpenAPI document, the shared session.
    .target(
      name: "MemallookServer",
      dependencies: [
        "MemallookCore",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // ncursesw, for the one file of the executable that talks to the terminal.
    .systemLibrary(name: "CNcurses"),
    .executableTarget(
      name: "memallook",
      dependencies: [
        "MemallookCore", "MemallookTUI", "MemallookServer", "CNcurses",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Performance suite, apart from the tests: `swift run -c release memallook-bench`.
    .executableTarget(name: "memallook-bench", dependencies: ["MemallookCore", "MemallookTUI"]),
    .testTarget(name: "MemallookCoreTests", dependencies: ["MemallookCore"]),
    .testTarget(name: "MemallookTUITests", dependencies: ["MemallookTUI"]),
    .testTarget(
      name: "MemallookServerTests",
      dependencies: ["MemallookServer", .product(name: "HummingbirdTesting", package: "hummingbird")]
    ),
    .testTarget(name: "MemallookCLITests", dependencies: ["MemallookCore"]),
  ],
  swiftLanguageModes: [.v6]
)
