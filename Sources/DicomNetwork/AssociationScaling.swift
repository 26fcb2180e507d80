import Locking

/// `--associations auto`: what each store teaches the scaler, and more workers when it wants them.
struct AssociationScaling: Sendable {
    let scaler: Locked<AssociationScaler>
    let workers: StreamWorkers
    /// Associations open now (shared by the workers): what the peer accepts, when it refuses one more.
    let openAssociations: Locked<Int>
    let notice: @Sendable (String) -> Void
    /// Stores in flight now (shared by the workers): those that share the link with a new one.
    let storesInFlight: Locked<Int>

    /// A store begins; the number in flight, itself included.
    func storeBegins() -> Int { storesInFlight.withLock { $0 += 1; return $0 } }

    /// A store ended, whatever its outcome.
    func storeEnded() { storesInFlight.withLock { $0 -= 1 } }

    func stored(bytes: Int, seconds: Double, sharing: Int) {
        let (target, explanation) = scaler.withLock { ($0.noteStored(bytes: bytes, seconds: seconds, sharing: sharing), $0.explanation) }
        if workers.grow(to: target) { notice("--associations auto: " + explanation) }
    }

    /// The peer turned one more association away (its limit per caller): no more than are open now.
    func peerRefused() {
        let limit = max(AssociationScaler.minimum, openAssociations.withLock { $0 })
        let first = scaler.withLock { $0.cap(at: limit) }
        if first { notice("--associations auto: the peer refuses more than \(limit) associations: staying at \(limit)") }
    }
}
