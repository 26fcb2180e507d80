import DicomNetwork
import Foundation
import LinkEmulation

#if canImport(Glibc)
    import Glibc
#endif

/// The streaming strategies: a scanner source releases the study's paths into a pipe, to dcm-send alone
/// (`stream`) or to the forwarding node's pipe (`pipeline`: dcm-anon | dcm-compress | dcm-send, each path
/// passed on once its file is on disk), through the link to the expert. Each image is timed from leaving the
/// scanner to arriving at the expert (the embedded receiver's stored event, or the peer's confirmation).
/// dcm-anon keeps the UIDs here (--retain-uids), so that each arrival matches its release.
extension TransferBenchmark {
    func measureStreaming(
        _ strategy: Strategy, run: Int, address: String, shaper: LinkShaper?, receiver: StorageReceiver?, childrenBefore: Double
    ) throws(LinkBenchError) -> StrategyMeasurement {
        let source = try scannerSource()
        let folder = settings.work.appendingPathComponent("pipeline")
        try? FileManager.default.removeItem(at: folder)
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw LinkBenchError("\(folder.path): \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let stages: [(tool: String, arguments: [String])] = strategy.kind == .pipeline ? [
            ("dcm-anon", ["--random-key", "--retain-uids", "--name-by-study", "--files-from", "-", "--print-paths", "-q", "-o", folder.appendingPathComponent("anon").path]),
            ("dcm-compress", ["--codec", "jpeg-ls", "--files-from", "-", "--print-paths", "-q", "-o", folder.appendingPathComponent("jls").path]),
        ] : []
        let first = Pipe()
        var input = first
        var running: [(tool: String, process: Process, errors: URL)] = []
        for stage in stages {
            let process = Process(), output = Pipe()
            process.executableURL = settings.tools.appendingPathComponent(stage.tool)
            process.arguments = stage.arguments
            let errors = folder.appendingPathComponent("\(stage.tool).stderr")
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            (process.standardInput, process.standardOutput) = (input, output)
            process.standardError = FileHandle(forWritingAtPath: errors.path)
            do { try process.run() } catch { throw LinkBenchError("cannot run \(stage.tool): \(error.localizedDescription)") }
            running.append((stage.tool, process, errors))
            input = output
        }
        let storedBefore = receiver?.storedCount ?? 0
        let start = Clock.now()
        arrivalTimes.reset(start: start)
        _ = source.release(into: first, start: start)  // ends by itself: at the last image, or when the pipe breaks
        let intervals = intervalSampler(strategy, shaper: shaper, start: start)
        let (executable, arguments) = command(
            "dcm-send", ["--json", "-q", "--calling-aet", settings.callingAETitle, "--associations", strategy.associationsArgument, "--files-from", "-", address],
            for: strategy)
        let result = try ToolRun.run(
            executable, arguments, input: input,
            eachEvent: receiver == nil ? { [arrivalTimes] event in
                if event.status == .stored, let uid = event.sopInstanceUID { arrivalTimes.arrived(uid) }
            } : nil)
        let transfer = Clock.now() - start
        var failure: String?
        for stage in running {
            stage.process.waitUntilExit()
            if stage.process.terminationStatus != 0 {
                let text = (try? String(contentsOf: stage.errors, encoding: .utf8)) ?? ""
                failure = failure ?? "\(stage.tool) exit \(stage.process.terminationStatus): " + (text.split(separator: "\n").first.map(String.init) ?? "")
            }
        }
        if result.status != 0 { failure = failure ?? "dcm-send exit \(result.status): " + result.firstError }
        let released = source.releaseTimes, arrived = arrivalTimes.times
        let latencies = released.compactMap { uid, left in arrived[uid].map { $0 - left } }.sorted()
        let curve = arrived.values.sorted().enumerated().map { ($0.element, $0.offset + 1) }
        var measurement = StrategyMeasurement(
            strategy: strategy, run: run, totalSeconds: curve.last?.0 ?? transfer, prepareSeconds: 0,
            firstImageSeconds: curve.first?.0, images: receiver.map { $0.storedCount - storedBefore } ?? arrived.count,
            wireBytes: shaper?.statistics.bytesForward ?? (result.summary?.bytes ?? 0),
            senderCPUSeconds: Self.cpu(RUSAGE_CHILDREN) - childrenBefore, receiverCPUSeconds: nil,
            retries: result.summary?.retries ?? 0, arrivals: curve, failure: failure, latencies: latencies)
        measurement.intervalBytes = intervals?.stop() ?? []
        measurement.seriesCompletions = source.seriesCompletions(arrived: arrived)
        return measurement
    }

    /// The study's images in acquisition order with their UIDs, read once.
    private func scannerSource() throws(LinkBenchError) -> ScannerSource {
        if let source { return source }
        let made = try ScannerSource(study: Self.files(in: settings.study), imagesPerSecond: settings.imagesPerSecond)
        source = made
        return made
    }
}
