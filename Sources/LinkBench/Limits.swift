import DicomNetwork
import LinkEmulation

/// The limits a strategy is held against on a link: its floor is a time physics guarantees it cannot beat.
public struct Limits: Sendable {
    /// Bytes on the wire at the link's rate, with the headers of their TCP segments.
    public let wireSeconds: Double?
    /// A lockstep association waits one round trip per image: images per association x RTT.
    public let lockstepSeconds: Double
    /// Round trips before the first byte may leave: the TCP handshake.
    public let setUpSeconds: Double
    public let bandwidthDelayProductBytes: Double?
    /// Mathis et al.: one TCP stream cannot exceed MSS/RTT x 1.22/sqrt(loss).
    public let mathisBitsPerSecond: Double?
    /// A scanner's pace: the last image cannot leave before the scanner releases it.
    public let lastReleaseSeconds: Double
    private let roundTrip: Double
    private let strategy: Strategy

    public init(link: LinkProfile?, strategy: Strategy, images: Int, wireBytes: Int, imagesPerSecond: Double? = nil) {
        lastReleaseSeconds = strategy.isStreaming ? imagesPerSecond.map { Double(max(images - 1, 0)) / $0 } ?? 0 : 0
        let rate = link?.rateBitsPerSecond
        wireSeconds = rate.map { Double(LinkProfile.framedBytes(wireBytes)) * 8 / $0 }
        roundTrip = link?.roundTripSeconds ?? 0
        self.strategy = strategy
        // `auto` is held against the most it may open: its floor is the lowest it could reach.
        let associations = strategy.associations == 0 ? AssociationScaler.maximum : max(1, strategy.associations)
        let perAssociation = (images + associations - 1) / associations
        lockstepSeconds = strategy.usesDICOM ? Double(perAssociation) * roundTrip : 0
        setUpSeconds = roundTrip
        bandwidthDelayProductBytes = link?.bandwidthDelayProductBytes
        if let link, link.lossFraction > 0, link.roundTripSeconds > 0 {
            mathisBitsPerSecond = 1448 * 8 / link.roundTripSeconds * 1.22 / link.lossFraction.squareRoot()
        } else {
            mathisBitsPerSecond = nil
        }
    }

    /// The least time the strategy can take. Every byte leaves after the TCP handshake (a round trip), takes
    /// its time at the rate and the one-way delay to the receiver: a streaming strategy ends when its last
    /// image arrives. A DICOM run ends with the last answer, a further one-way delay; and after the
    /// handshake and the association's negotiation (two round trips), each association waits a round trip
    /// per image. A paced stream's last image arrives at the earliest a one-way delay after its release.
    public var floorSeconds: Double {
        let wire = wireSeconds ?? 0
        switch strategy.kind {
        case .stream, .pipeline: return max(setUpSeconds + wire, lastReleaseSeconds) + roundTrip / 2
        case .bundle: return setUpSeconds + wire + roundTrip / 2
        case .raw, .jpegLS: return 2 * roundTrip + max(wire, lockstepSeconds)
        }
    }
}
