import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs `body`, which may block, on a thread of its own and gives its result.
///
/// Not on the cooperative pool (two threads here), whose blocked threads would starve the
/// very handlers a read waits for, and not on Dispatch's global queue either: on Linux
/// Swift's tasks run on the same workers, so reads waiting there held every handler of
/// the test server back for seconds (a route test's request went unanswered for its
/// whole 10-second wait in CI).
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
  await withCheckedContinuation { continuation in
    Thread { continuation.resume(returning: body()) }.start()
  }
}

/// A bare TCP connection to the test server, for bytes an HTTP client would never send.
/// Reads wait on a thread of their own (`onOwnThread`).
final class RawConnection: @unchecked Sendable {
  /// What a read saw: the bytes, and whether the server closed the connection.
  struct Received {
    var text = ""
    var closed = false
  }

  struct Failure: Error {
    let call: String
    let code: Int32
  }

  private let socketDescriptor: Int32

  /// Connects to `localhost:port` (any address it resolves to).
  init(port: Int) throws {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    let resolved = getaddrinfo("localhost", String(port), &hints, &list)
    guard resolved == 0, let list else { throw Failure(call: "getaddrinfo", code: resolved) }
    defer { freeaddrinfo(list) }
    var candidate: UnsafeMutablePointer<addrinfo>? = list
    var lastError: Int32 = 0
    while let address = candidate {
      let descriptor = socket(
        address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
      if descriptor >= 0 {
        if connect(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
          socketDescriptor = descriptor
          return
        }
        lastError = errno
        close(descriptor)
      }
      candidate = address.pointee.ai_next
    }
    throw Failure(call: "connect", code: lastError)
  }

  deinit { close(socketDescriptor) }

  /// Writes all of `text`.
  func send(_ text: String) throws {
    let bytes = Array(text.utf8)
    var sent = 0
    while sent < bytes.count {
      let written = bytes[sent...].withUnsafeBytes {
        Glibc.send(socketDescriptor, $0.baseAddress, $0.count, 0)
      }
      guard written > 0 else { throw Failure(call: "send", code: errno) }
      sent += written
    }
  }

  /// Reads until the server closes the connection, `stop` appears, or no byte comes for `quiet`.
  func receive(until stop: String? = nil, quiet: Duration) async -> Received {
    await onOwnThread { self.blockingReceive(until: stop, quiet: quiet) }
  }

  private func blockingReceive(until stop: String?, quiet: Duration) -> Received {
    var received = Received()
    var bytes: [UInt8] = []
    let milliseconds = Int32(
      quiet.components.seconds * 1000 + quiet.components.attoseconds / 1_000_000_000_000_000)
    while true {
      var descriptor = pollfd(fd: socketDescriptor, events: Int16(POLLIN), revents: 0)
      guard poll(&descriptor, 1, milliseconds) > 0 else { break }
      var buffer = [UInt8](repeating: 0, count: 4096)
      let count = buffer.withUnsafeMutableBytes { recv(socketDescriptor, $0.baseAddress, $0.count, 0) }
      if count <= 0 {
        received.closed = true
        break
      }
      bytes += buffer[..<count]
      if let stop, String(decoding: bytes, as: UTF8.self).contains(stop) { break }
    }
    received.text = String(decoding: bytes, as: UTF8.self)
    return received
  }
}
