import DicomCore
import DicomNetwork
import Foundation
import LinkEmulation
import ToolSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Sends a study through each strategy, over the emulated link to the embedded receiver, or to a real peer,
/// and measures every run. The senders are the toolkit's own executables (dcm-send, dcm-compress), run as
/// child processes so that their CPU time is theirs; they report through the declared event schema
/// (`ToolEvent`), never through words on their output.
public final class TransferBenchmark {
    public struct Settings: Sendable {
        public var study: URL
        /// The link to emulate; nil with a peer means the real link as it is.
        public var link: LinkProfile?
        /// A real peer; nil for the embedded receiver on loopback.
        public var peer: PeerAddress?
        public var strategies: [Strategy]
        public var runs = 1
        /// Where dcm-send and dcm-compress are (next to transfer-bench).
        public var tools: URL
        public var work: URL
        public var seed: UInt64 = 1
        public var callingAETitle = "BENCH"
        /// Streaming strategies: images released at this rate (a scanner); nil: all at once.
        public var imagesPerSecond: Double?
        /// Strategies with `.kernel` shaping run over this (`KernelLink`), set up by the caller.
        public var kernelLink: KernelLink?

        public init(study: URL, link: LinkProfile?, peer: PeerAddress?, strategies: [Strategy], tools: URL, work: URL) {
            (self.study, self.link, self.peer, self.strategies, self.tools, self.work) = (study, link, peer, strategies, tools, work)
        }
    }

    public let settings: Settings
    /// The JPEG-LS copy of the study for the current run: its folder, wall time and CPU time.
    private var compressed: (folder: URL, seconds: Double, cpu: Double)?
    /// The streaming strategies' source, read once.
    var source: ScannerSource?
    let arrivalTimes = ArrivalTimes()

    public init(settings: Settings) { self.settings = settings }

    /// Every run of every strategy, in order; `progress` hears about each as it ends.
    public func run(progress: (StrategyMeasurement) -> Void) throws(LinkBenchError) -> [StrategyMeasurement] {
        let files = Self.files(in: settings.study)
        guard !files.isEmpty else { throw LinkBenchError("\(settings.study.path): no DICOM files") }
        var receiver: StorageReceiver?
        if settings.peer == nil {
            // As many associations at once as any strategy opens (the default of 8 would queue the rest); each
            // arrival timed for the streaming strategies.
            var options = StorageReceiver.Options(port: try Self.freePort(), outputFolder: nil)
            (options.aeTitle, options.maxAssociations, options.maxPerHost) = ("EXPERT", 64, 64)
            options.events = { [arrivalTimes] event in
                if event.kind == .stored, let object = event.stored { arrivalTimes.arrived(object.sopInstanceUID) }
            }
            do { receiver = try StorageReceiver(options: options) } catch { throw LinkBenchError("embedded receiver: \(error)") }
        }
        defer { receiver?.stop() }
        var results: [StrategyMeasurement] = []
        for run in 0..<settings.runs {
            compressed = nil
            for strategy in settings.strategies {
                let measurement = try measure(strategy, run: run, images: files.count, receiver: receiver)
                results.append(measurement)
                progress(measurement)
            }
        }
        try? FileManager.default.removeItem(at: settings.work.appendingPathComponent("jpeg-ls"))
        return results
    }

