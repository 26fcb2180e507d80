import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes files so that readers see either the old content or the complete new one, never a partial file:
/// a temporary file in the destination folder, fsync, rename over the destination, fsync of the folder; a
/// failure of any step is an error (nothing is reported written before it is durable). The receiver's C++
/// path (`placeDurably` in shim_incoming.cpp) takes the same steps, renaming without replacing.
public enum AtomicFile {
    /// When the bytes must be on disk: before `write` returns, or by the caller's `synchronize` at the end of
    /// a batch (one flush of the file system instead of two fsyncs per file, which cost more than the work
    /// itself on a batch of small files). Both keep the rename: no partial file is ever visible.
    public enum Durability: Sendable {
        case immediate
        case deferred
    }

    public static func write(
        _ bytes: [UInt8], to url: URL, permissions: mode_t = 0o644, durability: Durability = .immediate
    ) throws(AtomicFileError) {
        let directory = url.deletingLastPathComponent()
        var template = Array(directory.appendingPathComponent(".\(url.lastPathComponent).XXXXXX").path.utf8CString)
        let pristine = template
        var descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if descriptor < 0 && errno == ENOENT {
            // The folder is created on the first file written into it.
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw AtomicFileError("cannot create folder \(directory.path): \(error.localizedDescription)")
            }
            template = pristine
            descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        }
        guard descriptor >= 0 else { throw AtomicFileError("cannot create a file in \(directory.path): \(errnoText())") }
        let temporaryPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer {
            if !committed { unlink(temporaryPath) }
        }
        do {
            defer { close(descriptor) }
            try writeAll(bytes, to: descriptor)
            guard fchmod(descriptor, permissions & ~processUmask) == 0, durability == .deferred || fsync(descriptor) == 0 else {
                throw AtomicFileError("cannot write \(url.path): \(errnoText())")
            }
        }
        guard rename(temporaryPath, url.path) == 0 else {
            throw AtomicFileError("cannot write \(url.path): \(errnoText())")
        }
        committed = true
        guard durability == .immediate else { return }
        let folder = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw AtomicFileError("cannot sync \(directory.path): \(errnoText())") }
        defer { close(folder) }
        guard fsync(folder) == 0 else { throw AtomicFileError("cannot sync \(directory.path): \(errnoText())") }
    }

    /// Flushes the file system holding `folder` (files written with `.deferred` durability, and their names).
    public static func synchronize(folder: URL) throws(AtomicFileError) {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw AtomicFileError("cannot open \(folder.path): \(errnoText())") }
        defer { close(descriptor) }
        guard linuxSyncfs(descriptor) == 0 else { throw AtomicFileError("cannot flush \(folder.path) to disk: \(errnoText())") }
    }

    /// Writes everything to an open descriptor (standard output included), retrying short writes.
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(AtomicFileError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw AtomicFileError("write failed: \(errnoText())")
            }
            offset += written
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// The process's umask, read once: umask can only be read by setting it, and doing that on every write
    /// from several threads could leave the process with the wrong one.
    static let processUmask: mode_t = {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }()
}

/// A file written in pieces that appears at its name only when `commit` succeeds (for outputs too large
/// to hold in memory, such as a study bundle); `abort`, or dropping it uncommitted, leaves nothing behind.
public final class AtomicFileStream {
    public let url: URL
    private let temporaryPath: String
    private var descriptor: Int32
    private var finished = false

    public init(url: URL, permissions: mode_t = 0o644) throws(AtomicFileError) {
        self.url = url
        let directory = url.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var template = Array(directory.appendingPathComponent(".\(url.lastPathComponent).XXXXXX").path.utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        temporaryPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard descriptor >= 0 else { throw AtomicFileError("cannot create a file in \(directory.path): \(AtomicFile.errnoText())") }
        fchmod(descriptor, permissions)
    }

    public func write(_ bytes: [UInt8]) throws(AtomicFileError) { try AtomicFile.writeAll(bytes, to: descriptor) }

    public func commit() throws(AtomicFileError) {
        guard !finished else { return }
        finished = true
        defer { close(descriptor) }
        guard fsync(descriptor) == 0, rename(temporaryPath, url.path) == 0 else {
            let reason = AtomicFile.errnoText()
            unlink(temporaryPath)
            throw AtomicFileError("cannot write \(url.path): \(reason)")
        }
    }

    public func abort() {
        guard !finished else { return }
        finished = true
        close(descriptor)
        unlink(temporaryPath)
    }

    deinit { abort() }
}

/// glibc's syncfs(2), which the Glibc module does not export (it needs _GNU_SOURCE).
@_silgen_name("syncfs")
private func linuxSyncfs(_ descriptor: Int32) -> Int32
