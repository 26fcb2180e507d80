import ArgumentParser
import AtomicOutput
import BenchReports
import Foundation
import ToolSupport

/// transfer-bench plot: records of runs (--record) drawn as one SVG, several runs side by side.
struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw recorded runs as SVG: throughput over time, images arrived, per-image latency (CDF).",
        discussion: """
            Reads the gzipped JSON records that transfer-bench run --record writes, and draws every run of \
            every file on the same three charts, so that settings can be compared: the link's throughput \
            towards the receiver per 100 ms, the images arrived over time, and the cumulative distribution of \
            each image's latency. A file that cannot be read is named with the cause; the others are drawn.
            """)

    @Argument(help: ArgumentHelp("Record files (transfer-bench run --record).", valueName: "file.json.gz"), completion: .file())
    var records: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("The SVG file to write (default: standard output).", valueName: "file.svg"), completion: .file())
    var output: String?

    @Option(help: ArgumentHelp("Only these strategies, as the report names them (repeatable), e.g. 'raw x4'.", valueName: "name"))
    var strategy: [String] = []

    @OptionGroup var common: CommonOptions

    func run() throws {
        LoggingSetup.bootstrap(common)
        let console = Console(tool: "transfer-bench", options: common)
        var read: [RunRecord] = []
        var status = ExitStatus.success
        for path in records {
            do { read.append(try RunRecord(contentsOf: URL(fileURLWithPath: path))) } catch {
                console.failure(path, "\(error)")
                status = ExitStatus.someFailed
            }
        }
        guard !read.isEmpty else { throw ExitStatus.someFailed }
        let chart = RecordChart(records: read, strategies: strategy)
        let svg = chart.svg
        if let output {
            do { try AtomicFile.write(Array(svg.utf8), to: URL(fileURLWithPath: output)) } catch {
                console.failure(output, "\(error)")
                throw ExitStatus.someFailed
            }
            console.info("\(read.count) records, \(chart.lines.count) runs drawn in \(output)")
        } else {
            FileHandle.standardOutput.write(Data(svg.utf8))
        }
        if status != ExitStatus.success { throw status }
    }
}
