import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An emulated link in process: a TCP relay on 127.0.0.1 that forwards each connection to an upstream
/// server through two shaped directions. Each direction serializes bytes at the link's rate (shared by all
/// connections, as on one real link), holds them for half the round trip plus jitter (order kept), and stops reading when the
/// link and its buffer are full, so TCP's own flow control sees a real bottleneck. Faults cut connections
/// after a number of bytes or at random. Needs no privileges and no netem.
public final class LinkShaper: @unchecked Sendable {
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
    private let lock = NSLock()
    private var stats = Statistics()
    private var open: Set<Int32> = []
    private var stopped = false
    private var random: UInt64
    /// When the link finishes serializing what it was given, per direction: one link for every connection,
    /// so parallel associations share the rate as they would on a real link.
    private var linkFreeAt = [0.0, 0.0]

    public init(
        link: LinkProfile, upstreamHost: String = "127.0.0.1", upstreamPort: UInt16, listenPort: UInt16 = 0, seed: UInt64 = 1
    ) throws(LinkBenchError) {
        (self.link, self.upstreamHost, self.upstreamPort, random) = (link, upstreamHost, upstreamPort, seed | 1)
        (listener, port) = try Sockets.listen(port: listenPort)
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "shaper-accept"
        thread.start()
    }

    public var statistics: Statistics { lock.withLock { stats } }

    /// Stops accepting, cuts open connections, and returns once nothing is listening any more.
    public func stop() {
        let sockets: Set<Int32> = lock.withLock {
            stopped = true
            return open
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
            let accepted: Bool = lock.withLock {
                guard !stopped else { return false }
                stats.connections += 1
                open.formUnion([client, upstream])
                stats.peakConnections = max(stats.peakConnections, open.count / 2)
                random = random &* 6364136223846793005 &+ 1442695040888963407
                return true
            }
            guard accepted else {
                close(client)
                close(upstream)
                continue
            }
            let connection = Connection(shaper: self, client: client, upstream: upstream, seed: lock.withLock { random })
            connection.start()
        }
    }

    // Called by the directions.
    func add(bytes: Int, forward: Bool) {
        lock.withLock {
            if forward { stats.bytesForward += bytes } else { stats.bytesBackward += bytes }
        }
    }

    func addCPU(_ seconds: Double) { lock.withLock { stats.cpuSeconds += seconds } }

    /// Books `count` bytes on the link in one direction; returns when their last bit has left.
    func serialize(_ count: Int, forward: Bool, now: Double) -> Double {
        guard let rate = link.rateBitsPerSecond else { return now }
        return lock.withLock {
            let index = forward ? 0 : 1
            let start = max(now, linkFreeAt[index])
            linkFreeAt[index] = start + Double(count) * 8 / rate
            return linkFreeAt[index]
        }
    }

