import Foundation
import Locking
import Testing

@testable import LinkBench
@testable import LinkEmulation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback server for the tests: echoes what it receives, or only counts it.
final class TestServer: Sendable {
    let port: UInt16
    private let listener: Int32
    private let received = Locked<[UInt8]>([])

    init(echo: Bool) throws {
        (listener, port) = try Sockets.listen()
        let listener = self.listener
        Thread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                Thread { [self] in
                    var buffer = [UInt8](repeating: 0, count: 65_536)
                    while true {
                        let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                        guard count > 0 else { break }
                        if echo {
                            _ = buffer.withUnsafeBytes { Sockets.writeAll(connection, UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                        } else {
                            received.withLock { $0 += buffer[0..<count] }
                        }
                    }
                    close(connection)
                }.start()
            }
        }.start()
    }

    var bytes: [UInt8] { received.withLock { $0 } }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}

@Suite struct LinkShaperTests {
    @Test func linkDescriptionsAndPresetsParse() throws {
        let link = try LinkProfile(parsing: "20mbit/40ms/jitter=5ms/drop-after=10MB")
        #expect(link.rateBitsPerSecond == 20e6 && abs(link.roundTripSeconds - 0.040) < 1e-12)
        #expect(abs(link.jitterSeconds - 0.005) < 1e-12 && link.dropAfterBytes == 10_000_000)
        #expect(try LinkProfile(parsing: "satellite").roundTripSeconds == 0.6)
        #expect(try LinkProfile(parsing: "unlimited/10ms").rateBitsPerSecond == nil)
        #expect(try LinkProfile(parsing: "10Mbps/100ms").rateBitsPerSecond == 10e6)
        #expect(throws: LinkError.self) { try LinkProfile(parsing: "10MB/100ms") }
        #expect(throws: LinkError.self) { try LinkProfile(parsing: "10mbit") }
        #expect(throws: LinkError.self) { try LinkProfile(parsing: "10mbit/100ms/colour=red") }
        #expect(try LinkProfile(parsing: "10mbit/100ms").bandwidthDelayProductBytes == 125_000)
    }

    /// Bytes arrive intact, and never faster than the rate (a lower bound on time: a slow machine only
    /// makes it slower; the upper bound is the benchmark's business).
    @Test(arguments: ["20mbit/2ms", "80mbit/2ms"])
    func bytesArriveIntactAndNoFasterThanTheRate(_ description: String) throws {
        let link = try LinkProfile(parsing: description)
        let server = try TestServer(echo: false)
        let shaper = try LinkShaper(link: link, upstreamPort: server.port)
        defer { shaper.stop() }
        var payload = [UInt8](repeating: 0, count: 2_000_000)
        for index in payload.indices { payload[index] = UInt8(truncatingIfNeeded: index &* 2_654_435_761 >> 13) }
        let client = try Sockets.connect(host: "127.0.0.1", port: shaper.port)
        let start = Clock.now()
        #expect(payload.withUnsafeBytes { Sockets.writeAll(client, $0) })
        while server.bytes.count < payload.count && Clock.now() - start < 30 { usleep(1000) }
        let seconds = Clock.now() - start
        close(client)
        #expect(server.bytes == payload)
        let floor = Double(payload.count) * 8 / link.rateBitsPerSecond!
        #expect(seconds >= floor * 0.95, "\(seconds) s for a floor of \(floor) s")
        #expect(shaper.statistics.bytesForward == payload.count)
    }

    @Test func roundTripsTakeAtLeastTheConfiguredDelay() throws {
        let server = try TestServer(echo: true)
        let shaper = try LinkShaper(link: try LinkProfile(parsing: "unlimited/40ms"), upstreamPort: server.port)
        defer { shaper.stop() }
        let client = try Sockets.connect(host: "127.0.0.1", port: shaper.port)
        defer { close(client) }
        for _ in 0..<5 {
            let start = Clock.now()
            let got = Self.echo(64, through: client)
            let roundTrip = Clock.now() - start
            #expect(got == 64 && roundTrip >= 0.0395, "\(roundTrip)")
        }
    }

    /// Sends `count` bytes to the echo server and reads them back; the bytes read.
    static func echo(_ count: Int, through client: Int32) -> Int {
        #expect([UInt8](repeating: 7, count: count).withUnsafeBytes { Sockets.writeAll(client, $0) })
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let read = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress! + got, count - got, 0) }
            guard read > 0 else { break }
            got += read
        }
        return got
    }

    /// A connection costs its handshake: the first exchange of a new connection over a 200 ms link takes two
    /// round trips (SYN, SYN-ACK, then the data and its answer), the next one a single round trip.
    @Test func aNewConnectionPaysItsHandshake() throws {
        let server = try TestServer(echo: true)
        let shaper = try LinkShaper(link: try LinkProfile(parsing: "unlimited/200ms"), upstreamPort: server.port)
        defer { shaper.stop() }
        let start = Clock.now()
        let client = try Sockets.connect(host: "127.0.0.1", port: shaper.port)
        defer { close(client) }
        var times: [Double] = []
        for _ in 0..<2 {
            let sent = times.isEmpty ? start : Clock.now()
            #expect(Self.echo(8, through: client) == 8)
            times.append(Clock.now() - sent)
        }
        #expect(times[0] >= 0.395, "first exchange \(times[0]) s: handshake and round trip")
        #expect(times[1] >= 0.1975 && times[1] < 0.39, "second exchange \(times[1]) s: one round trip")
    }

    @Test func dropAfterCutsTheConnection() throws {
        let server = try TestServer(echo: false)
        let shaper = try LinkShaper(link: try LinkProfile(parsing: "unlimited/1ms/drop-after=100kB"), upstreamPort: server.port)
        defer { shaper.stop() }
        let client = try Sockets.connect(host: "127.0.0.1", port: shaper.port)
        defer { close(client) }
        let payload = [UInt8](repeating: 1, count: 1_000_000)
        _ = payload.withUnsafeBytes { Sockets.writeAll(client, $0) }
        let start = Clock.now()
        while shaper.statistics.drops == 0 && Clock.now() - start < 10 { usleep(1000) }
        usleep(50_000)
        #expect(shaper.statistics.drops == 1)
        #expect(server.bytes.count >= 100_000 && server.bytes.count < payload.count)
    }
}
