import Foundation
import MemallookCore

/// The state file's first format (version 1): the session as JSON through `Codable`,
/// in an envelope naming the format and the version. Read only, to convert a file an
/// older memallook wrote: the next write is in the current format (`StoredState`).
enum LegacyStateFile {
  static let version = 1

  /// The session in a version 1 file.
  /// - Throws: `StateFileError.foreign` for a file that is not memallook's, `.corrupt` for
  ///   another version or a session that breaks a rule.
  static func decode(_ data: Data, file: String) throws -> Session {
    do {
      return try JSONDecoder().decode(Envelope.self, from: data).session
    } catch let error as Envelope.Refusal {
      switch error {
      case .foreign: throw StateFileError.foreign(file)
      case .version(let found): throw StateFileError.corrupt(file, "unsupported version \(found)")
      }
    } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
      throw StateFileError.corrupt(file, context.debugDescription)
    } catch is DecodingError {
      throw StateFileError.foreign(file)
    }
  }

  /// A version 1 file's bytes, for the tests of the conversion.
  static func encode(_ session: Session) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(Envelope(session: session))
  }

  /// The file's outer object: what it is, which version, then the session.
  private struct Envelope: Codable {
    enum Refusal: Error {
      case foreign
      case version(String)
    }
    enum CodingKeys: String, CodingKey { case format, version, session }

    var session: Session

    init(session: Session) { self.session = session }

    init(from decoder: Decoder) throws {
      guard let container = try? decoder.container(keyedBy: CodingKeys.self),
        (try? container.decode(String.self, forKey: .format)) == StoredState.format
      else { throw Refusal.foreign }
      let version = try? container.decode(Int.self, forKey: .version)
      guard version == LegacyStateFile.version else {
        throw Refusal.version(version.map(String.init) ?? "none")
      }
      session = try container.decode(Session.self, forKey: .session)
    }

    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(StoredState.format, forKey: .format)
      try container.encode(LegacyStateFile.version, forKey: .version)
      try container.encode(session, forKey: .session)
    }
  }
}
