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
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0")
  ],
  targets: [
    // The simulation: pure value types, standard library only.
    .target(name: "MemallookCore"),
    .executableTarget(
      name: "memallook",
      dependencies: [
        "MemallookCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Performance suite, apart from the tests: `swift run -c release memallook-bench`.
    .executableTarget(name: "memallook-bench", dependencies: ["MemallookCore"]),
    .testTarget(name: "MemallookCoreTests", dependencies: ["MemallookCore"]),
    .testTarget(name: "MemallookCLITests", dependencies: ["MemallookCore"]),
  ],
  swiftLanguageModes: [.v6]
)
