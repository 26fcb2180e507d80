import DicomCore
import Foundation

/// The record of SOP instances a peer has confirmed: one UID per line, appended and fsync'd after each
/// confirmation, so that a rerun after a dropped link sends only what was not confirmed.
public final class StoreJournal: @unchecked Sendable {
    public let url: URL
    private let descriptor: Int32
    private let lock = NSLock()
    public private(set) var confirmed: Set<String>

    public init(url: URL) throws(DicomError) {
        self.url = url
        let existing = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        // A line cut short by a crash has no newline: it was never confirmed, so it is ignored.
        var lines = existing.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if !existing.hasSuffix("\n") { lines.removeLast() }
        confirmed = Set(lines.filter { !$0.isEmpty })
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DicomError("cannot open the journal \(url.path): \(String(cString: strerror(errno)))") }
        if !existing.isEmpty && !existing.hasSuffix("\n") {
            _ = try? AtomicFile.writeAll(Array("\n".utf8), to: descriptor)  // end the torn line
        }
    }

    deinit { close(descriptor) }

    /// Records a confirmed instance durably before returning.
    public func record(_ sopInstanceUID: String) throws(DicomError) {
        lock.lock()
        defer { lock.unlock() }
        guard !confirmed.contains(sopInstanceUID) else { return }
        try AtomicFile.writeAll(Array((sopInstanceUID + "\n").utf8), to: descriptor)
        guard fsync(descriptor) == 0 else { throw DicomError("cannot sync the journal: \(String(cString: strerror(errno)))") }
        confirmed.insert(sopInstanceUID)
    }

    public func contains(_ sopInstanceUID: String) -> Bool { lock.withLock { confirmed.contains(sopInstanceUID) } }
}
