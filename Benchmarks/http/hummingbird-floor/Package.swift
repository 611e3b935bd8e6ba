// swift-tools-version:6.0
// The HTTP benchmark's second ceiling: Hummingbird 2 answering what memallook answers
// without doing any of its work (as nginx.conf does), so compare.sh can say how much
// of memallook's cost is the framework's. Built apart from memallook; see README.md.
import PackageDescription

let package = Package(
  name: "hummingbird-floor",
  platforms: [.macOS(.v14)],
  dependencies: [.package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0")],
  targets: [
    .executableTarget(
      name: "hummingbird-floor", dependencies: [.product(name: "Hummingbird", package: "hummingbird")])
  ]
)
