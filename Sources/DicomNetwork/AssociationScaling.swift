import Locking

/// `--associations auto`: what each store teaches the scaler, and more workers when it wants them.
struct AssociationScaling: Sendable {
    let scaler: Locked<AssociationScaler>
    let workers: StreamWorkers
    /// Associations open now (shared by the workers): what the peer accepts, when it refuses one more.
    let openAssociations: Locked<Int>
    let notice: @Sendable (String) -> Void

    func stored(bytes: Int, seconds: Double) {
        let (target, explanation) = scaler.withLock { ($0.noteStored(bytes: bytes, seconds: seconds), $0.explanation) }
        if workers.grow(to: target) { notice("--associations auto: " + explanation) }
    }

    /// The peer turned one more association away (its limit per caller): no more than are open now.
    func peerRefused() {
        let limit = max(AssociationScaler.minimum, openAssociations.withLock { $0 })
        let first = scaler.withLock { $0.cap(at: limit) }
        if first { notice("--associations auto: the peer refuses more than \(limit) associations: staying at \(limit)") }
    }
}
