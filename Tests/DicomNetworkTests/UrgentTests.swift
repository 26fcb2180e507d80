import DicomCodecs
import DicomCore
import DicomNetwork
import Foundation
import SyntheticStudy
import TestSupport
import Testing

/// The non-contrast CT of a stroke study, queued behind the angiography and the perfusion, overtakes them
/// with `--urgent 'SeriesDescription~SANS INJECTION'`: the neuroradiologist sees it first.
@Suite(.serialized) struct UrgentTests {
    static func backlog() throws -> (folder: URL, items: [StoreSender.Item]) {
        let folder = try TestPaths.temporaryFolder("urgent")
        try StrokeStudy(scale: 0.1, seed: 5).write(to: folder, jobs: 2)
        // The routine series first, the urgent one last.
        let items = try ["3_CTP", "2_CTA", "1_NCCT"].flatMap { series in
            try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(series).path).sorted().map {
                StoreSender.Item(url: folder.appendingPathComponent("\(series)/\($0)"), displayPath: "\(series)/\($0)")
            }
        }
        return (folder, items)
    }

    static func sender(_ receiver: StorageReceiver) -> StoreSender {
        var options = StoreSender.Options(peer: PeerAddress("TELERAD@127.0.0.1:\(receiver.port)")!)
        options.associations = 1
        options.urgent = [UrgentRule("SeriesDescription~sans injection")!]
        return StoreSender(options: options)
    }

    @Test func rulesParseAndMatch() throws {
        let object = try DicomObject(contentsOf: TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm"))
        #expect(UrgentRule("Modality=ct")?.matches(object) == true)
        #expect(UrgentRule("Modality=MR")?.matches(object) == false)
        #expect(UrgentRule("(0008,0060)~^C")?.matches(object) == true)
        #expect(UrgentRule("NoSuchKeyword=1") == nil)
        #expect(UrgentRule("StudyDescription~(") == nil, "an invalid pattern is refused")
        #expect(UrgentRule("Modality") == nil)
    }

    /// Sends the backlog to an embedded receiver with `send`; the outcomes in the order they were reported.
    static func sendBacklog(
        _ send: (StoreSender, [StoreSender.Item], SendOutcomes) throws -> StoreSender.Summary
    ) throws -> (items: [StoreSender.Item], outcomes: SendOutcomes) {
        let (folder, items) = try backlog()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inbox = try TestPaths.temporaryFolder("urgent-inbox")
        defer { try? FileManager.default.removeItem(at: inbox) }
        let receiver = try StorageReceiver(port: Processes.freePort(), outputFolder: inbox)
        defer { receiver.stop() }
        let outcomes = SendOutcomes()
        let summary = try send(sender(receiver), items, outcomes)
        #expect(summary.stored == items.count)
        return (items, outcomes)
    }

    @Test func aListSendsTheUrgentSeriesFirst() throws {
        let (items, outcomes) = try Self.sendBacklog { sender, items, outcomes in try sender.send(items, report: outcomes.add) }
        let urgent = items.filter { $0.displayPath.hasPrefix("1_NCCT") }.count
        #expect(urgent > 0 && items.count > 100)
        #expect(outcomes.list.prefix(urgent).allSatisfy { $0.0.hasPrefix("1_NCCT") }, "\(outcomes.list.prefix(urgent + 2).map(\.0))")
    }

    /// The receiver notes who sent each object (0002,0017 and 0002,0018, read back by DCMTK's dcmdump);
    /// compressing keeps it, and `CallingAETitle=` selects on it.
    @Test func theCallingAETitleTheReceiverNotedSelectsUrgentObjects() throws {
        let inbox = try TestPaths.temporaryFolder("urgent-calling")
        defer { try? FileManager.default.removeItem(at: inbox) }
        let receiver = try StorageReceiver(port: Processes.freePort(), outputFolder: inbox)
        defer { receiver.stop() }
        var options = StoreSender.Options(peer: PeerAddress("TELERAD@127.0.0.1:\(receiver.port)")!)
        options.callingAETitle = "CT_URG"
        let sample = TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm")
        #expect(try StoreSender(options: options).send([StoreSender.Item(url: sample, displayPath: "CT")]) { _, _ in }.stored == 1)
        let stored = try #require(try FileManager.default.contentsOfDirectory(at: inbox, includingPropertiesForKeys: nil)
            .first { $0.pathExtension == "dcm" })
        let dump = try Processes.run(try #require(Processes.system("dcmdump")), ["-M", "+L", stored.path]).stdoutText
        #expect(dump.contains("(0002,0017) AE [CT_URG]") && dump.contains("(0002,0018) AE [TELERAD]"), "\(dump)")

        let compressed = inbox.appendingPathComponent("compressed.dcm")
        try Transcoder.transcode(try DicomObject(contentsOf: stored), to: .jpegLS).object.write(to: compressed)
        let object = try DicomObject(contentsOf: compressed)
        #expect(object.transferSyntax == .jpegLSLossless)
        #expect(UrgentRule("CallingAETitle=ct_urg")?.matches(object) == true)
        #expect(UrgentRule("CallingAETitle=MR_ROUTINE")?.matches(object) == false)
    }

    /// pynetdicom reads each request's priority: HIGH for the urgent CT, MEDIUM for the MR, in a list and
    /// in a stream.
    @Test func urgentObjectsGoWithPriorityHigh() throws {
        let samples = ["MR_small.dcm", "CT_small.dcm"].map { TestPaths.dicomSamples.appendingPathComponent($0) }
        let items = samples.map { StoreSender.Item(url: $0, displayPath: $0.lastPathComponent) }
        let uids = try samples.map { try #require(try DicomObject(contentsOf: $0).string(.sopInstanceUID)) }
        for streaming in [false, true] {
            let peer = try PynetdicomPeer()
            defer { peer.stop() }
            var options = StoreSender.Options(peer: PeerAddress("\(peer.aeTitle)@127.0.0.1:\(peer.port)")!)
            options.urgent = [UrgentRule("Modality=CT")!]
            let sender = StoreSender(options: options)
            let summary = streaming
                ? try sender.send(streaming: { enqueue in items.forEach(enqueue) }, idleReleaseSeconds: 5) { _, _ in }
                : try sender.send(items) { _, _ in }
            #expect(summary.stored == 2)
            #expect(peer.priorities == [uids[0]: 0, uids[1]: 1], "streaming \(streaming): \(peer.priorities)")
        }
    }

    /// Fed after the whole backlog, the urgent images still go out long before it is done.
    @Test func aStreamSendsTheUrgentSeriesAheadOfTheQueue() throws {
        let (items, outcomes) = try Self.sendBacklog { sender, items, outcomes in
            try sender.send(streaming: { enqueue in items.forEach(enqueue) }, idleReleaseSeconds: 5, report: outcomes.add)
        }
        let order = outcomes.list.map(\.0)
        let lastUrgent = try #require(order.lastIndex { $0.hasPrefix("1_NCCT") })
        #expect(lastUrgent < items.count / 2, "the last urgent image went out at \(lastUrgent + 1) of \(items.count)")
    }
}
