import DicomCodecs
import DicomNetwork
import Foundation

/// Measures a real DICOM peer: C-ECHO round trips, then a bulk send of generated images with one and with
/// several associations, and recommends the number of associations and the codec for that link.
public struct LinkProbe {
    public struct Result: Encodable, Sendable {
        public let peer: String
        public let echoes: Int
        public let roundTripMinMilliseconds: Double
        public let roundTripMedianMilliseconds: Double
        public let roundTripP99Milliseconds: Double
        /// Bulk throughput (megabits per second) with 1 and with N associations; nil when not measured.
        public let bulkImages: Int
        public let bulkOneAssociationMbitPerSecond: Double?
        public let bulkParallelMbitPerSecond: Double?
        public let parallelAssociations: Int
        public let recommendedAssociations: Int
        public let recommendedCodec: String
        public let recommendation: String
    }

    public let peer: PeerAddress
    public let callingAETitle: String
    public var echoes = 20
    public var associations = 4
    public var timeoutSeconds = 10

    public init(peer: PeerAddress, callingAETitle: String) { (self.peer, self.callingAETitle) = (peer, callingAETitle) }

    /// `bulk`: the images to send (nil: echo only). `progress` hears one line per step.
    public func run(bulk: [URL]?, progress: (String) -> Void) throws(LinkBenchError) -> Result {
        var roundTrips: [Double] = []
        for _ in 0..<echoes {
            do { roundTrips.append(try Verification.echo(peer, callingAETitle: callingAETitle, timeoutSeconds: timeoutSeconds)) } catch {
                throw LinkBenchError("\(error)")
            }
        }
        roundTrips.sort()
        let median = roundTrips[roundTrips.count / 2]
        let p99 = roundTrips[min(roundTrips.count - 1, Int(Double(roundTrips.count) * 0.99))]
        progress(String(format: "C-ECHO x%d: min %.2f ms, median %.2f ms, p99 %.2f ms", echoes, roundTrips[0], median, p99))
        var one: Double?, parallel: Double?
        if let bulk, !bulk.isEmpty {
            one = try throughput(bulk, associations: 1)
            progress(String(format: "bulk, 1 association: %.1f Mbit/s", one! / 1e6))
            parallel = try throughput(bulk, associations: associations)
            progress(String(format: "bulk, %d associations: %.1f Mbit/s", associations, parallel! / 1e6))
        }
        // Parallel associations when they bring at least 10% more; the codec for the measured rate.
        let useParallel = (parallel ?? 0) > (one ?? 0) * 1.1
        let rate = max(one ?? 0, parallel ?? 0)
        var codec = "jpeg-ls"
        var why = "no bulk measurement: JPEG-LS is the safe choice for a remote link"
        if rate > 0, let bulk {
            let choice = CodecChooser.choose(samples: Array(bulk.prefix(CodecChooser.sampleSize)), linkBitsPerSecond: rate,
                                             cores: ProcessInfo.processInfo.activeProcessorCount)
            codec = choice.codec.rawValue
            why = choice.explanation
        }
        let recommendation = String(
            format: "%d association%@ (%@), codec %@: %@", useParallel ? associations : 1, useParallel ? "s" : "",
            useParallel ? "they fill the link better than one lockstep association" : "more do not help on this path",
            codec, why)
        return Result(
            peer: peer.description, echoes: echoes, roundTripMinMilliseconds: roundTrips[0],
            roundTripMedianMilliseconds: median,
            roundTripP99Milliseconds: p99,
            bulkImages: bulk?.count ?? 0, bulkOneAssociationMbitPerSecond: one.map { $0 / 1e6 },
            bulkParallelMbitPerSecond: parallel.map { $0 / 1e6 }, parallelAssociations: associations,
            recommendedAssociations: useParallel ? associations : 1, recommendedCodec: codec, recommendation: recommendation)
    }

    /// Bits per second of a C-STORE of `files` over `associations` (the peer's confirmations included).
    private func throughput(_ files: [URL], associations: Int) throws(LinkBenchError) -> Double {
        var options = StoreSender.Options(peer: peer)
        options.callingAETitle = callingAETitle
        options.associations = associations
        options.timeoutSeconds = timeoutSeconds * 3
        let sender = StoreSender(options: options)
        let summary: StoreSender.Summary
        do {
            summary = try sender.send(files.map { StoreSender.Item(url: $0, displayPath: $0.lastPathComponent) }) { _, _ in }
        } catch { throw LinkBenchError("bulk send: \(error)") }
        guard summary.failed == 0, summary.stored > 0 else {
            throw LinkBenchError("bulk send: \(summary.failed) of \(files.count) images not stored")
        }
        return Double(summary.bytes) * 8 / max(summary.seconds, 1e-9)
    }
}
