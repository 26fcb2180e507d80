import DicomNetwork
import DicomCore
import Foundation
import SyntheticStudy
import TestSupport
import Testing

@testable import LinkEmulation

/// The answer's timeout is the peer's silence, not the link's slowness: a CT slice takes seconds to cross a
/// slow satellite link after dcm-send has written it, and that time must not count against --response-timeout.
@Suite struct SlowLinkResponseTests {
    @Test func aStoreStillCrossingTheLinkIsNotTimedOut() throws {
        let folder = try TestPaths.temporaryFolder("slow-link")
        defer { try? FileManager.default.removeItem(at: folder) }
        let study = StrokeStudy(scale: 0.001, seed: 5)
        try study.write(to: folder)
        let file = folder.appendingPathComponent(study.relativePath(series: 0, image: 0))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int)
        #expect(size > 500_000)
        let receiver = try StorageReceiver(aeTitle: "PEER", port: Processes.freePort(), outputFolder: nil)
        defer { receiver.stop() }
        // 1 Mbit/s: the 0.5 MB slice takes over 4 s on the wire, twice the response timeout of 2 s.
        let shaper = try LinkShaper(link: try LinkProfile(parsing: "1mbit/100ms"), upstreamPort: receiver.port)
        defer { shaper.stop() }
        var options = StoreSender.Options(peer: PeerAddress("PEER@127.0.0.1:\(shaper.port)")!)
        options.timeouts = NetworkTimeouts(connect: 10, association: 10, response: 2)
        options.retries = 0
        let start = Date()
        let summary = try StoreSender(options: options).send([StoreSender.Item(url: file, displayPath: file.path)]) { _, _ in }
        let seconds = Date().timeIntervalSince(start)
        #expect(summary.stored == 1 && summary.failed == 0, "\(summary)")
        #expect(seconds > 4, "the slice crossed 1 Mbit/s in \(seconds) s")
        #expect(receiver.storedCount == 1)
    }

    /// A peer that takes the bytes and never answers is still timed out: the wait ends once it has
    /// acknowledged everything and kept silent for the response timeout.
    @Test func aSilentPeerIsStillTimedOut() throws {
        let folder = try TestPaths.temporaryFolder("silent-peer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let study = StrokeStudy(scale: 0.001, seed: 5)
        try study.write(to: folder)
        let file = folder.appendingPathComponent(study.relativePath(series: 0, image: 0))
        let peer = try PynetdicomPeer(answerDelaySeconds: 60)
        defer { peer.stop() }
        var options = StoreSender.Options(peer: PeerAddress("ANY@127.0.0.1:\(peer.port)")!)
        options.timeouts = NetworkTimeouts(connect: 3, association: 3, response: 2)
        options.retries = 0
        let start = Date()
        let summary = try StoreSender(options: options).send([StoreSender.Item(url: file, displayPath: file.path)]) { _, _ in }
        let seconds = Date().timeIntervalSince(start)
        #expect(summary.stored == 0 && summary.failed == 1)
        // The answer's 2 s, then the release the busy peer does not answer either (3 s): not the peer's 60 s.
        #expect(seconds >= 2 && seconds < 10, "gave up after \(seconds) s")
    }
}
