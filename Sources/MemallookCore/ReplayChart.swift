/// An SVG chart of replays of one trace: external fragmentation and utilization
/// over the operations, one line per policy, with axes, ticks and a legend.
public struct ReplayChart: Sendable {
  public let title: String
  /// Summaries with timelines (a summary without one draws only its end point).
  public let summaries: [ReplaySummary]

  public init(title: String, summaries: [ReplaySummary]) {
    self.title = title
    self.summaries = summaries
  }

  static let width = 960
  static let height = 660
  static let left = 80
  static let right = 760
  static let panels = [(top: 70, bottom: 310), (top: 380, bottom: 620)]
  static let colors = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
  ]
  static let dashes = ["", "8 4", "2 4", "12 4 2 4", "6 2", "1 2"]

  /// The SVG document.
  /// - Complexity: O(timeline points).
  public var svg: String {
    let operations = max(1, summaries.map(\.operations).max() ?? 1)
    var out = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.width)\" height=\"\(Self.height)\" "
        + "viewBox=\"0 0 \(Self.width) \(Self.height)\" font-family=\"sans-serif\" font-size=\"13\">",
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
      "<text x=\"\(Self.width / 2)\" y=\"28\" text-anchor=\"middle\" font-size=\"17\">\(Self.escaped(title))</text>",
    ]
    let names = ["external fragmentation", "utilization (pages in use)"]
    for (panel, frame) in Self.panels.enumerated() {
      out += axes(frame: frame, name: names[panel], operations: operations)
      for (index, summary) in summaries.enumerated() {
        let points =
          [(0, 0.0)]
          + (summary.timeline ?? [summary.final]).map { point in
            (
              point.op,
              panel == 0
                ? point.externalFragmentation : Double(point.pagesInUse) / Double(summary.pageCount)
            )
          }
        let path = points.map { op, value in
          "\(Self.fixed(x(op, operations))),\(Self.fixed(y(value, frame)))"
        }.joined(separator: " ")
        let dash = Self.dashes[index % Self.dashes.count]
        out.append(
          "<polyline fill=\"none\" stroke=\"\(Self.colors[index % Self.colors.count])\" stroke-width=\"2\""
            + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + " points=\"\(path)\"/>")
      }
    }
    for (index, summary) in summaries.enumerated() {
      let top = Self.panels[0].top + 10 + index * 24
      let dash = Self.dashes[index % Self.dashes.count]
      out.append(
        "<line x1=\"\(Self.right + 20)\" y1=\"\(top)\" x2=\"\(Self.right + 60)\" y2=\"\(top)\" "
          + "stroke=\"\(Self.colors[index % Self.colors.count])\" stroke-width=\"2\""
          + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + "/>")
      out.append("<text x=\"\(Self.right + 68)\" y=\"\(top + 4)\">\(summary.policy.title)</text>")
    }
    out.append("</svg>")
    return out.joined(separator: "\n") + "\n"
  }

  /// A panel's frame, grid, ticks and labels.
  private func axes(frame: (top: Int, bottom: Int), name: String, operations: Int) -> [String] {
    var out = [
      "<text x=\"\(Self.left)\" y=\"\(frame.top - 10)\" font-size=\"14\">\(name)</text>",
      "<rect x=\"\(Self.left)\" y=\"\(frame.top)\" width=\"\(Self.right - Self.left)\" "
        + "height=\"\(frame.bottom - frame.top)\" fill=\"none\" stroke=\"#333\"/>",
    ]
    for percent in stride(from: 0, through: 100, by: 25) {
      let level = Self.fixed(y(Double(percent) / 100, frame))
      out.append(
        "<line x1=\"\(Self.left)\" y1=\"\(level)\" x2=\"\(Self.right)\" y2=\"\(level)\" stroke=\"#ddd\"/>")
      out.append(
        "<text x=\"\(Self.left - 8)\" y=\"\(level)\" dy=\"4\" text-anchor=\"end\">\(percent)%</text>")
    }
    let step = Self.tickStep(operations)
    for op in stride(from: 0, through: operations, by: step) {
      let column = Self.fixed(x(op, operations))
      out.append(
        "<line x1=\"\(column)\" y1=\"\(frame.bottom)\" x2=\"\(column)\" y2=\"\(frame.bottom + 5)\" stroke=\"#333\"/>"
      )
      out.append(
        "<text x=\"\(column)\" y=\"\(frame.bottom + 19)\" text-anchor=\"middle\">\(Self.grouped(op))</text>")
    }
    out.append(
      "<text x=\"\(Self.right)\" y=\"\(frame.bottom + 36)\" text-anchor=\"end\" fill=\"#555\">operations</text>"
    )
    return out
  }

  private func x(_ op: Int, _ operations: Int) -> Double {
    Double(Self.left) + Double(op) / Double(operations) * Double(Self.right - Self.left)
  }

  private func y(_ value: Double, _ frame: (top: Int, bottom: Int)) -> Double {
    Double(frame.bottom) - min(1, max(0, value)) * Double(frame.bottom - frame.top)
  }

  /// 1, 2 or 5 times a power of ten, so that `maximum` spans at most 6 steps.
  static func tickStep(_ maximum: Int) -> Int {
    var power = 1
    while true {
      for factor in [1, 2, 5] where maximum / (factor * power) <= 6 { return factor * power }
      power *= 10
    }
  }

  /// `1234567` → `"1,234,567"`.
  static func grouped(_ value: Int) -> String {
    let digits = String(value)
    var out = ""
    for (index, digit) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
      out.append(digit)
    }
    return out
  }

  /// One decimal, no Foundation.
  static func fixed(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
  }

  static func escaped(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(character)
      }
    }
    return out
  }
}
