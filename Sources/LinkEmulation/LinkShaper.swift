import Foundation
import Locking

#if canImport(Glibc)
    import Glibc
#endif

/// An emulated link in process: a TCP relay on 127.0.0.1 that forwards each connection to an upstream
/// server through two shaped directions. Each direction serializes bytes at the link's rate (shared by all
/// connections, as on one real link), holds them for half the round trip plus jitter (order kept), and stops reading when the
/// link and its buffer are full, so TCP's own flow control sees a real bottleneck. Faults cut connections
/// after a number of bytes or at random. Needs no privileges and no netem.
public final class LinkShaper: Sendable {
    public struct Statistics: Sendable {
        public var connections = 0
        public var bytesForward = 0
        public var bytesBackward = 0
        public var drops = 0
        /// Most connections open at the same time (parallel associations really running in parallel).
        public var peakConnections = 0
        /// CPU time of the shaper's own threads (the emulated network), to keep it out of either end's.
        public var cpuSeconds = 0.0
    }

    public let link: LinkProfile
    public let port: UInt16
    private let upstreamHost: String
    private let upstreamPort: UInt16
    private let listener: Int32
    private let state: Locked<State>

    private struct State {
        var stats = Statistics()
        var open: Set<Int32> = []
        var stopped = false
        /// Seeds each connection's directions (the link's jitter and faults are reproducible).
        var random: UInt64
        /// When the link finishes serializing what it was given, per direction: one link for every
        /// connection, so parallel associations share the rate as they would on a real link.
        var linkFreeAt = [0.0, 0.0]
    }

    public init(
        link: LinkProfile, upstreamHost: String = "127.0.0.1", upstreamPort: UInt16, listenPort: UInt16 = 0, seed: UInt64 = 1
    ) throws(LinkError) {
        (self.link, self.upstreamHost, self.upstreamPort) = (link, upstreamHost, upstreamPort)
        state = Locked(State(random: seed | 1))
        // On a real link the bytes not yet across stay unacknowledged in the sender's socket, where it can see
        // them (SIOCOUTQ); loopback would acknowledge them at once into a large buffer. The shaper's receive
        // buffer is kept to 10 ms of the link, so that what the link has not taken stays with the sender.
        (listener, port) = try Sockets.listen(
            port: listenPort, receiveBuffer: link.rateBitsPerSecond.map { min(4 << 20, max(16_384, Int($0 / 8 * 0.010))) })
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "shaper-accept"
        thread.start()
    }

    public var statistics: Statistics { state.withLock { $0.stats } }

    /// Stops accepting, cuts open connections, and returns once nothing is listening any more.
    public func stop() {
        let sockets: Set<Int32> = state.withLock {
            $0.stopped = true
            return $0.open
        }
        shutdown(listener, Int32(SHUT_RDWR))
        for socket in sockets { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    deinit {
        stop()
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            Sockets.noDelay(client)
            let upstream: Int32
            do { upstream = try Sockets.connect(host: upstreamHost, port: upstreamPort) } catch {
                close(client)
                continue
            }
            let seed: UInt64? = state.withLock { state in
                guard !state.stopped else { return nil }
                state.stats.connections += 1
                state.open.formUnion([client, upstream])
                state.stats.peakConnections = max(state.stats.peakConnections, state.open.count / 2)
                state.random = state.random &* 6364136223846793005 &+ 1442695040888963407
                return state.random
            }
            guard let seed else {
                close(client)
                close(upstream)
                continue
            }
            ShapedConnection(shaper: self, client: client, upstream: upstream, seed: seed).start()
        }
    }

    // Called by the directions.
    func add(bytes: Int, forward: Bool) {
        state.withLock {
            if forward { $0.stats.bytesForward += bytes } else { $0.stats.bytesBackward += bytes }
        }
    }

    func addCPU(_ seconds: Double) { state.withLock { $0.stats.cpuSeconds += seconds } }

    /// Books `count` bytes on the link in one direction; returns when their last bit has left.
    func serialize(_ count: Int, forward: Bool, now: Double) -> Double {
        guard let rate = link.rateBitsPerSecond else { return now }
        return state.withLock { state in
            let index = forward ? 0 : 1
            let start = max(now, state.linkFreeAt[index])
            state.linkFreeAt[index] = start + Double(LinkProfile.framedBytes(count)) * 8 / rate
            return state.linkFreeAt[index]
        }
    }

    func dropped(_ sockets: [Int32]) {
        state.withLock { $0.stats.drops += 1 }
        for socket in sockets { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    func finished(_ sockets: [Int32]) {
        state.withLock { _ = $0.open.subtract(sockets) }
        for socket in sockets { close(socket) }
    }
}
