import DicomCodecs
import DicomCore
@testable import DicomNetwork
import Foundation
import SyntheticStudy
import TestSupport
import Testing

@Suite struct StoreTests {
    /// A folder with a small generated study, and its SOP Instance UIDs.
    func study(_ name: String, scale: Double = 0.01) throws -> (folder: URL, items: [StoreSender.Item], uids: Set<String>) {
        let folder = try TestPaths.temporaryFolder(name)
        try StrokeStudy(scale: scale, seed: 12).write(to: folder, jobs: 2)
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".dcm") }.sorted()
        let items = files.map { StoreSender.Item(url: folder.appendingPathComponent($0), displayPath: $0) }
        let uids = Set(try items.map { try #require(try DicomObject(contentsOf: $0.url).string(.sopInstanceUID)) })
        return (folder, items, uids)
    }

    func storescp(_ extra: [String], into folder: URL) throws -> PeerProcess {
        let storescp = try #require(Processes.system("storescp"))
        let port = Processes.freePort()
        return try PeerProcess(storescp, ["--aetitle", "PEER", "--output-directory", folder.path] + extra + ["\(port)"], port: port)
    }

    func received(_ folder: URL) throws -> [String: DicomObject] {
        var objects: [String: DicomObject] = [:]
        for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) {
            let object = try DicomObject(contentsOf: file)
            objects[try #require(try object.string(.sopInstanceUID))] = object
        }
        return objects
    }

    /// The streaming sender's workers take files from one queue as they are fed, DCMTK's storescp the
    /// oracle: every instance arrives exactly once, and a rerun with the journal sends nothing.
    @Test func streamedFilesReachDcmtkExactlyOnce() throws {
        let (source, items, uids) = try study("store-stream")
        let inbox = try TestPaths.temporaryFolder("inbox-stream")
        defer { try? FileManager.default.removeItem(at: source); try? FileManager.default.removeItem(at: inbox) }
        let peer = try storescp([], into: inbox)
        defer { peer.stop() }
        var options = StoreSender.Options(peer: PeerAddress("PEER@127.0.0.1:\(peer.port)")!)
        options.journal = inbox.deletingLastPathComponent().appendingPathComponent("stream-\(UUID().uuidString).journal")
        options.associations = 4
        let outcomes = SendOutcomes()
        let summary = try StoreSender(options: options).send(streaming: { enqueue in
            for item in items {
                enqueue(item)
                usleep(2_000)  // a feeder slower than the senders: workers wait, then take
            }
        }, idleReleaseSeconds: 5, report: outcomes.add)
        #expect(summary.stored == items.count && summary.failed == 0, "\(outcomes.failures)")
        #expect(Set(try received(inbox).keys) == uids)
        #expect(outcomes.list.count == items.count, "one outcome per file")
        let rerun = try StoreSender(options: options).send(streaming: { enqueue in items.forEach(enqueue) }, idleReleaseSeconds: 5) { _, _ in }
        #expect(rerun.skipped == items.count && rerun.associations == 0)
    }

    @Test func everyInstanceArrivesWithIdenticalPixelsAndTheJournalPreventsResending() throws {
        let (source, items, uids) = try study("store")
        let inbox = try TestPaths.temporaryFolder("inbox")
        defer { try? FileManager.default.removeItem(at: source); try? FileManager.default.removeItem(at: inbox) }
        let peer = try storescp([], into: inbox)
        defer { peer.stop() }
        var options = StoreSender.Options(peer: PeerAddress("PEER@127.0.0.1:\(peer.port)")!)
        options.associations = 3
        options.journal = inbox.deletingLastPathComponent().appendingPathComponent("journal-\(peer.port).txt")
        defer { try? FileManager.default.removeItem(at: options.journal!) }

        let first = SendOutcomes()
        let summary = try StoreSender(options: options).send(items, report: first.add)
        #expect(first.stored == items.count && first.failed == 0)
        #expect(summary.associations == 3)
        let arrived = try received(inbox)
        #expect(Set(arrived.keys) == uids)
        for item in items {
            let original = try DicomObject(contentsOf: item.url)
            #expect(try arrived[try #require(try original.string(.sopInstanceUID))]?.decodedPixelData() == original.decodedPixelData())
        }
        let journal = try String(contentsOf: options.journal!, encoding: .utf8).split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(Set(journal) == uids && journal.count == uids.count)

        // The rerun sends nothing: every instance is already confirmed.
        let second = SendOutcomes()
        let again = try StoreSender(options: options).send(items, report: second.add)
        #expect(second.skipped == items.count && again.stored == 0 && again.associations == 0)
    }

    @Test func compressedFilesTravelCompressedWhenAcceptedAndAreDecompressedOtherwise() throws {
        let (source, items, _) = try study("jls", scale: 0.003)
        defer { try? FileManager.default.removeItem(at: source) }
        // JPEG-LS copies of the study.
        let compressed = try TestPaths.temporaryFolder("jls-out")
        defer { try? FileManager.default.removeItem(at: compressed) }
        var jlsItems: [StoreSender.Item] = []
        for item in items {
            let url = compressed.appendingPathComponent(item.url.lastPathComponent + "-\(jlsItems.count).dcm")
            try Transcoder.transcode(try DicomObject(contentsOf: item.url), to: .jpegLS).object.write(to: url)
            jlsItems.append(StoreSender.Item(url: url, displayPath: url.lastPathComponent))
        }
        for (flags, expected) in [(["+xa"], TransferSyntax.jpegLSLossless), ([String](), .explicitLittleEndian)] {
            let inbox = try TestPaths.temporaryFolder("inbox-jls")
            defer { try? FileManager.default.removeItem(at: inbox) }
            let peer = try storescp(flags, into: inbox)
            defer { peer.stop() }
            let outcomes = SendOutcomes()
            _ = try StoreSender(options: StoreSender.Options(peer: PeerAddress("PEER@127.0.0.1:\(peer.port)")!)).send(jlsItems, report: outcomes.add)
            #expect(outcomes.stored == jlsItems.count, "\(flags)")
            for (_, outcome) in outcomes.list {
                if case .stored(_, _, let syntax, _, _, let original) = outcome {
                    #expect(syntax == expected, "\(flags)")
                    #expect(original == .jpegLSLossless)
                }
            }
            for object in try received(inbox).values { #expect(object.transferSyntax == expected) }
        }
    }

    @Test func anAbortingPeerLosesNothingAndARerunCompletesTheSetExactlyOnce() throws {
        let (source, items, uids) = try study("abort")
        let inbox = try TestPaths.temporaryFolder("inbox-abort")
        let journal = inbox.deletingLastPathComponent().appendingPathComponent("journal-abort-\(UUID().uuidString).txt")
        defer {
            for url in [source, inbox, journal] { try? FileManager.default.removeItem(at: url) }
        }
        var options = StoreSender.Options(peer: PeerAddress("PEER@127.0.0.1:1")!)
        options.journal = journal
        options.associations = 2
        options.retries = 1
        options.backoffSeconds = 0.05
        do {
            // storescp aborts every association after receiving a C-STORE request, before answering it.
            let peer = try storescp(["--abort-after"], into: inbox)
            defer { peer.stop() }
            options.peer = PeerAddress("PEER@127.0.0.1:\(peer.port)")!
            let outcomes = SendOutcomes()
            let summary = try StoreSender(options: options).send(items, report: outcomes.add)
            #expect(outcomes.list.count == items.count, "every file gets exactly one outcome")
            #expect(outcomes.failed == items.count, "nothing was confirmed, so nothing may be reported stored")
            #expect(summary.retries > 0)
        }
        #expect(((try? String(contentsOf: journal, encoding: .utf8)) ?? "").isEmpty)
        let peer = try storescp([], into: inbox)
        defer { peer.stop() }
        options.peer = PeerAddress("PEER@127.0.0.1:\(peer.port)")!
        let outcomes = SendOutcomes()
        _ = try StoreSender(options: options).send(items, report: outcomes.add)
        #expect(outcomes.stored == items.count)
        #expect(Set(try received(inbox).keys) == uids)
        let lines = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(lines.count == uids.count && Set(lines) == uids, "each instance confirmed exactly once")
    }

    @Test func unreachableAndRefusingPeersFailEveryFileWithTheCause() throws {
        let (source, items, _) = try study("unreachable", scale: 0.002)
        defer { try? FileManager.default.removeItem(at: source) }
        var options = StoreSender.Options(peer: PeerAddress("PEER@127.0.0.1:\(Processes.freePort())")!)
        options.retries = 1
        options.backoffSeconds = 0.05
        options.timeoutSeconds = 3
        let outcomes = SendOutcomes()
        let summary = try StoreSender(options: options).send(items, report: outcomes.add)
        #expect(outcomes.failed == items.count && summary.connectionFailed)
        if case .failed(let message) = outcomes.list.first?.1 { #expect(message.contains("Connection refused"), "\(message)") }

        let inbox = try TestPaths.temporaryFolder("inbox-refuse")
        defer { try? FileManager.default.removeItem(at: inbox) }
        let peer = try storescp(["--refuse"], into: inbox)
        defer { peer.stop() }
        options.peer = PeerAddress("PEER@127.0.0.1:\(peer.port)")!
        let refused = SendOutcomes()
        _ = try StoreSender(options: options).send(items, report: refused.add)
        #expect(refused.failed == items.count)
        if case .failed(let message) = refused.list.first?.1 { #expect(message.lowercased().contains("reject"), "\(message)") }
    }

    @Test func contextsAreSplitPast128AndFilesBalancedByBytes() {
        func planned(_ index: Int, size: Int, syntax: TransferSyntax = .explicitLittleEndian) -> StoreSender.Planned {
            StoreSender.Planned(item: StoreSender.Item(url: URL(fileURLWithPath: "/x\(index)"), displayPath: "x\(index)"),
                                sopClass: "1.2.3.\(index)", syntax: syntax, uid: "9.\(index)", size: size)
        }
        // 100 SOP classes in JPEG-LS need 200 contexts: two associations' worth.
        let many = (0..<100).map { planned($0, size: 1, syntax: .jpegLSLossless) }
        let groups = ContextPlan.groups(many)
        #expect(groups.map(\.contexts.count) == [128, 72])
        #expect(groups.map(\.files.count) == [64, 36])
        #expect(ContextPlan.contexts(sopClass: "1.2", syntax: .jpegLSLossless) == ["1.2|1.2.840.10008.1.2.4.80", "1.2|1.2.840.10008.1.2.1,1.2.840.10008.1.2"])
        #expect(ContextPlan.contexts(sopClass: "1.2", syntax: .explicitLittleEndian) == ["1.2|1.2.840.10008.1.2.1,1.2.840.10008.1.2", "1.2|1.2.840.10008.1.2.4.80"])
        // One 10-unit file and ten 1-unit files on two lanes: 10 against 10.
        let lanes = ContextPlan.balance([planned(0, size: 10)] + (1...10).map { planned($0, size: 1) }, lanes: 2)
        #expect(lanes.map { $0.reduce(0) { $0 + $1.size } } == [10, 10])
    }
}
