import Foundation

/// What one run of one strategy measured.
public struct StrategyMeasurement: Sendable {
    public let strategy: Strategy
    public let run: Int
    /// From the raw study at the sender to the last image at the receiver, preparation included.
    public let totalSeconds: Double
    /// Compression before sending (JPEG-LS), part of the total.
    public let prepareSeconds: Double
    /// From the start of the transfer to the first image complete at the receiver (or confirmed by the peer).
    public let firstImageSeconds: Double?
    public let images: Int
    /// Bytes the link carried towards the receiver (the shaper's count), else the bytes sent.
    public let wireBytes: Int
    public let senderCPUSeconds: Double
    /// Receiver CPU (embedded receiver only; nil for a real peer).
    public let receiverCPUSeconds: Double?
    public let retries: Int
    /// (seconds since the transfer started, images arrived) at each change: the arrival curve.
    public let arrivals: [(Double, Int)]
    public let failure: String?
    /// Streaming strategies: for each image, seconds from leaving the scanner to arriving at the expert
    /// (sorted).
    public var latencies: [Double]? = nil
    /// Bytes (frames, headers included) the link delivered towards the receiver in each 100 ms of the
    /// transfer (`IntervalSampler`).
    public var intervalBytes: [Int] = []
    /// Streaming strategies: when each series (folder) of the study was complete at the expert.
    public var seriesCompletions: [SeriesCompletion] = []

    /// The latency below which `fraction` of the images arrived (nearest rank).
    public func latency(_ fraction: Double) -> Double? {
        guard let latencies, !latencies.isEmpty else { return nil }
        return latencies[min(latencies.count - 1, max(0, Int((fraction * Double(latencies.count)).rounded(.up)) - 1))]
    }

    /// Seconds from the transfer's start to each image's arrival, for every strategy: the streaming ones from
    /// each image's release, the others from the start (all their images are there at once; compression
    /// counts).
    public var imageLatencies: [Double] {
        if let latencies { return latencies }
        var times: [Double] = []
        var previous = 0
        for (seconds, count) in arrivals where count > previous {
            times += Array(repeating: seconds, count: count - previous)
            previous = count
        }
        return times
    }

    public var goodputBitsPerSecond: Double { Double(wireBytes) * 8 / max(totalSeconds - prepareSeconds, 1e-9) }
    public var imagesPerSecond: Double { Double(images) / max(totalSeconds, 1e-9) }
}
