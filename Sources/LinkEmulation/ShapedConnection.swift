import Foundation
import Locking

#if canImport(Glibc)
    import Glibc
#endif

/// One relayed connection: two directions, closed together once both are done.
final class ShapedConnection: Sendable {
    let shaper: LinkShaper
    let client: Int32
    let upstream: Int32
    let seed: UInt64
    /// When the client's connection was accepted. The kernel completed its TCP handshake on loopback, at once;
    /// on the emulated link it costs a round trip, so no client byte leaves before a round trip has passed.
    let openedAt = Clock.now()
    private let state = Locked(State())

    private struct State {
        /// Reader and writer threads of both directions: the sockets are closed after the last one ends (a
        /// descriptor closed under a running reader could be reused by the next connection).
        var running = 4
        /// Bytes through both directions, for the drop-after fault.
        var total = 0
    }

    init(shaper: LinkShaper, client: Int32, upstream: Int32, seed: UInt64) {
        (self.shaper, self.client, self.upstream, self.seed) = (shaper, client, upstream, seed)
    }

    func start() {
        ShapedDirection(connection: self, from: client, to: upstream, forward: true, seed: seed).start()
        ShapedDirection(connection: self, from: upstream, to: client, forward: false, seed: seed ^ 0x9E37_79B9_7F4A_7C15).start()
    }

    var link: LinkProfile { shaper.link }

    /// Counts delivered bytes; true when the connection must now be cut (drop-after).
    func delivered(_ count: Int, forward: Bool) -> Bool {
        shaper.add(bytes: count, forward: forward)
        guard let limit = link.dropAfterBytes else { return false }
        return state.withLock {
            $0.total += count
            return $0.total >= limit
        }
    }

    func cut() { shaper.dropped([client, upstream]) }

    func threadFinished() {
        let last = state.withLock {
            $0.running -= 1
            return $0.running == 0
        }
        if last { shaper.finished([client, upstream]) }
    }
}
