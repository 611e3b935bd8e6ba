/// How many terminal columns text takes: 2 for East Asian Wide and Fullwidth
/// characters (CJK, Hangul, fullwidth forms, emoji), 0 for combining marks and
/// other zero-width characters, else 1. A small table instead of `wcwidth`, so
/// this module needs no locale (and the tests none either); it agrees with
/// glibc's `wcwidth` in UTF-8 locales for the characters that matter here.
extension Unicode.Scalar {
  /// Terminal columns of this scalar: 0, 1 or 2.
  public var displayWidth: Int {
    let value = self.value
    if value < 0x300 { return 1 }
    if (0x1160...0x11FF).contains(value) || (0x200B...0x200F).contains(value) || value == 0xFEFF {
      return 0
    }
    switch properties.generalCategory {
    case .nonspacingMark, .enclosingMark: return 0
    default: break
    }
    if Self.wideRanges.contains(where: { $0.contains(value) }) || properties.isEmojiPresentation { return 2 }
    return 1
  }

  /// East Asian Wide (W) and Fullwidth (F) blocks, emoji aside.
  static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
    0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
    0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
    0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
  ]
}

extension Character {
  /// Terminal columns of this character: its first scalar's (what follows combines
  /// with it). A combining mark on its own takes 0: it joins the character before it.
  public var displayWidth: Int {
    if isASCII { return 1 }
    return unicodeScalars.first?.displayWidth ?? 0
  }
}
