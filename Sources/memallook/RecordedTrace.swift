import Foundation
import MemallookCore

/// The trace file the recorder leaves, made whole after the recorded program ended,
/// however it ended: the recorder writes through a mapped window of the file, so the
/// file may end in zeros (a crash, SIGKILL) and its header may still be the one written
/// at the start. `finalize` cuts the zeros and the line being written, counts the
/// operations and rewrites the header in place (idempotent: a file the recorder
/// finished itself stays byte for byte).
enum RecordedTrace {
  struct Summary {
    var operations = 0
    var allocs = 0
    var frees = 0
    var reallocs = 0
    var droppedIncompleteLine = false
  }

  /// The recorder's header: 4 numbers, each right-aligned in 20 characters and a line end.
  static let headerLine = 21
  static let headerBytes = 4 * headerLine

  /// Finalizes the trace at `path`; nil when nothing was recorded (no header written).
  static func finalize(_ path: String) -> Summary? {
    let descriptor = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var information = stat()
    guard fstat(descriptor, &information) == 0, information.st_size >= headerBytes else { return nil }
    // The data ends at the last byte that is not zero; the body at the last line end before it.
    let size = Int(information.st_size)
    var end = size
    var block = [UInt8](repeating: 0, count: 1 << 16)
    scan: while end > headerBytes {
      let start = max(headerBytes, end - block.count)
      let count = block.withUnsafeMutableBytes {
        pread(descriptor, $0.baseAddress, end - start, off_t(start))
      }
      guard count == end - start else { return nil }
      for index in stride(from: count - 1, through: 0, by: -1) where block[index] != 0 {
        end = start + index + 1
        break scan
      }
      end = start
    }
    var summary = Summary()
    var live = LiveBytes(pageSize: 16)
    var largest = -1
    var parser = TraceParser(format: .rep, strict: false)
    var cut = headerBytes
    var offset = headerBytes
    // A synthetic header, then the body a block at a time, up to the last complete line.
    let header = Array(String(repeating: "0\n", count: 4).utf8)
    func count(_ operation: Trace.Operation, _: Int) throws(TraceError) {
      summary.operations += 1
      switch operation {
      case .alloc: summary.allocs += 1
      case .free: summary.frees += 1
      case .realloc: summary.reallocs += 1
      }
      largest = max(largest, operation.id)
      live.apply(operation)
    }
    do throws(TraceError) {
      try header.withUnsafeBufferPointer { bytes throws(TraceError) in try parser.read(bytes, count) }
      while offset < end {
        let length = min(block.count, end - offset)
        let read = block.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, length, off_t(offset)) }
        guard read == length else { return nil }
        guard let lastLineEnd = block[..<length].lastIndex(of: UInt8(ascii: "\n")) else {
          summary.droppedIncompleteLine = true  // a line longer than a block: none is (48 bytes at most)
          break
        }
        try block.withUnsafeBufferPointer { bytes throws(TraceError) in
          try parser.read(UnsafeBufferPointer(rebasing: bytes[...lastLineEnd]), count)
        }
        offset += lastLineEnd + 1
        cut = offset
        if lastLineEnd + 1 < length, offset + (length - lastLineEnd - 1) >= end { break }
      }
    } catch {
      // Not the recorder's writing (it writes nothing else): keep what read well.
    }
    summary.droppedIncompleteLine = summary.droppedIncompleteLine || cut < end
    let text = [live.peak, largest + 1, summary.operations, 1].map { number in
      let digits = String(number)
      return String(repeating: " ", count: max(0, headerLine - 1 - digits.count)) + digits + "\n"
    }.joined()
    let bytes = Array(text.utf8)
    guard bytes.count == headerBytes,
      ftruncate(descriptor, off_t(cut)) == 0,
      bytes.withUnsafeBytes({ pwrite(descriptor, $0.baseAddress, headerBytes, 0) }) == headerBytes
    else { return nil }
    return summary
  }
}
