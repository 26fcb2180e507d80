import ArgumentParser
import DicomCodecs
import DicomCore
import ToolSupport
import Foundation

/// The pack and unpack jobs of dcm-compress with the toolkit's conventions (stdin/stdout, atomic outputs,
/// one line per failed file, exit codes).
enum BundleJobs {
    static func pack(inputs: InputOptions, output: String, jobs: Int, level: Int32, console: Console) -> ExitCode {
        let start = Date()
        let expanded = InputExpander.expand(inputs)
        for failure in expanded.failures { console.failure(failure.path, failure.message) }
        if let status = expanded.statusWhenEmpty(inputs, console: console) { return status }
        var stream: AtomicFileStream?
        do {
            let sink: ([UInt8]) throws(DicomError) -> Void
            if output == "-" {
                console.stdoutIsFree = false
                sink = { bytes throws(DicomError) in try AtomicFile.writeAll(bytes, to: STDOUT_FILENO) }
            } else {
                let file = try AtomicFileStream(url: URL(fileURLWithPath: output))
                stream = file
                sink = { bytes throws(DicomError) in try file.write(bytes) }
            }
            let packer = try BundlePacker(jobs: jobs, level: level, sink: sink)
            let failures = try packer.add(expanded.files.map { ($0.relativePath, $0.url) })
            for failure in failures {
                let display = expanded.files.first { $0.relativePath == failure.path }?.displayPath ?? failure.path
                console.failure(display, failure.error.message)
            }
            try packer.finish()
            try stream?.commit()
            let stats = packer.statistics
            let seconds = Date().timeIntervalSince(start)
            console.summary(
                ["files": .int(stats.files), "failed": .int(failures.count + expanded.failures.count),
                 "bytes_in": .int(stats.bytesIn), "bytes_out": .int(stats.bytesOut),
                 "ratio": .double(Double(stats.bytesIn) / Double(max(1, stats.bytesOut))), "seconds": .double(seconds)],
                human: String(format: "packed %d files (%d with filtered pixels), %.1f MB -> %.1f MB (%.2fx) in %.1f s",
                              stats.files, stats.filteredFiles, Double(stats.bytesIn) / 1e6, Double(stats.bytesOut) / 1e6,
                              Double(stats.bytesIn) / Double(max(1, stats.bytesOut)), seconds))
            return failures.isEmpty && expanded.failures.isEmpty ? ExitStatus.success : ExitStatus.someFailed
        } catch {
            stream?.abort()
            console.failure(output, error.message)
            return ExitStatus.someFailed
        }
    }

    static func unpack(input: String, outputFolder: String, jobs: Int, console: Console) -> ExitCode {
        let start = Date()
        let handle: FileHandle
        if input == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let file = FileHandle(forReadingAtPath: input) else {
                console.failure(input, "cannot open the bundle")
                return ExitStatus.someFailed
            }
            handle = file
        }
        var restored = 0, failed = 0, bytes = 0
        do {
            try BundleUnpacker.unpack(from: handle, jobs: jobs) { item in
                do {
                    guard let relative = safeRelativePath(item.path) else { throw DicomError("unsafe path in bundle") }
                    let data = try item.result.get()
                    let url = URL(fileURLWithPath: outputFolder).appendingPathComponent(relative)
                    try AtomicFile.write(data, to: url)
                    restored += 1
                    bytes += data.count
                    console.event(["path": .string(item.path), "status": "done", "output": .string(url.path), "bytes": .int(data.count)])
                } catch {
                    failed += 1
                    console.failure("\(input): \(item.path)", "\(error)")
                }
            }
        } catch {
            failed += 1
            console.failure(input, error.message)
        }
        let seconds = Date().timeIntervalSince(start)
        console.summary(
            ["files": .int(restored), "failed": .int(failed), "bytes": .int(bytes), "seconds": .double(seconds)],
            human: String(format: "restored %d files (%.1f MB) in %.1f s, %d failed", restored, Double(bytes) / 1e6, seconds, failed))
        return failed == 0 ? ExitStatus.success : ExitStatus.someFailed
    }

    /// A bundle's paths are relative and stay inside the output folder.
    static func safeRelativePath(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.hasPrefix("/"), !parts.isEmpty,
            parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasPrefix(".") && !$0.contains("\0") })
        else { return nil }
        return path
    }
}
