import ArgumentParser
import Foundation

/// Puts the words of `memallook ...` in the order ArgumentParser reads, so that
/// options work where people put them:
/// - no subcommand opens the TUI (`memallook`, `memallook --http 8080`);
/// - `memallook 16 64 ...` and `memallook p=16 N=64` are `memallook new ...`;
/// - options before the subcommand (`memallook --state F alloc 16`) go after it;
/// - a one-shot command's parameters come after `--`, so `alloc -5` reaches the
///   command language (which says what is wrong with it) instead of being taken for an option.
/// Anything else (an unknown word) is left for ArgumentParser to refuse with the root usage.
enum CommandLineWords {
  /// Options that take a value as the next word, in any subcommand (and the root's own
  /// `--generate-completion-script`). Written out, since asking ArgumentParser at every
  /// start costs more than the command; debug builds (the CLI tests') check the list
  /// against every option the commands declare, so it cannot drift.
  static let valueOptions: Set<String> = {
    let listed: Set<String> = [
      "--state", "--http", "--host", "--token", "--policy", "--port", "--seed",
      "--generate-completion-script",
      // replay, compare and generate
      "--format", "--page-size", "--pages", "--timeline", "--policies", "--svg", "--ops", "--min-bytes",
      "--max-bytes", "--alloc-percent", "--realloc-percent", "--sizes", "--max-live",
      // tui
      "--trace", "--race",
      // record
      "--output", "-o", "--max-ops",
    ]
    assert(
      listed == declaredValueOptions().union(["--generate-completion-script"]),
      "CommandLineWords.valueOptions is not the declared options that take a value: "
        + "\(declaredValueOptions().union(["--generate-completion-script"]).symmetricDifference(listed).sorted())"
    )
    return listed
  }()

  /// Every option that takes a value, from ArgumentParser's description of the commands.
  static func declaredValueOptions() -> Set<String> {
    func walk(_ command: [String: Any], into names: inout Set<String>) {
      for argument in command["arguments"] as? [[String: Any]] ?? []
      where argument["kind"] as? String == "option" {
        for name in argument["names"] as? [[String: Any]] ?? [] {
          guard let text = name["name"] as? String else { continue }
          names.insert((name["kind"] as? String == "long" ? "--" : "-") + text)
        }
      }
      for subcommand in command["subcommands"] as? [[String: Any]] ?? [] { walk(subcommand, into: &names) }
    }
    var names: Set<String> = []
    let json = try? JSONSerialization.jsonObject(with: Data(Memallook._dumpHelp().utf8)) as? [String: Any]
    walk(json?["command"] as? [String: Any] ?? [:], into: &names)
    return names
  }

  /// Words the root command answers itself.
  static let rootOptions: Set<String> = [
    "-h", "--help", "--version", "--generate-completion-script", "--experimental-dump-help",
  ]

  static func normalized(_ arguments: [String]) -> [String] {
    let (leading, rest) = splitLeadingOptions(arguments)
    guard let first = rest.first else {
      return leading.contains(where: rootOptions.contains) ? arguments : [TUI._commandName] + leading
    }
    let subcommand: String
    let parameters: ArraySlice<String>
    if looksLikeParameter(first) {
      subcommand = New._commandName
      parameters = rest[...]
    } else {
      subcommand = first
      parameters = rest.dropFirst()
    }
    guard oneShotNames.contains(subcommand) else { return [subcommand] + leading + parameters }
    let (options, positionals) = separate(parameters)
    return [subcommand] + leading + options + (positionals.isEmpty ? [] : ["--"] + positionals)
  }

  /// Names and aliases of the subcommands that are one command of the language.
  static let oneShotNames: Set<String> = {
    // Checked in debug builds (the CLI tests'): a one-shot subcommand left out of the list
    // would take its parameters for options.
    assert(
      Memallook.configuration.subcommands.filter { $0 is any OneShotCommand.Type }.count
        == Memallook.oneShotCommands.count, "a OneShotCommand is missing from Memallook.oneShotCommands")
    return Set(Memallook.oneShotCommands.flatMap { type in [type._commandName] + type.configuration.aliases })
  }()

  /// A number (`16`, `-5`) or a named parameter (`p=16`): the start of `new`'s words.
  static func looksLikeParameter(_ word: String) -> Bool {
    word.contains("=") || Int(word) != nil || (word.first?.isNumber ?? false)
  }

  static func isOption(_ word: String) -> Bool {
    word.hasPrefix("-") && word != "-" && word != "--" && Int(word) == nil
  }

  /// The options (with their values) before the first other word, and the words from there on.
  private static func splitLeadingOptions(_ words: [String]) -> ([String], [String]) {
    var index = 0
    while index < words.count, isOption(words[index]) {
      index += valueOptions.contains(words[index]) ? 2 : 1
    }
    let end = min(index, words.count)
    return (Array(words[..<end]), Array(words[end...]))
  }

  /// Options (with their values) apart from the other words, each keeping its order.
  private static func separate(_ words: ArraySlice<String>) -> (options: [String], positionals: [String]) {
    var options: [String] = []
    var positionals: [String] = []
    var index = words.startIndex
    while index < words.endIndex {
      let word = words[index]
      if word == "--" {
        positionals += words[(index + 1)...]
        break
      }
      if isOption(word) {
        options.append(word)
        if valueOptions.contains(word), index + 1 < words.endIndex {
          index += 1
          options.append(words[index])
        }
      } else {
        positionals.append(word)
      }
      index += 1
    }
    return (options, positionals)
  }
}
