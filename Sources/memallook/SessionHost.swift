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
  private var watcher: StateFileWatcher

  init(store: StateStore) throws {
    self.store = store
    session = try store.withSession(save: false) { $0 }
    watcher = StateFileWatcher(path: store.path)
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
      watcher.markSeen()
      return (outcome, session)
    } catch {
      return (.unavailable("state file: \(error)"), session)
    }
  }

  func changesFromElsewhere() -> (Session, String?)? {
    guard watcher.changed(), let stored = try? store.read() else { return nil }
    session = stored
    return (stored, StateFileWatcher.note)
  }
}

/// Notices when the state file changes (modification time or size), so that a
/// TUI shows what `memallook alloc` did in another terminal.
struct StateFileWatcher {
  static let note = "the state file changed (another memallook): reloaded"
  let path: String
  private var lastSeen: (modified: Date, size: Int)?

  init(path: String) {
    self.path = path
    lastSeen = signature()
  }

  /// Whether the file changed since the last look (or `markSeen`); records what it sees.
  mutating func changed() -> Bool {
    let now = signature()
    defer { lastSeen = now }
    return now?.modified != lastSeen?.modified || now?.size != lastSeen?.size
  }

  /// Takes the file as it is now as known (after a write of our own).
  mutating func markSeen() { lastSeen = signature() }

  private func signature() -> (modified: Date, size: Int)? {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let modified = attributes[.modificationDate] as? Date, let size = attributes[.size] as? Int
    else { return nil }
    return (modified, size)
  }
}

/// The heap shared with the HTTP listener in the same process: commands go through
/// the `SharedSession`, and what came over HTTP shows up as a note.
final class SharedHost: SessionHost {
  let shared: SharedSession
  /// The state file behind the shared session, if persisted: changed by other processes too.
  private var watcher: StateFileWatcher?

  init(shared: SharedSession, statePath: String?) {
    self.shared = shared
    watcher = statePath.map(StateFileWatcher.init(path:))
  }

  var session: Session { shared.session }

  func execute(_ command: Command) -> (Outcome, Session) {
    defer { watcher?.markSeen() }
    do {
      return (.reply(try shared.apply(command, source: "tui")), shared.session)
    } catch let error as CommandError {
      return (.failure(error), shared.session)
    } catch {
      return (.unavailable("state file: \(error)"), shared.session)
    }
  }

  func apply(_ move: Move) -> (Outcome, Session) {
    defer { watcher?.markSeen() }
    do {
      return (.moved(move, try shared.apply(move, source: "tui")), shared.session)
    } catch {
      return (.unavailable("state file: \(error)"), shared.session)
    }
  }

  func changesFromElsewhere() -> (Session, String?)? {
    let fromHTTP = shared.takeUnseen().filter { $0.source != "tui" }
    if !fromHTTP.isEmpty { watcher?.markSeen() }  // their writes are not news from elsewhere
    if watcher?.changed() == true, (try? shared.reload()) != nil {
      return (shared.session, StateFileWatcher.note)
    }
    guard let last = fromHTTP.last else { return nil }
    let more = fromHTTP.count > 1 ? " (+\(fromHTTP.count - 1) more)" : ""
    return (shared.session, "HTTP: \(last.command) → \(last.reply)\(more)")
  }
}
