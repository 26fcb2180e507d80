import ArgumentParser
import Foundation
import SyntheticStudy
import DicomToolSupport
import ToolSupport

@main
struct TransferBench: ParsableCommand {
    static func main() { mainFollowingConventions() }

    static let configuration = CommandConfiguration(
        commandName: "transfer-bench",
        abstract: "How long a study takes to cross a link, and which settings make it fastest.",
        discussion: ExitStatus.helpText,
        version: ToolkitVersion.current,
        subcommands: [MakeStudy.self, Run.self, Probe.self, Shape.self, Presets.self, Plot.self])
}

struct MakeStudy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-study",
        abstract: "Generate a synthetic study with realistic headers and CT-like pixels.",
        discussion: """
            The stroke protocol at scale 1 is a non-contrast head CT (40 slices), a CT angiography (400) and \
            a CT perfusion (1,000 images) of 512x512 signed 16-bit CT, about 750 MB, with invented \
            identifying data at top level, in nested sequences and in a private block. The same seed gives \
            the same study.
            """)

    enum StudyProtocol: String, ExpressibleByArgument, CaseIterable { case stroke }

    @Option(name: .customLong("protocol"), help: "Study protocol: stroke.")
    var studyProtocol: StudyProtocol = .stroke

    @Option(help: "Size relative to the full protocol (0.01 gives 1 + 4 + 10 images).")
    var scale = 1.0

    @Option(help: "Seed: the same seed gives the same study, byte for byte.")
    var seed: UInt64 = 1

    @Option(name: .shortAndLong, help: ArgumentHelp("Output folder.", valueName: "dir"), completion: .directory)
    var output: String

    @Option(name: .short, help: ArgumentHelp("Images generated in parallel (default: the number of cores).", valueName: "n"))
    var jobs: Int = System.coreCount

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard scale > 0, scale <= 10 else { throw ValidationError("--scale must be above 0 and at most 10") }
        guard jobs >= 1 else { throw ValidationError("-j needs at least 1") }
    }

    func run() throws {
        DicomLoggingSetup.bootstrap(common)
        let console = Console(tool: "transfer-bench", options: common)
        let study = StrokeStudy(scale: scale, seed: seed)
        let start = Date()
        do {
            let bytes = try study.write(to: URL(fileURLWithPath: output), jobs: jobs) { done, total in
                console.progress(done: done, total: total)
            }
            let seconds = Date().timeIntervalSince(start)
            console.summary(
                ["files": .int(study.imageCount), "bytes": .int(bytes), "seconds": .double(seconds),
                 "series": .array(study.series.map { .string("\($0.folder): \($0.imageCount)") }),
                 "output": .string(output)],
                human: "\(study.imageCount) images (\(study.series.map { "\($0.folder) \($0.imageCount)" }.joined(separator: ", ")))"
                    + String(format: ", %.1f MB in %@, %.1f s", Double(bytes) / 1e6, output, seconds))
        } catch {
            console.failure(output, "\(error)")
            throw ExitStatus.someFailed
        }
    }
}
