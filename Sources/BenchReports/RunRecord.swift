import Foundation
import LinkBench
import LinkEmulation

/// Everything a benchmark run measured over time, kept like flent keeps its tests: the run's metadata
/// (link, how it was shaped, kernel, congestion control, socket options, versions) and, for each run of each
/// strategy, the bytes the link delivered per 100 ms, the images arrived over time and each image's latency.
/// Written as one gzipped JSON file (`transfer-bench run --record`), drawn by `transfer-bench plot`.
public struct RunRecord: Codable, Sendable {
    public static let currentFormat = "transfer-bench-record/1"

    public struct Metadata: Codable, Sendable {
        /// What the runs are called on a chart (default: the link).
        public var label: String
        public var started: String
        public var link: String
        public var rateBitsPerSecond: Double?
        public var roundTripSeconds: Double?
        public var jitterSeconds: Double?
        public var peer: String?
        public var images: Int
        public var studyBytes: Int
        public var imagesPerSecond: Double?
        public var scenario: String?
        /// Kernel, congestion control, buffers, socket options, versions, the shaping (`NetworkEnvironment`).
        public var environment: [String: String]

        public init(
            label: String, started: String, link: String, rateBitsPerSecond: Double?, roundTripSeconds: Double?, jitterSeconds: Double?,
            peer: String?, images: Int, studyBytes: Int, imagesPerSecond: Double?, scenario: String?, environment: [String: String]
        ) {
            (self.label, self.started, self.link, self.rateBitsPerSecond) = (label, started, link, rateBitsPerSecond)
            (self.roundTripSeconds, self.jitterSeconds, self.peer, self.images) = (roundTripSeconds, jitterSeconds, peer, images)
            (self.studyBytes, self.imagesPerSecond, self.scenario, self.environment) = (studyBytes, imagesPerSecond, scenario, environment)
        }
    }

    public struct Run: Codable, Sendable {
        public var strategy: String
        public var run: Int
        public var shaping: String
        public var totalSeconds: Double
        public var firstImageSeconds: Double?
        public var images: Int
        public var wireBytes: Int
        public var intervalSeconds: Double
        /// Bytes (frames) the link delivered towards the receiver in each interval, from the transfer's start.
        public var intervalBytes: [Int]
        /// (seconds, images arrived) at each change.
        public var arrivals: [[Double]]
        /// Each image's seconds from leaving the sender (or the scanner) to arriving, sorted.
        public var imageLatencies: [Double]
        public var series: [SeriesCompletion]
        public var failure: String?

        public init(_ measurement: StrategyMeasurement) {
            (strategy, run, shaping) = (measurement.strategy.name, measurement.run + 1, measurement.strategy.shaping.rawValue)
            (totalSeconds, firstImageSeconds, images) = (measurement.totalSeconds, measurement.firstImageSeconds, measurement.images)
            (wireBytes, intervalSeconds, intervalBytes) = (measurement.wireBytes, 0.1, measurement.intervalBytes)
            arrivals = measurement.arrivals.map { [$0.0, Double($0.1)] }
            imageLatencies = measurement.imageLatencies.sorted()
            (series, failure) = (measurement.seriesCompletions, measurement.failure)
        }
    }

    public var format = Self.currentFormat
    public var metadata: Metadata
    public var runs: [Run]

    public init(metadata: Metadata, measurements: [StrategyMeasurement]) {
        self.metadata = metadata
        runs = measurements.map(Run.init)
    }

    /// The record as gzipped JSON.
    public func gzipped() throws -> Data {
        let encoder = JSONEncoder()
        (encoder.keyEncodingStrategy, encoder.outputFormatting) = (.convertToSnakeCase, [.sortedKeys])
        return try Gzip.compress(try encoder.encode(self))
    }

    /// Reads a record file; the error names what is wrong with it.
    public init(contentsOf url: URL) throws(Gzip.Failure) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw Gzip.Failure(description: "cannot read it (\(error.localizedDescription))") }
        let json = try Gzip.decompress(data)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            self = try decoder.decode(RunRecord.self, from: json)
        } catch {
            throw Gzip.Failure(description: "not a transfer-bench record (\(error))")
        }
        guard format == Self.currentFormat else { throw Gzip.Failure(description: "record format '\(format)', this tool reads \(Self.currentFormat)") }
    }
}
