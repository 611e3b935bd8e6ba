/// The changes made to a heap since NEW, and the step the heap is at among them.
///
/// Step 0 is the empty heap NEW made; step `s` is the heap just after the
/// `s`-th change. A step is a change: a failed ALLOC, a DEFRAG that moves
/// nothing and a POLICY naming the current policy are not steps. After UNDO,
/// a new change drops the changes that could have been redone.
public struct History: Sendable, Equatable {
  /// Changes dropped from the front to keep a stored history bounded: step
  /// numbers go on counting from NEW, and steps before `base` cannot be reached.
  public internal(set) var base = 0
  public internal(set) var changes: [Change] = []
  /// How many of `changes` are applied.
  public internal(set) var position = 0
  /// The counters at the last step, kept when UNDO or GOTO leaves it (failed
  /// ALLOCs since the last change are part of that step's state).
  var latest: Counters?

  public init() {}

  /// The step the heap is at.
  public var step: Int { base + position }
  /// The last step recorded (redoable when past `step`).
  public var lastStep: Int { base + changes.count }

  /// Records `change`, made at the current step, dropping the redo branch.
  mutating func record(_ change: Change) {
    changes.removeSubrange(position...)
    changes.append(change)
    position += 1
    latest = nil
  }

  /// The counters recorded for the step after the current one (nil at the last step but for `latest`).
  var countersAfterNext: Counters? {
    position + 1 < changes.count ? changes[position + 1].before : latest
  }

  /// The state at the current step changed without a change (a failed ALLOC): the
  /// next change, if any, starts from it.
  mutating func amendCurrentStep(_ counters: Counters) {
    guard position < changes.count else { return }
    let next = changes[position]
    changes[position] = Change(kind: next.kind, before: counters)
  }

  /// Keeps at most `limit` changes, dropping the oldest ones that are applied.
  mutating func trim(to limit: Int) {
    let dropped = min(max(0, changes.count - limit), position)
    guard dropped > 0 else { return }
    changes.removeFirst(dropped)
    position -= dropped
    base += dropped
  }

  /// `HISTORY`: the last `count` steps, the current one marked with `>`.
  func listing(last count: Int, origin: String) -> String {
    let first = max(base, lastStep - count + 1)
    var lines = [
      "history: step \(step) of \(lastStep)" + (base > 0 ? " (steps before \(base) not kept)" : "")
    ]
    if first == 0 { lines.append((step == 0 ? ">" : " ") + " 0  " + origin) }
    for number in max(first, base + 1)...max(lastStep, base + 1) where number <= lastStep {
      let change = changes[number - base - 1]
      let marker = number == step ? ">" : number > step ? "~" : " "
      lines.append("\(marker) \(number)  \(pad(change.command.line, 16)) \(change.summary)")
    }
    if lastStep > step { lines.append("(~ undone: REDO or GOTO brings them back)") }
    return lines.joined(separator: "\n")
  }
}

private func pad(_ text: String, _ width: Int) -> String {
  text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
