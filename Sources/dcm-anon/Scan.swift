import ArgumentParser
import Deidentification
import DicomCore
import Foundation
import DicomToolSupport
import ToolSupport

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find identifying values of original objects anywhere in other files.",
        discussion: """
            Collects the identifying values of the originals (names, IDs, dates, UIDs, institutions, addresses, \
            private text), each decoded by its object's Specific Character Set, and searches each output for them \
            twice: every byte in every character set an object can carry (Deflated outputs inflated first), and \
            the decoded text of every element at every depth, ignoring case and accents. Reports the attribute a \
            leaked value came from, never the value. Exit 1 when any output leaks.
            """)

    @Option(help: ArgumentHelp("Original objects (file or folder; repeatable).", valueName: "path"), completion: .file())
    var originals: [String]

    @Option(help: ArgumentHelp("Specific Character Set of objects that declare none (e.g. 'ISO_IR 100'; default: ASCII only).",
                               valueName: "term"))
    var assumeCharset: String?

    @OptionGroup var inputs: InputOptions
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if originals.isEmpty { throw ValidationError("give the originals with --originals") }
    }

    func run() throws {
        DicomLoggingSetup.bootstrap(common)
        let console = Console(tool: "dcm-anon", options: common)
        let expandedOriginals = InputExpander.expand(paths: originals)
        var scanner = LeakScanner()
        var failures = expandedOriginals.failures.map(\.path)
        for failure in expandedOriginals.failures { console.failure(failure.path, failure.message) }
        for file in expandedOriginals.files {
            do {
                let original = try DicomObject(contentsOf: file.url)
                try original.decodeText(assuming: assumeCharset)
                try scanner.addOriginal(original)
            } catch {
                console.failure(file.displayPath, "\(error)")
                failures.append(file.displayPath)
            }
        }
        let outputs = InputExpander.expand(inputs)
        for failure in outputs.failures { console.failure(failure.path, failure.message) }
        failures += outputs.failures.map(\.path)
        var leaking = 0
        for file in outputs.files {
            guard let data = FileManager.default.contents(atPath: file.url.path) else {
                console.failure(file.displayPath, "cannot read")
                failures.append(file.displayPath)
                continue
            }
            let leaks = IdentityCheck.leaks(inFile: [UInt8](data), scanner: scanner, assumedCharacterSet: assumeCharset)
            if leaks.isEmpty {
                console.event(["path": .string(file.displayPath), "status": "clean"])
                continue
            }
            leaking += 1
            failures.append(file.displayPath)
            console.failure(file.displayPath, LeakScanner.summary(of: leaks))
        }
        console.summary(
            ["outputs": .int(outputs.files.count), "leaking": .int(leaking), "identifying_values": .int(scanner.needles.count),
             "failed": .int(failures.count)],
            human: "\(outputs.files.count) files scanned against \(scanner.needles.count) identifying values: \(leaking) leaking")
        if !failures.isEmpty { throw ExitStatus.someFailed }
    }
}
