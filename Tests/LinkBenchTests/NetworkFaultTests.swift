import DicomCore
import DicomNetwork
import Foundation
import SyntheticStudy
import TestSupport
import Testing

@testable import LinkBench
@testable import LinkEmulation

/// Bad days on the link, against the embedded receiver and DCMTK's storescp: the link shaper cuts
/// connections after a number of bytes or at random, never answers, or answers slowly. Each run ends with
/// every instance either confirmed or reported failed (never both, never silent), the journal holds exactly
/// the confirmed ones, and a rerun on a good link sends only the rest and completes the set.
@Suite struct NetworkFaultTests {
    enum Peer: String, CaseIterable, CustomTestStringConvertible {
        case embedded, storescp
        var testDescription: String { rawValue }
    }

    enum Fault: String, CaseIterable, CustomTestStringConvertible {
        case closesAfterBytes, closesMidFirstObject, dropsAtRandom, neverAnswers, answersSlowly
        var testDescription: String { rawValue }

        var link: LinkProfile {
            switch self {
            case .closesAfterBytes, .closesMidFirstObject:
                // About two and a half CT slices per connection, or less than one: connections die mid-object.
                var link = LinkProfile(name: "cut", rateBitsPerSecond: nil, roundTripSeconds: 0.002)
                link.dropAfterBytes = self == .closesAfterBytes ? 1_300_000 : 400_000
                return link
            case .dropsAtRandom:
                var link = LinkProfile(name: "flaky", rateBitsPerSecond: 400e6, roundTripSeconds: 0.004)
                link.dropProbabilityPerMegabyte = 0.25
                return link
            case .neverAnswers: return LinkProfile(name: "void", rateBitsPerSecond: nil, roundTripSeconds: 20)
            case .answersSlowly: return LinkProfile(name: "slow", rateBitsPerSecond: 24e6, roundTripSeconds: 0.2)
            }
        }
    }

    /// A receiving peer: its port, how many objects it has stored (duplicates included) and which instances.
    final class RunningPeer {
        let port: UInt16
        let inbox: URL
        private let receiver: StorageReceiver?
        private let process: PeerProcess?

        init(_ kind: Peer, inbox: URL) throws {
            self.inbox = inbox
            switch kind {
            case .embedded:
                receiver = try StorageReceiver(aeTitle: "PEER", port: Processes.freePort(), outputFolder: inbox)
                process = nil
                port = receiver!.port
            case .storescp:
                // Unique file names: an instance stored twice would show as two files.
                let port = Processes.freePort()
                process = try PeerProcess(
                    try #require(Processes.system("storescp")),
                    ["--aetitle", "PEER", "--unique-filenames", "--output-directory", inbox.path, "\(port)"], port: port)
                receiver = nil
                self.port = port
            }
        }

        var arrivals: Int {
            receiver?.storedCount ?? ((try? FileManager.default.contentsOfDirectory(atPath: inbox.path)) ?? []).count
        }

        func receivedUIDs() throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(at: inbox, includingPropertiesForKeys: nil)
                .filter { !$0.lastPathComponent.hasPrefix(".") }
                .map { try #require(try DicomObject(contentsOf: $0).string(.sopInstanceUID)) })
        }

        func stop() {
            receiver?.stop()
            process?.stop()
        }
    }

    @Test(arguments: Peer.allCases, Fault.allCases)
    func everyInstanceIsConfirmedOrReportedAndARerunCompletesTheSet(peer kind: Peer, fault: Fault) throws {
        let root = try TestPaths.temporaryFolder("fault-\(kind)-\(fault)")
        defer { try? FileManager.default.removeItem(at: root) }
        let source = root.appendingPathComponent("study"), inbox = root.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try StrokeStudy(scale: 0.01, seed: 11).write(to: source)
        let files = (FileManager.default.enumerator(at: source, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { $0.pathExtension == "dcm" }
        let items = files.map { StoreSender.Item(url: $0, displayPath: $0.path) }
        let uids = Set(try files.map { try #require(try DicomObject(contentsOf: $0).string(.sopInstanceUID)) })
        #expect(uids.count == items.count && items.count >= 10)

        let peer = try RunningPeer(kind, inbox: inbox)
        defer { peer.stop() }
        var options = StoreSender.Options(peer: PeerAddress("PEER@127.0.0.1:\(peer.port)")!)
        options.journal = root.appendingPathComponent("journal.txt")
        options.associations = 2
        options.retries = 2
        options.backoffSeconds = 0.05
        options.timeoutSeconds = 2

        // The bad day.
        let first = SendOutcomes()
        let shaper = try LinkShaper(link: fault.link, upstreamPort: peer.port)
        let summary: StoreSender.Summary
        do {
            defer { shaper.stop() }
            options.peer = PeerAddress("PEER@127.0.0.1:\(shaper.port)")!
            summary = try StoreSender(options: options).send(items, report: first.add)
        }
        #expect(first.list.count == items.count, "one outcome per file")
        #expect(Set(first.list.map(\.0)).count == items.count)
        #expect(first.stored + first.failed == items.count)
        switch fault {
        case .closesAfterBytes, .dropsAtRandom: #expect(shaper.statistics.drops > 0 && summary.retries > 0)
        case .closesMidFirstObject, .neverAnswers: #expect(first.failed == items.count && summary.failed == items.count)
        case .answersSlowly: #expect(first.stored == items.count)
        }
        let confirmed = Set(first.confirmed)
        #expect(confirmed.count == first.stored)
        #expect(confirmed.isSubset(of: try peer.receivedUIDs()), "everything confirmed is really there")
        let journal = try String(contentsOf: options.journal!, encoding: .utf8).split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(journal.count == confirmed.count && Set(journal) == confirmed, "the journal holds exactly the confirmed")

        // The rerun on a good link to the same address (the journal counts per destination) sends only what
        // was not confirmed.
        let goodLink = try LinkShaper(link: LinkProfile.presets["lan"]!, upstreamPort: peer.port, listenPort: shaper.port)
        defer { goodLink.stop() }
        let second = SendOutcomes()
        _ = try StoreSender(options: options).send(items, report: second.add)
        #expect(second.skipped == confirmed.count && second.stored == items.count - confirmed.count && second.failed == 0)
        #expect(try peer.receivedUIDs() == uids)
        let lines = try String(contentsOf: options.journal!, encoding: .utf8).split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(lines.count == uids.count && Set(lines) == uids, "each instance confirmed exactly once")
        // A peer may hold an instance twice only when a cut swallowed its confirmation after it was stored
        // (C-STORE's at-least-once window; PACS deduplicate by SOP Instance UID): at most one per cut.
        #expect(peer.arrivals - uids.count <= shaper.statistics.drops, "arrivals \(peer.arrivals) for \(uids.count)")
        if fault == .answersSlowly || fault == .neverAnswers { #expect(peer.arrivals == uids.count) }
    }
}
