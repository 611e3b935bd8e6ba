import Foundation
import MemallookCore

/// Runs a script line by line as `run` does: reads its bytes as they come, parses
/// each line as bytes, applies it, and prints each reply; returns the exit status.
///
/// Lines end with LF or CR LF. Input is read in chunks; output is flushed before
/// each read that may wait, so a script fed line by line (a terminal, a program on
/// a pipe) gets each reply before it sends the next line.
struct ScriptRunner {
  /// The longest line a script may have, in bytes before its line feed.
  static let maximumLineLength = 1 << 16

  let name: String
  var output = ScriptOutput()
  private var state = RunState()
  private var data = [UInt8](repeating: 0, count: ScriptRunner.maximumLineLength + 1)
  private var filled = 0
  private var discarding = false
  /// The script ended (its end, QUIT, or a read that failed).
  private(set) var finished = false

  init(name: String) { self.name = name }

  /// The exit status so far.
  var status: Int32 { state.status }

  /// Runs the script read from `descriptor` to its end (or to QUIT) on `session`.
  mutating func run(reading descriptor: Int32, in session: inout Session) -> Int32 {
    while !finished { runAvailable(reading: descriptor, in: &session, stopBeforeWaiting: false) }
    return state.status
  }

  /// Runs lines from `descriptor` on `session`; with `stopBeforeWaiting`, returns as soon as
  /// reading more would wait (a person typing, a program on a pipe), so that the caller can
  /// give back what it holds (the state file's lock) meanwhile. `finished` says whether it ended.
  mutating func runAvailable(reading descriptor: Int32, in session: inout Session, stopBeforeWaiting: Bool) {
    reading: while !finished {
      output.flush()
      if stopBeforeWaiting {
        var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        if poll(&waiting, 1, 0) == 0 { return }
      }
      let count = data.withUnsafeMutableBytes { buffer in
        var count: Int
        repeat {
          count = read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
        } while count < 0 && errno == EINTR
        return count
      }
      if count < 0 {
        output.error("memallook: cannot read \(name): \(String(cString: strerror(errno)))")
        state.status = Status.usage
        finished = true
        break
      }
      let atEnd = count == 0
      filled += count
      var start = 0
      let stop = data.withUnsafeBufferPointer { buffer -> Bool in
        while start < filled {
          let rest = UnsafeRawPointer(buffer.baseAddress! + start)
          guard let found = memchr(rest, Int32(UInt8(ascii: "\n")), filled - start) else { break }
          let newline = start + (UnsafeRawPointer(found) - rest)
          defer { start = newline + 1 }
          if discarding {
            discarding = false
            continue
          }
          var end = newline
          if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
          if line(UnsafeBufferPointer(rebasing: buffer[start..<end]), &session) { return true }
        }
        if atEnd, start < filled, !discarding {
          defer { start = filled }
          return line(UnsafeBufferPointer(rebasing: buffer[start..<filled]), &session)
        }
        return false
      }
      if stop || atEnd {
        finished = true
        break reading
      }
      if start == 0, filled == data.count {
        // No line end in a full buffer: the line is too long. Skip to its end.
        if !discarding {
          state.number += 1
          output.error("\(name):\(state.number): line longer than \(Self.maximumLineLength) bytes")
          output.endOfReply()
          state.status = Status.usage
        }
        discarding = true
        filled = 0
        continue
      }
      if start > 0 {
        data.withUnsafeMutableBytes { buffer in
          _ = memmove(buffer.baseAddress!, buffer.baseAddress! + start, filled - start)
        }
        filled -= start
      }
    }
    output.flush()
  }

  /// What the run has seen so far.
  struct RunState {
    var status: Int32 = 0
    var number = 0
    var first = true
  }

  /// Runs one line; returns true when the script ends (QUIT).
  private mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, _ session: inout Session) -> Bool {
    state.number += 1
    let command: Command?
    do {
      command = try CommandParser.parse(utf8: bytes)
    } catch {
      output.error("\(name):\(state.number):\(error.column.map { "\($0):" } ?? "") \(error.message)")
      output.endOfReply()
      state.status = Status.usage
      return false
    }
    guard let command else { return false }
    do {
      let reply = try session.apply(command)
      if case .quit = reply { return true }
      if !state.first { output.separator() }
      state.first = false
      output.reply(reply)
    } catch {
      if !state.first { output.separator() }
      state.first = false
      output.reply(error.message)
      output.detail(error.detail)
      if state.status == 0 { state.status = error.isUsageError ? Status.usage : Status.refused }
    }
    output.endOfReply()
    return false
  }
}
