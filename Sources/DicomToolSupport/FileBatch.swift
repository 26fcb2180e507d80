import ArgumentParser
import AtomicOutput
import DicomCore
import Foundation
import Locking
import ToolSupport

/// Runs a per-object transformation over a tool's inputs with the shared conventions: `-` reads standard
/// input and writes standard output; otherwise each output lands atomically at the input's relative path
/// under the output folder; each failure is one line naming the file, the other files are still
/// processed, and the exit code says whether everything was done.
public enum FileBatch {
    /// What a transformation returns: the object to write and fields for the file's JSON event.
    public typealias Transform = @Sendable (DicomObject, InputFile) throws -> (DicomObject, [String: JSONValue])
    /// The same, with the output's name, a check of its bytes and a step after it is written.
    public typealias DetailedTransform = @Sendable (DicomObject, InputFile) throws -> BatchOutput

    /// Where outputs go: under a folder, over the inputs themselves (atomically), or nowhere (a dry run).
    public enum Destination: Sendable {
        case folder(String?)
        case inPlace
        case dryRun
    }

    public static func run(
        inputs: InputOptions, output: OutputFolderOptions, console: Console, jobs: Int, transform: @escaping Transform
    ) -> ExitCode {
        run(inputs: inputs, destination: .folder(output.output), synchronize: !output.noSync, console: console, jobs: jobs) {
            object, file in
            let (result, fields) = try transform(object, file)
            return BatchOutput(object: result, fields: fields)
        }
    }

    /// `synchronize`: flush the file system once at the end, so that "done" means on disk.
    public static func run(
        inputs: InputOptions, destination: Destination, synchronize: Bool, console: Console, jobs: Int,
        transform: @escaping DetailedTransform
    ) -> ExitCode {
        let start = Date()
        var outputFolder: String?
        if case .folder(let folder) = destination { outputFolder = folder }
        if inputs.paths == ["-"] && inputs.filesFrom == nil {
            if case .inPlace = destination {
                console.error("--in-place needs files, not stdin")
                return ExitStatus.usage
            }
            return runStandardStreams(outputFolder: outputFolder, console: console, transform: transform)
        }
        if case .folder(let folder) = destination, folder == nil || folder == "-" {
            console.error("give an output folder with -o (use '-' as the only input to write to stdout)")
            return ExitStatus.usage
        }
        if inputs.paths.contains("-") {
            console.error("'-' (stdin) must be the only input")
            return ExitStatus.usage
        }
        let expanded = InputExpander.expand(inputs)
        for failure in expanded.failures { console.failure(failure.path, failure.message) }
        if let status = expanded.statusWhenEmpty(inputs, console: console) { return status }
        // Two inputs that would land on the same output: the later ones fail rather than overwrite.
        var claimed: [String: String] = [:]
        var unique: [InputFile] = []
        var collisions: [(path: String, message: String)] = []
        for file in expanded.files {
            if let first = claimed[file.relativePath] {
                collisions.append((file.displayPath, "output \(file.relativePath) is already written for \(first)"))
            } else {
                claimed[file.relativePath] = file.displayPath
                unique.append(file)
            }
        }
        for collision in collisions { console.failure(collision.path, collision.message) }
        let files = unique
        let tally = Tally()
        let names = ClaimedNames(claimed)
        let workers = max(1, min(jobs, files.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: files.count, by: workers) {
                let file = files[index]
                let started = Date()
                var elapsed: JSONValue { .double((Date().timeIntervalSince(started) * 1000).rounded()) }
                do {
                    let inputSize = (try? FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? Int) ?? 0
                    let object = try DicomObject(contentsOf: file.url)
                    let output = try transform(object, file)
                    let bytes = try output.object.encoded()
                    try output.check?(bytes)
                    var event = output.fields
                    switch destination {
                    case .dryRun:
                        break
                    case .inPlace:
                        try AtomicFile.write(bytes, to: file.url, durability: .deferred)
                        event["output"] = .string(file.displayPath)
                    case .folder(let folder):
                        let target = try OutputNaming.destination(for: file, outputFolder: folder!, name: output.relativeName)
                        if let name = output.relativeName { try names.claim(name, for: file.displayPath) }
                        try AtomicFile.write(bytes, to: target, durability: .deferred)
                        event["output"] = .string(target.path)
                    }
                    try output.committed?()
                    event["path"] = .string(file.displayPath)
                    event["status"] = destination.isDryRun ? "checked" : "done"
                    event["bytes_in"] = .int(inputSize)
                    event["bytes_out"] = .int(bytes.count)
                    event["milliseconds"] = elapsed
                    console.event(event)
                    console.progress(done: tally.done(bytesIn: inputSize, bytesOut: bytes.count), total: files.count)
                } catch {
                    console.failure(file.displayPath, "\(error)", fields: ["milliseconds": elapsed])
                    console.progress(done: tally.failed(file.displayPath), total: files.count)
                }
            }
        }
        let counts = tally.current
        var failedPaths = expanded.failures.map(\.path) + collisions.map(\.path) + counts.failures
        // Outputs were written without a flush each: one flush of the file system makes them all durable
        // before the tool says they are done.
        let written: URL? = switch destination {
        case .folder(let folder): folder.map { URL(fileURLWithPath: $0) }
        case .inPlace: files.first?.url.deletingLastPathComponent()
        case .dryRun: nil
        }
        if synchronize, counts.succeeded > 0, let written {
            do { try AtomicFile.synchronize(folder: written) } catch {
                console.error("\(error)")
                failedPaths.append(written.path)
            }
        }
        let seconds = Date().timeIntervalSince(start)
        console.summary(
            [
                "files": .int(files.count + collisions.count), "done": .int(counts.succeeded), "failed": .int(failedPaths.count),
                "failures": .array(failedPaths.map { .string($0) }), "bytes_in": .int(counts.bytesIn),
                "bytes_out": .int(counts.bytesOut), "seconds": .double(seconds),
            ],
            human: "\(counts.succeeded) of \(files.count + collisions.count + expanded.failures.count) done, \(failedPaths.count) failed"
                + String(format: ", %.1f MB in, %.1f MB out, %.1f s", Double(counts.bytesIn) / 1e6,
                         Double(counts.bytesOut) / 1e6, seconds))
        return failedPaths.isEmpty ? ExitStatus.success : ExitStatus.someFailed
    }

