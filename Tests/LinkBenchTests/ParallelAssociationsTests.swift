import DicomNetwork
import Foundation
import SyntheticStudy
import TestSupport
import Testing

@testable import LinkBench
@testable import LinkEmulation

/// The sender's associations run at once, however few cores the machine has: through a link with a long
/// round trip, every association is open at the same moment (the shaper counts them). A sender that ran
/// them on a pool the size of the cores would show two here.
@Suite struct ParallelAssociationsTests {
    @Test func everyAssociationIsOpenAtOnce() throws {
        let folder = try TestPaths.temporaryFolder("parallel")
        defer { try? FileManager.default.removeItem(at: folder) }
        let study = StrokeStudy(scale: 0.006, seed: 2)
        try study.write(to: folder)
        let files = (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { $0.pathExtension == "dcm" }
        #expect(files.count >= 6)
        let receiver = try StorageReceiver(aeTitle: "PEER", port: Processes.freePort(), outputFolder: nil, maxAssociations: 16)
        defer { receiver.stop() }
        let shaper = try LinkShaper(link: try LinkProfile(parsing: "unlimited/300ms"), upstreamPort: receiver.port)
        defer { shaper.stop() }
        var options = StoreSender.Options(peer: PeerAddress("PEER@127.0.0.1:\(shaper.port)")!)
        options.associations = 6
        let summary = try StoreSender(options: options).send(files.map { StoreSender.Item(url: $0, displayPath: $0.path) }) { _, _ in }
        #expect(summary.stored == files.count && summary.associations == 6)
        #expect(shaper.statistics.peakConnections == 6, "peak \(shaper.statistics.peakConnections) of 6 associations open at once")
    }
}
