import Foundation
import Locking

#if canImport(Glibc)
    import Glibc
#endif

/// One direction of a connection: a reader that timestamps chunks as the link would deliver them, and a
/// writer that hands each chunk on at its time. They share only the queue (under its lock); each has its
/// own random numbers (the reader's jitter, the writer's random cuts).
final class ShapedDirection: Sendable {
    struct Chunk: Sendable {
        let bytes: [UInt8]
        let due: Double
    }

    private struct Queue: Sendable {
        var chunks: [Chunk] = []
        var head = 0
        var queuedBytes = 0
        var ended = false
        var cut = false
    }

    let connection: ShapedConnection
    let source: Int32
    let destination: Int32
    let forward: Bool
    let seed: UInt64
    private let queue = WaitableState(Queue())

    init(connection: ShapedConnection, from source: Int32, to destination: Int32, forward: Bool, seed: UInt64) {
        (self.connection, self.source, self.destination, self.forward, self.seed) = (connection, source, destination, forward, seed)
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

    private func readLoop() {
        var random = XorShift(seed: seed)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var lastDue = 0.0  // order is kept: no chunk is due before the one read before it
        // The client may send only once the handshake the kernel did at once is over on the emulated link
        // (SYN, SYN-ACK: a round trip); its bytes wait in the socket meanwhile, and take the link after it.
        if forward { Clock.sleep(until: connection.openedAt + link.roundTripSeconds) }
        let (limit, capacity) = (chunkLimit, capacity)
        while true {
            let stop = queue.wait { $0.queuedBytes < capacity || $0.cut ? $0.cut : nil }
            if stop { break }
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, limit, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            let sent = connection.shaper.serialize(count, forward: forward, now: Clock.now())
            let jitter = link.jitterSeconds > 0 ? random.unit() * link.jitterSeconds : 0
            let due = max(sent + link.oneWaySeconds + jitter, lastDue)
            lastDue = due
            let chunk = Chunk(bytes: Array(buffer[0..<count]), due: due)
            queue.withLock {
                $0.chunks.append(chunk)
                $0.queuedBytes += count
            }
        }
        queue.withLock { $0.ended = true }
        connection.shaper.addCPU(Clock.threadCPU())
        connection.threadFinished()
    }

    private func writeLoop() {
        var random = XorShift(seed: seed ^ 0xD1B5_4A32_D192_ED03)
        var sinceDropCheck = 0
        while true {
            // The next chunk, or nil once the direction is cut or the reader ended and all is written.
            let next: Chunk?? = queue.wait { queue in
                if queue.cut { return .some(nil) }
                if queue.head < queue.chunks.count { return .some(queue.chunks[queue.head]) }
                return queue.ended ? .some(nil) : nil
            }
            guard let chunk = next.flatMap({ $0 }) else { break }
            Clock.sleep(until: chunk.due)
            let sent = chunk.bytes.withUnsafeBytes { Sockets.writeAll(destination, $0) }
            queue.withLock { queue in
                queue.head += 1
                queue.queuedBytes -= chunk.bytes.count
                if queue.head > 1024 {
                    queue.chunks.removeFirst(queue.head)
                    queue.head = 0
                }
            }
            guard sent else { break }
            sinceDropCheck += chunk.bytes.count
            var drop = connection.delivered(chunk.bytes.count, forward: forward)
            if link.dropProbabilityPerMegabyte > 0 && sinceDropCheck >= 1_000_000 {
                sinceDropCheck -= 1_000_000
                drop = drop || random.unit() < link.dropProbabilityPerMegabyte
            }
            if drop {
                connection.cut()
                break
            }
        }
        queue.withLock { $0.cut = true }
        // The other side sees the end of this direction as the end of the stream.
        shutdown(destination, Int32(SHUT_WR))
        shutdown(source, Int32(SHUT_RD))
        connection.shaper.addCPU(Clock.threadCPU())
        connection.threadFinished()
    }
}
