import Foundation
import MemallookCore
import MemallookServer
import MemallookTUI

/// Where an interactive front's commands take effect.
protocol SessionHost: AnyObject {
  /// The session as it is now.
  var session: Session { get }
  /// Applies `command`; returns what happened and the session after it.
  func execute(_ command: Command) -> (Outcome, Session)
  /// Applies one defrag move.
  func apply(_ move: Move) -> (Outcome, Session)
  /// The session if it changed elsewhere since the last look, with a note saying so.
  func changesFromElsewhere() -> (Session, String?)?
}

extension SessionHost {
  func outcome(of command: Command, in session: inout Session) -> Outcome {
    do {
      return .reply(try session.apply(command))
    } catch {
      return .failure(error)
    }
  }
}

/// A heap that lives as long as the process.
final class InMemoryHost: SessionHost {
  private(set) var session: Session

  init(seed: UInt64 = UInt64.random(in: .min ... .max)) { session = Session(seed: seed) }

  func execute(_ command: Command) -> (Outcome, Session) {
    (outcome(of: command, in: &session), session)
  }

  func apply(_ move: Move) -> (Outcome, Session) {
    (.moved(move, session.apply(move)), session)
  }

  func changesFromElsewhere() -> (Session, String?)? { nil }
}

/// The CLI's persisted heap: every change takes the file's lock, so commands run
/// from another terminal are never lost, and they show up here when the file changes.
final class StateFileHost: SessionHost {
  let store: StateStore
  private(set) var session: Session
  private var lastSeen: (modified: Date, size: Int)?

  init(store: StateStore) throws {
    self.store = store
    session = try store.withSession(save: false) { $0 }
    lastSeen = signature()
  }

  func execute(_ command: Command) -> (Outcome, Session) {
    change { session in self.outcome(of: command, in: &session) }
  }

  func apply(_ move: Move) -> (Outcome, Session) {
    change { session in .moved(move, session.apply(move)) }
  }

  private func change(_ body: (inout Session) -> Outcome) -> (Outcome, Session) {
    do {
      let outcome = try store.withSession(save: true) { stored in
        let outcome = body(&stored)
        self.session = stored
        return outcome
      }
      lastSeen = signature()
      return (outcome, session)
    } catch {
      return (.unavailable("state file: \(error)"), session)
    }
  }

  func changesFromElsewhere() -> (Session, String?)? {
    let now = signature()
    guard now?.modified != lastSeen?.modified || now?.size != lastSeen?.size else { return nil }
    lastSeen = now
    guard let stored = try? store.read() else { return nil }
    session = stored
    return (stored, "the state file changed (another memallook): reloaded")
  }

  private func signature() -> (modified: Date, size: Int)? {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: store.path),
      let modified = attributes[.modificationDate] as? Date, let size = attributes[.size] as? Int
    else { return nil }
    return (modified, size)
  }
}

/// The heap shared with the HTTP listener in the same process: commands go through
/// the `SharedSession`, and what came over HTTP shows up as a note.
final class SharedHost: SessionHost {
  let shared: SharedSession

  init(shared: SharedSession) { self.shared = shared }

  var session: Session { shared.session }

  func execute(_ command: Command) -> (Outcome, Session) {
    do {
      return (.reply(try shared.apply(command, source: "tui")), shared.session)
    } catch let error as CommandError {
      return (.failure(error), shared.session)
    } catch {
      return (.unavailable("state file: \(error)"), shared.session)
    }
  }

  func apply(_ move: Move) -> (Outcome, Session) {
    do {
      return (.moved(move, try shared.apply(move, source: "tui")), shared.session)
    } catch {
      return (.unavailable("state file: \(error)"), shared.session)
    }
  }

  func changesFromElsewhere() -> (Session, String?)? {
    let fromHTTP = shared.takeUnseen().filter { $0.source != "tui" }
    guard let last = fromHTTP.last else { return nil }
    let more = fromHTTP.count > 1 ? " (+\(fromHTTP.count - 1) more)" : ""
    return (shared.session, "HTTP: \(last.command) → \(last.reply)\(more)")
  }
}