    private func measure(_ strategy: Strategy, run: Int, images: Int, receiver: StorageReceiver?) throws(LinkBenchError) -> StrategyMeasurement {
        var folder = settings.study
        var prepare = 0.0, prepareCPU = 0.0
        if strategy.kind == .jpegLS {
            let compressed = try compressedStudy()
            (folder, prepare, prepareCPU) = (compressed.folder, compressed.seconds, compressed.cpu)
        }
        let childrenBefore = Self.cpu(RUSAGE_CHILDREN) - prepareCPU
        if strategy.kind == .bundle { return try measureBundle(strategy, run: run, childrenBefore: childrenBefore) }
        let (shaper, address) = try path(strategy, run: run, receiver: receiver)
        defer { shaper?.stop() }
        if strategy.isStreaming {
            return try measureStreaming(strategy, run: run, address: address, shaper: shaper, receiver: receiver, childrenBefore: childrenBefore)
        }
        let selfBefore = Self.cpu(RUSAGE_SELF), shaperBefore = shaper?.statistics.cpuSeconds ?? 0
        let storedBefore = receiver?.storedCount ?? 0
        let arrivals = ArrivalRecorder()
        let start = Clock.now()
        // With the embedded receiver, arrivals are counted where they land; with a peer, as it confirms them.
        let sampler = receiver.map { receiver in arrivals.sample(every: 0.002, start: start) { receiver.storedCount - storedBefore } }
        let intervals = intervalSampler(strategy, shaper: shaper, start: start)
        let (executable, arguments) = command(
            "dcm-send", ["--json", "-q", "--calling-aet", settings.callingAETitle, "--associations", strategy.associationsArgument, address, folder.path],
            for: strategy)
        let result = try ToolRun.run(
            executable, arguments,
            eachEvent: receiver == nil ? { event in if event.status == .stored { arrivals.add(Clock.now() - start) } } : nil)
        let transfer = Clock.now() - start
        sampler?.stop(final: (receiver?.storedCount ?? 0) - storedBefore)
        let stored = result.summary?.stored ?? arrivals.count
        var failure: String?
        if result.status != 0 { failure = "dcm-send exit \(result.status): " + result.firstError }
        let wire = shaper?.statistics.bytesForward ?? (result.summary?.bytes ?? 0)
        var measurement = StrategyMeasurement(
            strategy: strategy, run: run, totalSeconds: prepare + transfer, prepareSeconds: prepare,
            firstImageSeconds: arrivals.first.map { prepare + $0 }, images: stored, wireBytes: wire,
            senderCPUSeconds: Self.cpu(RUSAGE_CHILDREN) - childrenBefore,
            receiverCPUSeconds: receiver.map { _ in
                Self.cpu(RUSAGE_SELF) - selfBefore - ((shaper?.statistics.cpuSeconds ?? 0) - shaperBefore)
            },
            retries: result.summary?.retries ?? 0, arrivals: arrivals.curve.map { ($0.0 + prepare, $0.1) }, failure: failure)
        measurement.intervalBytes = intervals?.stop() ?? []
        return measurement
    }

    /// The bytes delivered per interval of the run, frames as a link carries them: the shaper's count with
    /// its segments' headers, or the kernel pair's.
    func intervalSampler(_ strategy: Strategy, shaper: LinkShaper?, start: Double) -> IntervalSampler? {
        if strategy.shaping == .kernel, let kernel = settings.kernelLink {
            return IntervalSampler(start: start) { kernel.bytesReceived }
        }
        return shaper.map { shaper in IntervalSampler(start: start) { LinkProfile.framedBytes(shaper.statistics.bytesForward) } }
    }

    /// A tool of the toolkit as the strategy runs it: inside the kernel reference's namespace for `.kernel`.
    func command(_ tool: String, _ arguments: [String], for strategy: Strategy) -> (URL, [String]) {
        let executable = settings.tools.appendingPathComponent(tool)
        if strategy.shaping == .kernel, let kernel = settings.kernelLink { return kernel.wrap(executable, arguments) }
        return (executable, arguments)
    }

    /// The path: straight to the peer, or through the shaper to the peer or to the embedded receiver, or
    /// across the kernel reference's pair to the embedded receiver; the address dcm-send calls.
    func path(_ strategy: Strategy, run: Int, receiver: StorageReceiver?) throws(LinkBenchError) -> (LinkShaper?, String) {
        if strategy.shaping == .kernel, let kernel = settings.kernelLink, let receiver {
            return (nil, "\(receiver.aeTitle)@\(kernel.hostAddress):\(receiver.port)")
        }
        let target = settings.peer ?? PeerAddress("\(receiver!.aeTitle)@127.0.0.1:\(receiver!.port)")!
        let link = settings.peer == nil ? emulatedLink : settings.link
        var shaper: LinkShaper?
        if let link {
            do { shaper = try LinkShaper(link: link, upstreamHost: target.host, upstreamPort: target.port, seed: settings.seed &+ UInt64(run)) }
            catch { throw LinkBenchError(error) }
        }
        return (shaper, shaper.map { "\(target.aeTitle)@127.0.0.1:\($0.port)" } ?? target.description)
    }