    func dropped(_ sockets: [Int32]) {
        lock.withLock { stats.drops += 1 }
        for socket in sockets { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    func finished(_ sockets: [Int32]) {
        lock.withLock { open.subtract(sockets) }
        for socket in sockets { close(socket) }
    }
}

/// One relayed connection: two directions, closed together once both are done.
private final class Connection: @unchecked Sendable {
    let shaper: LinkShaper
    let client: Int32
    let upstream: Int32
    let seed: UInt64
    private let lock = NSLock()
    /// Reader and writer threads of both directions: the sockets are closed after the last one ends (a
    /// descriptor closed under a running reader could be reused by the next connection).
    private var running = 4
    /// Bytes through both directions, for the drop-after fault.
    private var total = 0

    init(shaper: LinkShaper, client: Int32, upstream: Int32, seed: UInt64) {
        (self.shaper, self.client, self.upstream, self.seed) = (shaper, client, upstream, seed)
    }

    func start() {
        let forward = ShapedDirection(connection: self, from: client, to: upstream, forward: true, seed: seed)
        let backward = ShapedDirection(connection: self, from: upstream, to: client, forward: false, seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        forward.start()
        backward.start()
    }

    var link: LinkProfile { shaper.link }

    /// Counts delivered bytes; true when the connection must now be cut (drop-after).
    func delivered(_ count: Int, forward: Bool) -> Bool {
        shaper.add(bytes: count, forward: forward)
        guard let limit = link.dropAfterBytes else { return false }
        return lock.withLock {
            total += count
            return total >= limit
        }
    }

    func cut() { shaper.dropped([client, upstream]) }

    func threadFinished() {
        let last = lock.withLock {
            running -= 1
            return running == 0
        }
        if last { shaper.finished([client, upstream]) }
    }
}

/// One direction of a connection: a reader that timestamps chunks as the link would deliver them, and a
/// writer that hands each chunk on at its time.
private final class ShapedDirection: @unchecked Sendable {
    struct Chunk {
        let bytes: [UInt8]
        let due: Double
    }

    let connection: Connection
    let source: Int32
    let destination: Int32
    let forward: Bool
    private var random: UInt64
    private let condition = NSCondition()
    private var queue: [Chunk] = []
    private var head = 0
    private var queuedBytes = 0
    private var ended = false
    private var cut = false
    /// The last chunk's due time (order is kept).
    private var lastDue = 0.0

    init(connection: Connection, from source: Int32, to destination: Int32, forward: Bool, seed: UInt64) {
        (self.connection, self.source, self.destination, self.forward, random) = (connection, source, destination, forward, seed | 1)
    }

    private var link: LinkProfile { connection.link }

    /// Chunks as large as 2 ms of the link (one packet at least): small enough for smooth pacing.
    private var chunkLimit: Int {
        guard let rate = link.rateBitsPerSecond else { return 65_536 }
        return min(65_536, max(1_500, Int(rate / 8 * 0.002)))
    }

    /// What the link holds: the bytes in flight over the one-way delay, plus a router buffer of 20 ms.
    private var capacity: Int {
        guard let rate = link.rateBitsPerSecond else { return 4 << 20 }
        return max(65_536, Int(rate / 8 * (link.oneWaySeconds + link.jitterSeconds + 0.020)))
    }

    func start() {
        let reader = Thread { [self] in readLoop() }
        let writer = Thread { [self] in writeLoop() }
        reader.name = "shaper-read"
        writer.name = "shaper-write"
        reader.start()
        writer.start()
    }

    private func nextRandom() -> Double {
        random ^= random << 13
        random ^= random >> 7
        random ^= random << 17
        return Double(random >> 11) / Double(1 << 53)
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let limit = chunkLimit
        while true {
            condition.lock()
            while queuedBytes >= capacity && !cut { condition.wait() }
            let stop = cut
            condition.unlock()
            if stop { break }
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, limit, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            let sent = connection.shaper.serialize(count, forward: forward, now: Clock.now())
            let jitter = link.jitterSeconds > 0 ? nextRandom() * link.jitterSeconds : 0
            let due = max(sent + link.oneWaySeconds + jitter, lastDue)
            lastDue = due
            condition.lock()
            queue.append(Chunk(bytes: Array(buffer[0..<count]), due: due))
            queuedBytes += count
            condition.broadcast()
            condition.unlock()
        }
        condition.lock()
        ended = true
        condition.broadcast()
        condition.unlock()
        connection.shaper.addCPU(Clock.threadCPU())
        connection.threadFinished()
    }

    private func writeLoop() {
        var sinceDropCheck = 0
        while true {
            condition.lock()
            while head == queue.count && !ended && !cut { condition.wait() }
            if cut || head == queue.count {
                condition.unlock()
                break
            }
            let chunk = queue[head]
            condition.unlock()
            Clock.sleep(until: chunk.due)
            let sent = chunk.bytes.withUnsafeBytes { Sockets.writeAll(destination, $0) }
            condition.lock()
            head += 1
            queuedBytes -= chunk.bytes.count
            if head > 1024 {
                queue.removeFirst(head)
                head = 0
            }
            condition.broadcast()
            condition.unlock()
            guard sent else { break }
            sinceDropCheck += chunk.bytes.count
            var drop = connection.delivered(chunk.bytes.count, forward: forward)
            if link.dropProbabilityPerMegabyte > 0 && sinceDropCheck >= 1_000_000 {
                sinceDropCheck -= 1_000_000
                drop = drop || nextRandom() < link.dropProbabilityPerMegabyte
            }
            if drop {
                connection.cut()
                break
            }
        }
        condition.lock()
        cut = true
        condition.broadcast()
        condition.unlock()
        // The other side sees the end of this direction as the end of the stream.
        shutdown(destination, Int32(SHUT_WR))
        shutdown(source, Int32(SHUT_RD))
        connection.shaper.addCPU(Clock.threadCPU())
        connection.threadFinished()
    }
}
