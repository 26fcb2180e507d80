import DicomNetwork
import Foundation
import Locking
import SyntheticStudy
import TestSupport
import Testing

@testable import LinkEmulation

/// `--associations auto`: the count that fills a link, from its round trip, its rate and the objects' sizes.
@Suite struct AutomaticAssociationsTests {
    /// Hand-computed: a 200 ms set-up is a 100 ms round trip; 500 KB stored in 170 ms leaves 70 ms of
    /// transfer, 7.14 MB/s; 1 + 6 × 0.1 × 7.14e6 / 5e5 = 9.57, so 10 associations.
    @Test func theCountFollowsTheLinkModel() {
        var scaler = AssociationScaler()
        scaler.noteSetUp(seconds: 0.3)
        scaler.noteSetUp(seconds: 0.2)
        #expect(scaler.roundTripSeconds == 0.1)
        #expect(scaler.noteStored(bytes: 500_000, seconds: 0.17) == 10)
        // A slower store (the link shared) does not lower the estimate, nor the count.
        #expect(scaler.noteStored(bytes: 500_000, seconds: 0.6) == 10)
        // A C-ECHO's round trip replaces the set-up's estimate: 250 ms of transfer, 2 MB/s;
        // 1 + 6 × 0.2 × 2e6 / 5e5 = 5.8, so 6.
        var echoed = AssociationScaler()
        echoed.noteSetUp(seconds: 0.2)
        echoed.noteEcho(seconds: 0.2)
        echoed.noteSetUp(seconds: 0.1)
        #expect(echoed.roundTripSeconds == 0.2)
        #expect(echoed.noteStored(bytes: 500_000, seconds: 0.45) == 6)
        // Two stores sharing the link each saw half its rate: 500 KB in 260 ms with a 100 ms round trip is
        // 3.125 MB/s alone, 6.25 MB/s for the link; 1 + 6 × 0.1 × 6.25e6 / 5e5 = 8.5, so 9.
        var shared = AssociationScaler()
        shared.noteSetUp(seconds: 0.2)
        #expect(shared.noteStored(bytes: 500_000, seconds: 0.26, sharing: 2) == 9)
        // A store answered within the round trip says nothing about the rate.
        var quick = AssociationScaler()
        quick.noteSetUp(seconds: 0.2)
        #expect(quick.noteStored(bytes: 1_000, seconds: 0.1) == AssociationScaler.minimum)
        // On loopback the minimum; on a satellite hop (600 ms) with 1 MB objects stored at 8 Mbit/s,
        // 1 + 6 × 0.6 × 1e6 / 1e6 = 4.6, so 5; four sharing the link at that pace, 13.3 MB/s, capped at the
        // maximum; a peer that
        // refused the fourth keeps it at 3.
        var loopback = AssociationScaler()
        loopback.noteSetUp(seconds: 0.0004)
        #expect(loopback.noteStored(bytes: 524_288, seconds: 0.002) == AssociationScaler.minimum)
        var satellite = AssociationScaler()
        satellite.noteSetUp(seconds: 1.2)
        #expect(satellite.noteStored(bytes: 1_000_000, seconds: 1.6) == 5)
        #expect(satellite.noteStored(bytes: 1_000_000, seconds: 0.9, sharing: 4) == AssociationScaler.maximum)
        var refused = AssociationScaler()
        refused.noteSetUp(seconds: 1.2)
        #expect(refused.cap(at: 3) && !refused.cap(at: 3))
        #expect(refused.noteStored(bytes: 100_000, seconds: 0.68) == 3)
    }

    /// A small generated stroke study, as items to send.
    static func study(_ name: String) throws -> (folder: URL, items: [StoreSender.Item]) {
        let folder = try TestPaths.temporaryFolder(name)
        try StrokeStudy(scale: 0.03, seed: 4).write(to: folder)
        let files = (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { $0.pathExtension == "dcm" }
        return (folder, files.map { StoreSender.Item(url: $0, displayPath: $0.path) })
    }

    /// Through a 40 Mbit/s link with a 200 ms round trip, the sender opens more than the minimum, and the
    /// shaper sees them open at once.
    @Test func aLongLinkGetsMoreAssociations() throws {
        let (folder, items) = try Self.study("auto-associations")
        defer { try? FileManager.default.removeItem(at: folder) }
        let receiver = try StorageReceiver(aeTitle: "PEER", port: Processes.freePort(), outputFolder: nil, maxAssociations: 32)
        defer { receiver.stop() }
        let shaper = try LinkShaper(link: try LinkProfile(parsing: "40mbit/200ms"), upstreamPort: receiver.port)
        defer { shaper.stop() }
        var options = StoreSender.Options(peer: PeerAddress("PEER@127.0.0.1:\(shaper.port)")!)
        AssociationCount("auto")!.apply(to: &options)
        let notices = Locked<[String]>([])
        let summary = try StoreSender(options: options).send(items,
                                                             notice: { line in notices.withLock { $0.append(line) } }) { _, _ in }
        #expect(summary.stored == items.count && summary.failed == 0)
        #expect(summary.associations >= 3, "\(notices.withLock { $0 })")
        #expect(shaper.statistics.peakConnections >= 3)
        #expect(notices.withLock { $0 }.last?.contains("associations") == true)
    }

    /// A peer that takes three associations from a caller: auto stops growing there, and no file fails.
    @Test func thePeersLimitStopsTheGrowth() throws {
        let (folder, items) = try Self.study("auto-limit")
        defer { try? FileManager.default.removeItem(at: folder) }
        var receiverOptions = StorageReceiver.Options(port: Processes.freePort(), outputFolder: nil)
        (receiverOptions.aeTitle, receiverOptions.maxPerHost) = ("PEER", 3)
        let receiver = try StorageReceiver(options: receiverOptions)
        defer { receiver.stop() }
        // Long enough that auto wants many more than three, even from a slow first store on a busy machine.
        let shaper = try LinkShaper(link: try LinkProfile(parsing: "100mbit/400ms"), upstreamPort: receiver.port)
        defer { shaper.stop() }
        var options = StoreSender.Options(peer: PeerAddress("PEER@127.0.0.1:\(shaper.port)")!)
        options.automaticAssociations = true
        let notices = Locked<[String]>([])
        let summary = try StoreSender(options: options).send(items,
                                                             notice: { line in notices.withLock { $0.append(line) } }) { _, _ in }
        #expect(summary.stored == items.count && summary.failed == 0, "\(notices.withLock { $0 })")
        // The limit is what was open when the peer refused one more: three, or fewer if a refusal came first.
        let limits = notices.withLock { $0 }.compactMap { line in
            line.range(of: "refuses more than ").map { Int(line[$0.upperBound...].prefix { $0.isNumber }) ?? 0 }
        }
        #expect(limits.count == 1 && (AssociationScaler.minimum...3).contains(limits[0]), "\(notices.withLock { $0 })")
    }
}
