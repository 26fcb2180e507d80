import AtomicOutput
import ArgumentParser
import Deidentification
import DicomCore
import Foundation
import Locking
import TextRecognition
import DicomToolSupport
import ToolSupport

/// Runs a de-identification: settings from the flags and the profile file, the key, the map and the report,
/// then the shared batch over the inputs.
struct DeidentifyJob {
    let command: Deidentify
    let console: Console

    func run() -> ExitCode {
        let deidentifier: Deidentifier
        let map: PseudonymMap?
        do {
            deidentifier = Deidentifier(settings: try settings(), pseudonymizer: try pseudonymizer())
            map = command.dryRun ? nil : try command.map.map { path throws(DeidentificationError) in try PseudonymMap(path: path) }
        } catch {
            console.error("\(error)")
            return ExitStatus.usage
        }
        let report = command.report.map { _ in ReportLines() }
        let verify = !command.noVerify
        let layout = command.outputLayout
        let destination: FileBatch.Destination = command.dryRun ? .dryRun : command.inPlace ? .inPlace : .folder(command.output.output)
        let transform: FileBatch.DetailedTransform = { object, file in
            let outcome = try deidentifier.deidentify(object)
            // The report names outputs as they are written, never by the input's path (folders named after patients).
            report?.add(outcome.changes, file: try layout.name(of: object) ?? file.relativePath)
            var fields: [String: JSONValue] = ["changed": .int(outcome.changes.count), "character_set": .string(outcome.characterSet)]
            if outcome.pixelsCleaned { fields["pixels_cleaned"] = true }
            if outcome.cleanedOutsideTable { fields["cleaned_outside_table"] = true }
            var output = BatchOutput(object: object, fields: fields)
            output.relativeName = try layout.name(of: object)
            if verify {
                // A Deflated output is searched inflated: its compressed bytes would hide every value.
                let inflated = object.transferSyntax == .deflatedExplicitLittleEndian ? try object.encoded(as: .explicitLittleEndian) : nil
                output.check = Self.verification(outcome, inflated: inflated)
            }
            if let map {
                let records = outcome.records
                output.committed = { try map.add(records) }
            }
            return output
        }
        let status = FileBatch.run(inputs: command.inputs, destination: destination, synchronize: !command.output.noSync,
                                   printPaths: command.output.printPaths, namedByTransform: command.outputLayout != .input,
                                   console: console, jobs: command.parallel.jobs, transform: transform)
        map?.synchronize()
        if let report, let path = command.report {
            do { try AtomicFile.write(report.bytes, to: URL(fileURLWithPath: path), permissions: 0o600) } catch {
                console.error("\(path): cannot write the report: \(error)")
                return status == ExitStatus.success ? ExitStatus.someFailed : status
            }
        }
        return status
    }

    /// Fails an output that still holds an identifying value of its input: in its decoded text, or in its
    /// bytes in any character set.
    static func verification(_ outcome: Deidentifier.Outcome, inflated: [UInt8]?) -> @Sendable ([UInt8]) throws -> Void {
        let (scanner, pixelValueLength, decoded) = (outcome.scanner, outcome.pixelValueLength, outcome.decodedLeaks)
        return { bytes in
            let leaks = decoded + scanner.leaks(in: inflated ?? bytes, pixelValueLength: pixelValueLength)
            if !leaks.isEmpty { throw DeidentificationError("verify: \(LeakScanner.summary(of: leaks)) left; nothing written") }
        }
    }

    func settings() throws(DeidentificationError) -> DeidentificationSettings {
        var settings = DeidentificationSettings()
        if let profile = command.profile {
            guard let data = FileManager.default.contents(atPath: profile) else {
                throw DeidentificationError("\(profile): cannot read the profile")
            }
            try ProfileFile.apply(yaml: String(decoding: data, as: UTF8.self), file: profile, to: &settings)
        }
        settings.options.formUnion(command.chosenOptions)
        if settings.options.isSuperset(of: [.retainLongitudinalFullDates, .retainLongitudinalModifiedDates]) {
            throw DeidentificationError("retain-full-dates and retain-modified-dates exclude each other")
        }
        if let template = command.pseudonymTemplate { settings.pseudonymTemplate = template }
        settings.assumedCharacterSet = command.assumeCharset
        if command.acceptBurnedIn { settings.burnedIn = .accept }
        if command.cleanPixels == "auto" {
            settings.burnedIn = .auto(TextRecognizer())
        } else if let rules = command.cleanPixels {
            guard let data = FileManager.default.contents(atPath: rules) else {
                throw DeidentificationError("\(rules): cannot read the pixel rules")
            }
            settings.burnedIn = .clean(try PixelCleaningRules(yaml: String(decoding: data, as: UTF8.self), file: rules))
        }
        return settings
    }

    func pseudonymizer() throws(DeidentificationError) -> Pseudonymizer {
        if command.randomKey { return Pseudonymizer.randomKey() }
        let console = self.console
        guard let keyed = try KeySource.pseudonymizer(
            keyFile: command.keyFile, environment: ProcessInfo.processInfo.environment, allowReadable: command.allowReadableKey,
            warning: { console.error("warning: \($0)") })
        else {
            throw DeidentificationError(
                "no key: give --key-file FILE or set \(KeySource.environmentVariable) (or --random-key for unlinkable pseudonyms)")
        }
        return keyed
    }
}

/// The report's lines, gathered from the workers and written once at the end.
final class ReportLines: Sendable {
    private let lines = Locked<[String]>([])

    func add(_ changes: [Deidentifier.Change], file: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let new = changes.compactMap { change -> String? in
            let line: [String: String] = ["file": file, "path": change.path, "tag": change.tag.description, "vr": change.vr,
                                          "action": change.action.rawValue]
            return (try? encoder.encode(line)).map { String(decoding: $0, as: UTF8.self) }
        }
        lines.withLock { $0 += new }
    }

    var bytes: [UInt8] { lines.withLock { Array($0.map { $0 + "\n" }.joined().utf8) } }
}