    /// One object from stdin to stdout; nothing is written to stdout unless the whole object is ready.
    static func runStandardStreams(outputFolder: String?, console: Console, transform: DetailedTransform) -> ExitCode {
        guard outputFolder == nil || outputFolder == "-" else {
            console.error("reading stdin writes stdout: use '-o -' or no -o")
            return ExitStatus.usage
        }
        console.reserveStdoutForData()
        do {
            let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            let object = try DicomObject(bytes: input)
            let output = try transform(object, InputFile(url: URL(fileURLWithPath: "/dev/stdin"), relativePath: "-", displayPath: "-"))
            let bytes = try output.object.encoded()
            try output.check?(bytes)
            try AtomicFile.writeAll(bytes, to: STDOUT_FILENO)
            try output.committed?()
            return ExitStatus.success
        } catch {
            console.failure("-", "\(error)")
            return ExitStatus.someFailed
        }
    }
}

/// What the workers have done so far.
private final class Tally: Sendable {
    struct Counts {
        var succeeded = 0
        var failures: [String] = []
        var bytesIn = 0
        var bytesOut = 0
    }

    private let counts = Locked(Counts())

    var current: Counts { counts.withLock { $0 } }

    /// Files finished, either way.
    func done(bytesIn: Int, bytesOut: Int) -> Int {
        counts.withLock {
            $0.succeeded += 1
            $0.bytesIn += bytesIn
            $0.bytesOut += bytesOut
            return $0.succeeded + $0.failures.count
        }
    }

    func failed(_ path: String) -> Int {
        counts.withLock {
            $0.failures.append(path)
            return $0.succeeded + $0.failures.count
        }
    }
}

/// What a detailed transformation returns.
public struct BatchOutput {
    public var object: DicomObject
    /// Fields added to the file's JSON event.
    public var fields: [String: JSONValue]
    /// The output's path under the output folder, instead of the input's relative path.
    public var relativeName: String?
    /// Runs on the encoded bytes before anything is written: a throw fails the file, nothing is written.
    public var check: (@Sendable ([UInt8]) throws -> Void)?
    /// Runs once the output is written.
    public var committed: (@Sendable () throws -> Void)?

    public init(
        object: DicomObject, fields: [String: JSONValue] = [:], relativeName: String? = nil,
        check: (@Sendable ([UInt8]) throws -> Void)? = nil, committed: (@Sendable () throws -> Void)? = nil
    ) {
        (self.object, self.fields, self.relativeName, self.check, self.committed) = (object, fields, relativeName, check, committed)
    }
}

extension FileBatch.Destination {
    var isDryRun: Bool {
        if case .dryRun = self { return true }
        return false
    }
}

/// Output names chosen while the batch runs (by UID): the second input claiming a name fails.
private final class ClaimedNames: Sendable {
    private let names: Locked<[String: String]>

    init(_ names: [String: String]) { self.names = Locked(names) }

    func claim(_ name: String, for input: String) throws(OutputError) {
        try names.withLock { (names) throws(OutputError) in
            if let first = names[name] { throw OutputError("output \(name) is already written for \(first)") }
            names[name] = input
        }
    }
}
