extension String {
  /// The text safe to print on a terminal: every control character (C0, DEL, C1) is
  /// written `\xNN` (`\x1B` for ESC), so a message quoting a user's bytes cannot change
  /// the terminal's title, colours or cursor. The rest is kept.
  public var visible: String { visible(keeping: []) }

  /// `visible`, keeping line ends and tabs: for a whole message of several lines (a usage
  /// text) that may quote a user's bytes (a file name).
  public var visibleLines: String { visible(keeping: ["\n", "\t"]) }

  private func visible(keeping kept: Set<Unicode.Scalar>) -> String {
    guard unicodeScalars.contains(where: { $0.isControl && !kept.contains($0) }) else { return self }
    var text = ""
    for scalar in unicodeScalars {
      if scalar.isControl, !kept.contains(scalar) {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        text += "\\x" + (hex.count < 2 ? "0" : "") + hex
      } else {
        text.unicodeScalars.append(scalar)
      }
    }
    return text
  }
}

extension Unicode.Scalar {
  /// C0 (below space), DEL and C1 (0x80 to 0x9F).
  var isControl: Bool { value < 0x20 || (0x7F...0x9F).contains(value) }
}
