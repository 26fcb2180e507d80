import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension AtomicFile {
    /// Writes `relativePath` (already checked to hold no "..", no absolute start) inside `folder`, atomically
    /// and durably, without ever following a symbolic link below the folder: a link planted among the output
    /// folders, or in place of the file, cannot send the bytes elsewhere. Missing folders are created.
    public static func write(_ bytes: [UInt8], relativePath: String, inside folder: URL, permissions: mode_t = 0o644) throws(AtomicFileError) {
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw AtomicFileError("cannot create folder \(folder.path): \(error.localizedDescription)")
        }
        var directory = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw AtomicFileError("cannot open \(folder.path): \(errnoText())") }
        defer { close(directory) }
        let parts = relativePath.split(separator: "/").map(String.init)
        guard let name = parts.last else { throw AtomicFileError("empty path") }
        for part in parts.dropLast() {
            if mkdirat(directory, part, 0o755) != 0 && errno != EEXIST { throw AtomicFileError("cannot create folder \(part): \(errnoText())") }
            let next = openat(directory, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else {
                throw AtomicFileError(errno == ELOOP || errno == ENOTDIR ? "\(part) is a link or not a folder: it would lead out of \(folder.path)"
                                                                    : "cannot open folder \(part): \(errnoText())")
            }
            close(directory)
            directory = next
        }
        let temporary = ".\(name).\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, permissions & ~processUmask)
        guard descriptor >= 0 else { throw AtomicFileError("cannot create a file for \(relativePath): \(errnoText())") }
        var committed = false
        defer { if !committed { unlinkat(directory, temporary, 0) } }
        do {
            defer { close(descriptor) }
            try writeAll(bytes, to: descriptor)
            guard fsync(descriptor) == 0 else { throw AtomicFileError("cannot write \(relativePath): \(errnoText())") }
        }
        // renameat replaces a link named like the file, never what it points to.
        guard renameat(directory, temporary, directory, name) == 0 else { throw AtomicFileError("cannot write \(relativePath): \(errnoText())") }
        committed = true
        _ = fsync(directory)
    }
}
