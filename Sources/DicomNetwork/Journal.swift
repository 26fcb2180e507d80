import AtomicOutput
import DicomCore
import Foundation
import Locking

/// The record of what peers confirmed, one line per step, appended and fsync'd before the step counts, so
/// that a rerun after a dropped link sends only what that peer did not confirm. `UID<TAB>AET@HOST:PORT` is a
/// confirmed C-STORE; with Storage Commitment the same instance then moves on:
/// `...<TAB>commit-requested<TAB>TRANSACTION<TAB>CLASS`, `...<TAB>committed` or
/// `...<TAB>commit-failed<TAB>REASON`; the last line of an instance is its state. A commit-failed instance
/// is sent again by the next run. Sending the same files to another peer sends them all. The file is
/// locked for the run: a second run on the same journal is refused (kind `.inUse`).
public final class StoreJournal: Sendable {
    public enum State: Sendable, Equatable {
        case stored
        case commitRequested(transactionUID: String, sopClass: String)
        case committed
        case commitFailed(reason: String)
    }

    public let url: URL
    public let destination: String
    private let descriptor: Int32
    private let state: Locked<Book>

    private struct Book {
        var states: [String: State]
        var open = true
    }

    public init(url: URL, destination: PeerAddress) throws(DicomError) {
        self.url = url
        self.destination = destination.description
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        descriptor = open(url.path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DicomError("cannot open the journal \(url.path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(descriptor)
            throw DicomError("the journal \(url.path) is in use by another run", kind: .inUse)
        }
        let existing = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        // A line cut short by a crash has no newline: it was never confirmed, so it is ignored. Lines of
        // another destination, or of the earlier format without one, do not count for this peer.
        var lines = existing.split(separator: "\n", omittingEmptySubsequences: false)
        if !existing.hasSuffix("\n") { lines.removeLast() }
        var states: [String: State] = [:]
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 2, fields[1] == destination.description else { continue }
            switch fields.count {
            case 2: states[fields[0]] = .stored
            case 3 where fields[2] == "committed": states[fields[0]] = .committed
            case 4 where fields[2] == "commit-failed": states[fields[0]] = .commitFailed(reason: fields[3])
            case 5 where fields[2] == "commit-requested": states[fields[0]] = .commitRequested(transactionUID: fields[3], sopClass: fields[4])
            default: continue
            }
        }
        state = Locked(Book(states: states))
        if !existing.isEmpty && !existing.hasSuffix("\n") {
            _ = try? AtomicFile.writeAll(Array("\n".utf8), to: descriptor)  // end the torn line
        }
    }

    /// Releases the lock (closing the file) now, for a run that follows in the same process; later
    /// records fail.
    public func close() {
        state.withLock { state in
            guard state.open else { return }
            state.open = false
            _ = Glibc.close(descriptor)
        }
    }

    deinit { close() }

    /// Records a confirmed C-STORE durably before returning (nothing new when it is already there and not
    /// commit-failed).
    public func record(_ sopInstanceUID: String) throws(DicomError) {
        try append([(sopInstanceUID, .stored)]) { current in current == nil || Self.isFailed(current!) }
    }

    /// Records Storage Commitment steps, in one write and one sync.
    public func record(_ changes: [(sopInstanceUID: String, state: State)]) throws(DicomError) {
        try append(changes) { _ in true }
    }

    /// Whether the peer confirmed this instance (stored, asked to commit, or committed): not to send again.
    public func contains(_ sopInstanceUID: String) -> Bool {
        state.withLock { $0.states[sopInstanceUID].map { !Self.isFailed($0) } ?? false }
    }

    public func state(of sopInstanceUID: String) -> State? { state.withLock { $0.states[sopInstanceUID] } }

    /// Instances asked to commit whose answer never came, with their transaction and class.
    public var awaitingAnswers: [(sopInstanceUID: String, sopClass: String)] {
        state.withLock { book in
            book.states.compactMap { uid, state in
                if case .commitRequested(_, let sopClass) = state { return (uid, sopClass) }
                return nil
            }.sorted { $0.sopInstanceUID < $1.sopInstanceUID }
        }
    }

    private static func isFailed(_ state: State) -> Bool {
        if case .commitFailed = state { return true }
        return false
    }

    private func line(_ uid: String, _ state: State) -> String {
        switch state {
        case .stored: "\(uid)\t\(destination)\n"
        case .commitRequested(let transaction, let sopClass): "\(uid)\t\(destination)\tcommit-requested\t\(transaction)\t\(sopClass)\n"
        case .committed: "\(uid)\t\(destination)\tcommitted\n"
        case .commitFailed(let reason): "\(uid)\t\(destination)\tcommit-failed\t\(reason.replacingOccurrences(of: "\t", with: " "))\n"
        }
    }

    private func append(_ changes: [(sopInstanceUID: String, state: State)], when wanted: (State?) -> Bool) throws(DicomError) {
        let result: Result<Void, DicomError> = state.withLock { book in
            guard book.open else { return .failure(DicomError("the journal \(url.path) is closed")) }
            let kept = changes.filter { wanted(book.states[$0.sopInstanceUID]) }
            guard !kept.isEmpty else { return .success(()) }
            do throws(AtomicFileError) {
                try AtomicFile.writeAll(Array(kept.map { line($0.sopInstanceUID, $0.state) }.joined().utf8), to: descriptor)
            } catch { return .failure(DicomError("cannot write the journal \(url.path): \(error)")) }
            guard fsync(descriptor) == 0 else { return .failure(DicomError("cannot sync the journal: \(String(cString: strerror(errno)))")) }
            for change in kept { book.states[change.sopInstanceUID] = change.state }
            return .success(())
        }
        try result.get()
    }
}
