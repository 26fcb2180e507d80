import DicomNetwork
import LinkEmulation

/// The limits a strategy is held against on a link.
public struct Limits: Sendable {
    /// Bytes on the wire at the link's rate.
    public let wireSeconds: Double?
    /// A lockstep association waits one round trip per image: images per association x RTT.
    public let lockstepSeconds: Double
    public let bandwidthDelayProductBytes: Double?
    /// Mathis et al.: one TCP stream cannot exceed MSS/RTT x 1.22/sqrt(loss).
    public let mathisBitsPerSecond: Double?
    private let associations: Int

    public init(link: LinkProfile?, strategy: Strategy, images: Int, wireBytes: Int) {
        let rate = link?.rateBitsPerSecond
        wireSeconds = rate.map { Double(wireBytes) * 8 / $0 }
        let roundTrip = link?.roundTripSeconds ?? 0
        // `auto` is held against the most it may open: its floor is the lowest it could reach.
        associations = strategy.associations == 0 ? AssociationScaler.maximum : max(1, strategy.associations)
        let perAssociation = (images + associations - 1) / associations
        lockstepSeconds = strategy.usesDICOM ? Double(perAssociation) * roundTrip : roundTrip
        bandwidthDelayProductBytes = link?.bandwidthDelayProductBytes
        if let link, link.lossFraction > 0, link.roundTripSeconds > 0 {
            mathisBitsPerSecond = 1448 * 8 / link.roundTripSeconds * 1.22 / link.lossFraction.squareRoot()
        } else {
            mathisBitsPerSecond = nil
        }
    }

    /// The least time the strategy can take: every byte at the rate, and each association's share of the
    /// bytes plus the round trips it waits for (one association: both add up; several: they overlap).
    public var floorSeconds: Double {
        let wire = wireSeconds ?? 0
        return max(wire, lockstepSeconds + wire / Double(associations))
    }
}