    /// The bundle: dcm-compress pack into one TCP stream, through the link, unpacked as it arrives.
    private func measureBundle(_ strategy: Strategy, run: Int, childrenBefore: Double) throws(LinkBenchError) -> StrategyMeasurement {
        let sink = try BundleSink()
        let shaper: LinkShaper
        do { shaper = try LinkShaper(link: emulatedLink, upstreamPort: sink.port, seed: settings.seed &+ UInt64(run)) } catch {
            throw LinkBenchError(error)
        }
        defer { shaper.stop() }
        let selfBefore = Self.cpu(RUSAGE_SELF), shaperBefore = shaper.statistics.cpuSeconds
        let start = Clock.now()
        sink.start(at: start)
        let intervals = intervalSampler(strategy, shaper: shaper, start: start)
        // dcm-compress writes the bundle to its stdout, which is the connection through the link.
        let connection: Int32
        do { connection = try Sockets.connect(host: "127.0.0.1", port: shaper.port) } catch { throw LinkBenchError(error) }
        let result = try ToolRun.run(
            settings.tools.appendingPathComponent("dcm-compress"), ["pack", "-q", "-o", "-", settings.study.path],
            output: FileHandle(fileDescriptor: connection, closeOnDealloc: false))
        let outcome = sink.wait()
        let restored = outcome.restored
        let total = Clock.now() - start
        var failure = outcome.failure
        if result.status != 0 { failure = "dcm-compress pack exit \(result.status): \(result.firstError)" }
        var measurement = StrategyMeasurement(
            strategy: strategy, run: run, totalSeconds: total, prepareSeconds: 0, firstImageSeconds: sink.arrivals.first,
            images: restored, wireBytes: shaper.statistics.bytesForward,
            senderCPUSeconds: Self.cpu(RUSAGE_CHILDREN) - childrenBefore,
            receiverCPUSeconds: Self.cpu(RUSAGE_SELF) - selfBefore - (shaper.statistics.cpuSeconds - shaperBefore),
            retries: 0, arrivals: sink.arrivals.curve, failure: failure)
        measurement.intervalBytes = intervals?.stop() ?? []
        return measurement
    }

    /// On loopback without a link, a shaper that only counts bytes: every strategy is measured the same way.
    private var emulatedLink: LinkProfile {
        settings.link ?? LinkProfile(name: "loopback", rateBitsPerSecond: nil, roundTripSeconds: 0)
    }

    /// The study compressed to JPEG-LS once per run; its time and CPU count in each JPEG-LS strategy.
    private func compressedStudy() throws(LinkBenchError) -> (folder: URL, seconds: Double, cpu: Double) {
        if let compressed { return compressed }
        let folder = settings.work.appendingPathComponent("jpeg-ls")
        try? FileManager.default.removeItem(at: folder)
        let start = Clock.now(), cpuBefore = Self.cpu(RUSAGE_CHILDREN)
        let result = try ToolRun.run(settings.tools.appendingPathComponent("dcm-compress"),
                                     ["--codec", "jpeg-ls", "--no-verify", "-q", "--no-sync", "-o", folder.path, settings.study.path])
        guard result.status == 0 else { throw LinkBenchError("dcm-compress --codec jpeg-ls failed: \(result.firstError)") }
        let made = (folder: folder, seconds: Clock.now() - start, cpu: Self.cpu(RUSAGE_CHILDREN) - cpuBefore)
        // A peer that keeps what it receives holds the raw study already: under the same UIDs, other content
        // is refused (or silently deduplicated by some PACS). The compressed copies are instances of their own.
        if settings.peer != nil { try Self.giveOwnInstanceUIDs(Self.files(in: folder)) }
        compressed = made
        return made
    }

    static func giveOwnInstanceUIDs(_ files: [URL]) throws(LinkBenchError) {
        for file in files {
            do {
                let object = try DicomObject(contentsOf: file)
                try object.set(.sopInstanceUID, "2.25.\(UInt128.random(in: 0...UInt128.max))")
                try object.write(to: file)
            } catch { throw LinkBenchError("\(file.path): \(error)") }
        }
    }

    static func files(in folder: URL) -> [URL] {
        (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { !$0.hasDirectoryPath && !$0.lastPathComponent.hasPrefix(".") }
    }

    static func cpu(_ who: __rusage_who) -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(who.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func freePort() throws(LinkBenchError) -> UInt16 {
        let descriptor: Int32, port: UInt16
        do { (descriptor, port) = try Sockets.listen() } catch { throw LinkBenchError(error) }
        close(descriptor)
        return port
    }
}
