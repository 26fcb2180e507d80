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

    /// The latency below which `fraction` of the images arrived (nearest rank).
    public func latency(_ fraction: Double) -> Double? {
        guard let latencies, !latencies.isEmpty else { return nil }
        return latencies[min(latencies.count - 1, max(0, Int((fraction * Double(latencies.count)).rounded(.up)) - 1))]
    }

    public var goodputBitsPerSecond: Double { Double(wireBytes) * 8 / max(totalSeconds - prepareSeconds, 1e-9) }
    public var imagesPerSecond: Double { Double(images) / max(totalSeconds, 1e-9) }
}
