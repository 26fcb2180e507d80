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

    /// Images per second a CT scanner hands on as it reconstructs (the stroke scenario's pace by default).
    static let strokeScannerPace = 10.0

    func run() -> ExitCode {
        let startedAt = Date()
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
        let pace = command.pace ?? (command.scenario == .stroke ? Self.strokeScannerPace : nil)
        let kinds: [Strategy.Kind] = !command.strategy.isEmpty ? command.strategy : pace == nil ? [.raw, .jpegLS, .bundle] : [.stream, .pipeline]
        var strategies = Strategy.all(associations: associations, bundle: peer == nil, kinds: kinds)
        var kernelLink: KernelLink?
        if command.reference == .kernel, let link {
            do { kernelLink = try KernelLink(link: link) } catch {
                console.error("\(error)")
                return ExitStatus.someFailed
            }
            // Each DICOM strategy twice, side by side: the in-process shaper, then the kernel's.
            strategies = strategies.flatMap { strategy in
                strategy.usesDICOM ? [strategy, Strategy(kind: strategy.kind, associations: strategy.associations, shaping: .kernel)] : [strategy]
            }
        }
        defer { kernelLink?.remove() }
        var settings = TransferBenchmark.Settings(
            study: study, link: link, peer: peer, strategies: strategies, tools: Self.toolFolder, work: work)
        (settings.runs, settings.seed, settings.callingAETitle) = (command.runs, command.seed, command.callingAet)
        (settings.imagesPerSecond, settings.kernelLink) = (pace, kernelLink)
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
        var environment = NetworkEnvironment.describe(associations: max(associations, 1))
        environment["toolkit_version"] = ToolkitVersion.current
        if let kernelLink { environment["kernel_reference_queues"] = kernelLink.queueDescription }
        let report = BenchReport(
            link: link, peer: peer?.description, images: files.count, studyBytes: studyBytes, measurements: measurements,
            environment: environment, imagesPerSecond: pace)
        var status = report.rows.allSatisfy { $0.failures.isEmpty } ? ExitStatus.success : ExitStatus.someFailed
        if let path = command.record {
            let metadata = RunRecord.Metadata(
                label: command.label ?? link?.name ?? "loopback", started: ISO8601DateFormatter().string(from: startedAt),
                link: report.link, rateBitsPerSecond: link?.rateBitsPerSecond, roundTripSeconds: link?.roundTripSeconds,
                jitterSeconds: link?.jitterSeconds, peer: peer?.description, images: files.count, studyBytes: studyBytes,
                imagesPerSecond: pace, scenario: command.scenario?.rawValue, environment: environment)
            do {
                try AtomicFile.write(Array(try RunRecord(metadata: metadata, measurements: measurements).gzipped()), to: URL(fileURLWithPath: path))
            } catch {
                console.failure(path, "\(error)")
                status = ExitStatus.someFailed
            }
        }
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
