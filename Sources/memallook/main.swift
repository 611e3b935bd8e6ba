import MemallookCore

/// `memallook 16 64` is the exercise's way to say `memallook new 16 64`.
func normalizedArguments(_ arguments: [String]) -> [String] {
  guard let first = arguments.first,
    first.first.map({
      $0.isNumber || $0 == "-" && first.count > 1 && first.dropFirst().allSatisfy(\.isNumber)
    })
      ?? false || first.contains("=")
  else { return arguments }
  return ["new"] + arguments
}

Memallook.main(normalizedArguments(Array(CommandLine.arguments.dropFirst())))
