import AtomicOutput
import DicomCore
import Foundation
import Locking

/// The record of SOP instances peers have confirmed: one line per confirmation, `UID<TAB>AET@HOST:PORT`,
/// appended and fsync'd after each, so that a rerun after a dropped link sends only what that peer did not
/// confirm. Sending the same files to another peer sends them all. The file is locked for the run: a second
/// run on the same journal is refused (kind `.inUse`).
public final class StoreJournal: Sendable {
    public let url: URL
    public let destination: String
    private let descriptor: Int32
    private let state: Locked<State>

    private struct State {
        var confirmed: Set<String>
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
        let mine = lines.compactMap { line -> String? in
            let fields = line.split(separator: "\t", maxSplits: 1)
            return fields.count == 2 && fields[1] == destination.description ? String(fields[0]) : nil
        }
        state = Locked(State(confirmed: Set(mine)))
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

    /// Records a confirmed instance durably before returning.
    public func record(_ sopInstanceUID: String) throws(DicomError) {
        let result: Result<Void, DicomError> = state.withLock { state in
            guard state.open else { return .failure(DicomError("the journal \(url.path) is closed")) }
            guard !state.confirmed.contains(sopInstanceUID) else { return .success(()) }
            do throws(AtomicFileError) {
                try AtomicFile.writeAll(Array("\(sopInstanceUID)\t\(destination)\n".utf8), to: descriptor)
            } catch { return .failure(DicomError("cannot write the journal \(url.path): \(error)")) }
            guard fsync(descriptor) == 0 else { return .failure(DicomError("cannot sync the journal: \(String(cString: strerror(errno)))")) }
            state.confirmed.insert(sopInstanceUID)
            return .success(())
        }
        try result.get()
    }

    public func contains(_ sopInstanceUID: String) -> Bool { state.withLock { $0.confirmed.contains(sopInstanceUID) } }
}
