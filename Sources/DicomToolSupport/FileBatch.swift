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
        run(inputs: inputs, destination: .folder(output.output), synchronize: !output.noSync, printPaths: output.printPaths,
            console: console, jobs: jobs) { object, file in
            let (result, fields) = try transform(object, file)
            return BatchOutput(object: result, fields: fields)
        }
    }

    /// `synchronize`: flush the file system once at the end, so that "done" means on disk. `printPaths`:
    /// each output is synced (file and folder) and its path printed on stdout at once, for the next tool.
    /// `namedByTransform`: the transform names every output (`BatchOutput.relativeName`), so inputs with the
    /// same name in different folders do not collide. Inputs stream (`InputFeed`): work starts with the
    /// first path, while the list is still being read.
    public static func run(
        inputs: InputOptions, destination: Destination, synchronize: Bool, printPaths: Bool = false, namedByTransform: Bool = false,
        console: Console, jobs: Int, transform: @escaping DetailedTransform
    ) -> ExitCode {
        let start = Date()
        var outputFolder: String?
        if case .folder(let folder) = destination { outputFolder = folder }
        if inputs.paths == ["-"] && inputs.filesFrom == nil {
            if case .inPlace = destination {
                console.error("--in-place needs files, not stdin")
                return ExitStatus.usage
            }
            if printPaths {
                console.error("--print-paths needs files and an output folder, not stdin")
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
        if printPaths && (console.json || destination.isDryRun) {
            console.error(console.json ? "--print-paths and --json both write stdout: choose one" : "--print-paths has no outputs to print in a dry run")
            return ExitStatus.usage
        }
        let batch = StreamingBatch(destination: destination, printPaths: printPaths, namedByTransform: namedByTransform,
                                   console: console, transform: transform)
        let outcome = batch.run(feed: InputFeed(inputs), workers: max(1, jobs))
        if outcome.seen == 0 {
            if !outcome.failures.isEmpty { return ExitStatus.someFailed }
            if inputs.filesFrom != nil && inputs.paths.isEmpty {
                console.info("nothing to do: the list of files is empty")
                return ExitStatus.success
            }
            console.error("no input files")
            return ExitStatus.usage
        }
        var failedPaths = outcome.failures
        // Outputs were written without a flush each: one flush of the file system makes them all durable
        // before the tool says they are done.
        let written: URL? = switch destination {
        case .folder(let folder): folder.map { URL(fileURLWithPath: $0) }
        case .inPlace: outcome.firstInput?.deletingLastPathComponent()
        case .dryRun: nil
        }
        if synchronize, !printPaths, outcome.succeeded > 0, let written {
            do { try AtomicFile.synchronize(folder: written) } catch {
                console.error("\(error)")
                failedPaths.append(written.path)
            }
        }
        if let stopped = outcome.stoppedBecause { console.error(stopped) }
        let seconds = Date().timeIntervalSince(start)
        console.summary(
            [
                "files": .int(outcome.seen), "done": .int(outcome.succeeded), "failed": .int(failedPaths.count),
                "failures": .array(failedPaths.map { .string($0) }), "bytes_in": .int(outcome.bytesIn),
                "bytes_out": .int(outcome.bytesOut), "seconds": .double(seconds),
            ],
            human: "\(outcome.succeeded) of \(outcome.seen) done, \(failedPaths.count) failed"
                + String(format: ", %.1f MB in, %.1f MB out, %.1f s", Double(outcome.bytesIn) / 1e6,
                         Double(outcome.bytesOut) / 1e6, seconds))
        return failedPaths.isEmpty && outcome.stoppedBecause == nil ? ExitStatus.success : ExitStatus.someFailed
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
