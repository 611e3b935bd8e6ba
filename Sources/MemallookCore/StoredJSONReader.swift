/// Why a stored state in the compact format cannot be loaded: what is wrong and where.
public struct StoredStateError: Error, Sendable, Equatable, CustomStringConvertible {
  public let description: String

  init(_ description: String) { self.description = description }
}

/// A small reader of the JSON the compact state format is made of: objects,
/// arrays of integers, strings without escapes, and integers. It reads the bytes
/// once, front to back, and builds nothing but what it is asked for.
struct StoredJSONReader {
  let bytes: UnsafeBufferPointer<UInt8>
  private(set) var offset = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// How many bytes are not read yet.
  var bytesLeft: Int { bytes.count - offset }

  func error(_ what: String) -> StoredStateError {
    StoredStateError("\(what) at byte \(offset)")
  }

  mutating func skipSpace() {
    while offset < bytes.count {
      switch bytes[offset] {
      case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): offset += 1
      default: return
      }
    }
  }

  /// The next byte that is not whitespace, not consumed.
  mutating func peek() -> UInt8? {
    skipSpace()
    return offset < bytes.count ? bytes[offset] : nil
  }

  /// Consumes `byte` (after whitespace) if it is next.
  mutating func consume(_ byte: UInt8) -> Bool {
    guard peek() == byte else { return false }
    offset += 1
    return true
  }

  mutating func expect(_ byte: UInt8) throws(StoredStateError) {
    guard consume(byte) else { throw error("expected \"\(Character(Unicode.Scalar(byte)))\"") }
  }

  /// Whether only whitespace is left.
  mutating func atEnd() -> Bool { peek() == nil }

  /// A string without escapes or control characters, as its byte range.
  mutating func stringRange() throws(StoredStateError) -> Range<Int> {
    try expect(UInt8(ascii: "\""))
    let start = offset
    while offset < bytes.count, bytes[offset] != UInt8(ascii: "\"") {
      guard bytes[offset] >= 0x20, bytes[offset] != UInt8(ascii: "\\") else {
        throw error("unexpected byte in a string")
      }
      offset += 1
    }
    guard offset < bytes.count else { throw error("unterminated string") }
    offset += 1
    return start..<offset - 1
  }

  mutating func string() throws(StoredStateError) -> String {
    let range = try stringRange()
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  /// Whether the string at `range` is `text`.
  func equals(_ range: Range<Int>, _ text: StaticString) -> Bool {
    range.count == text.utf8CodeUnitCount
      && range.indices.allSatisfy { bytes[$0] == text.utf8Start[$0 - range.lowerBound] }
  }

  /// An integer: an optional minus and decimal digits, that fits in an `Int`.
  mutating func integer() throws(StoredStateError) -> Int {
    skipSpace()
    let negative = offset < bytes.count && bytes[offset] == UInt8(ascii: "-")
    if negative { offset += 1 }
    let start = offset
    var value = 0
    while offset < bytes.count {
      let digit = bytes[offset] &- UInt8(ascii: "0")
      guard digit < 10 else { break }
      let (times10, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) =
        negative
        ? times10.subtractingReportingOverflow(Int(digit)) : times10.addingReportingOverflow(Int(digit))
      guard !o1, !o2 else { throw error("number too large") }
      value = sum
      offset += 1
    }
    guard offset > start else { throw error("expected a number") }
    return value
  }

  /// A whole number from 0 to `UInt64.max`.
  mutating func unsignedInteger() throws(StoredStateError) -> UInt64 {
    skipSpace()
    let start = offset
    var value: UInt64 = 0
    while offset < bytes.count {
      let digit = bytes[offset] &- UInt8(ascii: "0")
      guard digit < 10 else { break }
      let (times10, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
      guard !o1, !o2 else { throw error("number too large") }
      value = sum
      offset += 1
    }
    guard offset > start else { throw error("expected a number") }
    return value
  }

  /// The next number of an array: a comma, then an integer.
  mutating func element() throws(StoredStateError) -> Int {
    try expect(UInt8(ascii: ","))
    return try integer()
  }

  /// An array of integers, appended to `values`.
  mutating func integers(into values: inout [Int]) throws(StoredStateError) {
    try expect(UInt8(ascii: "["))
    if consume(UInt8(ascii: "]")) { return }
    repeat {
      values.append(try integer())
    } while consume(UInt8(ascii: ","))
    try expect(UInt8(ascii: "]"))
  }

  /// The fields of an object: `field` is called with each key's range, and must read its value.
  mutating func object(_ field: (inout StoredJSONReader, Range<Int>) throws(StoredStateError) -> Void)
    throws(StoredStateError)
  {
    try expect(UInt8(ascii: "{"))
    if consume(UInt8(ascii: "}")) { return }
    repeat {
      let key = try stringRange()
      try expect(UInt8(ascii: ":"))
      try field(&self, key)
    } while consume(UInt8(ascii: ","))
    try expect(UInt8(ascii: "}"))
  }
}
