import AtomicOutput
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
                console.reserveStdoutForData()
                sink = { bytes throws(DicomError) in
                    do { try AtomicFile.writeAll(bytes, to: STDOUT_FILENO) } catch { throw DicomError("stdout: \(error)") }
                }
            } else {
                let file = try AtomicFileStream(url: URL(fileURLWithPath: output))
                stream = file
                sink = { bytes throws(DicomError) in
                    do { try file.write(bytes) } catch { throw DicomError("\(error)") }
                }
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
            console.failure(output, "\(error)")
            return ExitStatus.someFailed
        }
    }

    static func unpack(input: String, outputFolder: String, jobs: Int, limits: BundleUnpacker.Limits, console: Console) -> ExitCode {
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
        let folder = URL(fileURLWithPath: outputFolder)
        var restored = 0, failed = 0, bytes = 0
        var seen: Set<String> = []
        do {
            try BundleUnpacker.unpack(from: handle, jobs: jobs, limits: limits) { item in
                // The name as the refusal line shows it: control characters escaped, never printed raw.
                let shown = item.path.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined()
                do {
                    guard let relative = safeRelativePath(item.path) else {
                        throw DicomError("unsafe name in the bundle (absolute, '..', hidden or control characters): refused")
                    }
                    guard seen.insert(relative).inserted else { throw DicomError("appears twice in the bundle: the first copy is kept") }
                    let data = try item.result.get()
                    try AtomicFile.write(data, relativePath: relative, inside: folder)
                    restored += 1
                    bytes += data.count
                    console.event(["path": .string(item.path), "status": "done", "output": .string(folder.appendingPathComponent(relative).path),
                                   "bytes": .int(data.count)])
                } catch {
                    failed += 1
                    console.failure("\(input): \(shown)", "\(error)")
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

    /// A bundle's paths are relative, stay inside the output folder and hold no control characters.
    static func safeRelativePath(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.hasPrefix("/"), !parts.isEmpty,
            !path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
            parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasPrefix(".") })
        else { return nil }
        return path
    }
}
