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
    /// A 0.5 MB CT slice of a generated study, in `folder`.
    static func slice(in folder: URL) throws -> URL {
        let study = StrokeStudy(scale: 0.001, seed: 5)
        try study.write(to: folder)
        return folder.appendingPathComponent(study.relativePath(series: 0, image: 0))
    }

    /// Sends `file` to `peer` with a 2 s response timeout and no retry: the summary and the seconds taken.
    static func send(_ file: URL, to peer: String, setUpSeconds: Int) throws -> (summary: StoreSender.Summary, seconds: Double) {
        var options = StoreSender.Options(peer: PeerAddress(peer)!)
        options.timeouts = NetworkTimeouts(connect: setUpSeconds, association: setUpSeconds, response: 2)
        options.retries = 0
        let start = Date()
        let summary = try StoreSender(options: options).send([StoreSender.Item(url: file, displayPath: file.path)]) { _, _ in }
        return (summary, Date().timeIntervalSince(start))
    }

    @Test func aStoreStillCrossingTheLinkIsNotTimedOut() throws {
        let folder = try TestPaths.temporaryFolder("slow-link")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.slice(in: folder)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int)
        #expect(size > 500_000)
        let receiver = try StorageReceiver(aeTitle: "PEER", port: Processes.freePort(), outputFolder: nil)
        defer { receiver.stop() }
        // 1 Mbit/s: the 0.5 MB slice takes over 4 s on the wire, twice the response timeout of 2 s.
        let shaper = try LinkShaper(link: try LinkProfile(parsing: "1mbit/100ms"), upstreamPort: receiver.port)
        defer { shaper.stop() }
        let (summary, seconds) = try Self.send(file, to: "PEER@127.0.0.1:\(shaper.port)", setUpSeconds: 10)
        #expect(summary.stored == 1 && summary.failed == 0, "\(summary)")
        #expect(seconds > 4, "the slice crossed 1 Mbit/s in \(seconds) s")
        #expect(receiver.storedCount == 1)
    }

    /// A peer that takes the bytes and never answers is still timed out: the wait ends once it has
    /// acknowledged everything and kept silent for the response timeout.
    @Test func aSilentPeerIsStillTimedOut() throws {
        let folder = try TestPaths.temporaryFolder("silent-peer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.slice(in: folder)
        let peer = try PynetdicomPeer(answerDelaySeconds: 60)
        defer { peer.stop() }
        let (summary, seconds) = try Self.send(file, to: "ANY@127.0.0.1:\(peer.port)", setUpSeconds: 3)
        #expect(summary.stored == 0 && summary.failed == 1)
        // The answer's 2 s, then the release the busy peer does not answer either (3 s): not the peer's 60 s.
        #expect(seconds >= 2 && seconds < 10, "gave up after \(seconds) s")
    }
}
