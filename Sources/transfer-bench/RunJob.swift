import AtomicOutput
import ArgumentParser
import DicomCore
import DicomNetwork
import Foundation
import BenchReports
import LinkBench
import LinkEmulation
import SyntheticStudy
import ToolSupport

/// transfer-bench run: prepares the study and the link, runs the benchmark, writes the report.
struct RunJob {
    let command: Run
    let console: Console

    func run() -> ExitCode {
        let (link, peer) = (command.link, command.peer)
        if let peer {
            do { _ = try Verification.echo(peer, callingAETitle: command.callingAet) } catch {
                console.failure(peer.description, "\(error)")
                return ExitStatus.connection
            }
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("transfer-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: work) }
        let study: URL
        if let folder = command.study {
            study = URL(fileURLWithPath: folder)
        } else {
            study = work.appendingPathComponent("study")
            do {
                let generated = StrokeStudy(scale: command.scale, seed: command.seed)
                try generated.write(to: study)
                console.info("generated stroke study: \(generated.imageCount) images")
            } catch {
                console.error("cannot generate the study: \(error)")
                return ExitStatus.someFailed
            }
        }
        let files = (FileManager.default.enumerator(at: study, includingPropertiesForKeys: [.fileSizeKey])?.allObjects as? [URL] ?? [])
            .filter { !$0.hasDirectoryPath }
        let studyBytes = files.reduce(0) { $0 + ((try? $1.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0) }
        let associations: Int
        switch command.associations {
        case .fixed(let count): associations = count
        case .automatic: associations = 0
        }
        let kinds: [Strategy.Kind] = !command.strategy.isEmpty ? command.strategy : command.pace == nil ? [.raw, .jpegLS, .bundle] : [.stream, .pipeline]
        var settings = TransferBenchmark.Settings(
            study: study, link: link, peer: peer, strategies: Strategy.all(associations: associations, bundle: peer == nil, kinds: kinds),
            tools: Self.toolFolder, work: work)
        (settings.runs, settings.seed, settings.callingAETitle) = (command.runs, command.seed, command.callingAet)
        settings.imagesPerSecond = command.pace
        let measurements: [StrategyMeasurement]
        do {
            measurements = try TransferBenchmark(settings: settings).run { measurement in
                console.info(String(format: "%@ run %d: %.2f s, %d images", measurement.strategy.name, measurement.run + 1,
                                    measurement.totalSeconds, measurement.images) + (measurement.failure.map { " (\($0))" } ?? ""))
                console.event("measurement", encoding: MeasurementEvent(measurement))
            }
        } catch {
            console.error("\(error)")
            return ExitStatus.someFailed
        }
        let report = BenchReport(
            link: link, peer: peer?.description, images: files.count, studyBytes: studyBytes, measurements: measurements,
            environment: NetworkEnvironment.describe(associations: max(associations, 1)))
        var status = report.rows.allSatisfy { $0.failures.isEmpty } ? ExitStatus.success : ExitStatus.someFailed
        for (path, text) in [(command.csv, report.csv), (command.chart, report.svg)] {
            guard let path else { continue }
            do { try AtomicFile.write(Array(text.utf8), to: URL(fileURLWithPath: path)) } catch {
                console.failure(path, "\(error)")
                status = ExitStatus.someFailed
            }
        }
        console.result(report.table)
        console.event("report", encoding: report, summary: true)
        return status
    }

    /// dcm-send and dcm-compress live next to transfer-bench.
    static var toolFolder: URL {
        (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
            .deletingLastPathComponent()
    }
}

/// One measurement as a JSON event (without its arrival curve, which the report carries).
struct MeasurementEvent: Encodable {
    let strategy: String
    let run: Int
    let totalSeconds: Double
    let prepareSeconds: Double
    let firstImageSeconds: Double?
    let images: Int
    let wireBytes: Int
    let senderCpuSeconds: Double
    let receiverCpuSeconds: Double?
    let retries: Int
    let failure: String?
    let latencyP50Seconds: Double?
    let latencyP95Seconds: Double?
    let latencyMaxSeconds: Double?

    init(_ measurement: StrategyMeasurement) {
        (strategy, run, totalSeconds) = (measurement.strategy.name, measurement.run + 1, measurement.totalSeconds)
        (prepareSeconds, firstImageSeconds, images) = (measurement.prepareSeconds, measurement.firstImageSeconds, measurement.images)
        (wireBytes, senderCpuSeconds, receiverCpuSeconds) = (measurement.wireBytes, measurement.senderCPUSeconds, measurement.receiverCPUSeconds)
        (retries, failure) = (measurement.retries, measurement.failure)
        (latencyP50Seconds, latencyP95Seconds, latencyMaxSeconds) = (measurement.latency(0.5), measurement.latency(0.95), measurement.latency(1))
    }
}
