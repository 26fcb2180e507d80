import DicomCodecs
import DicomCore
import DicomNetwork
import Foundation
import TestSupport
import Testing

/// The receiver as an attacker on the hospital network meets it: idle sockets, wrong or unlisted AE
/// titles, other interfaces, forged overwrites, objects whose UIDs do not match their request.
@Suite struct ReceiverDefenceTests {
    static func receiver(_ configure: (inout StorageReceiver.Options) -> Void = { _ in }) throws -> (StorageReceiver, ReceiverEvents, URL) {
        let inbox = try TestPaths.temporaryFolder("defence")
        let events = ReceiverEvents()
        var options = StorageReceiver.Options(port: Processes.freePort(), outputFolder: inbox)
        options.events = { events.add($0) }
        configure(&options)
        return (try StorageReceiver(options: options), events, inbox)
    }

    static func peer(_ receiver: StorageReceiver, _ title: String = "TELERAD") -> PeerAddress {
        PeerAddress("\(title)@127.0.0.1:\(receiver.port)")!
    }

    static func send(_ url: URL, to receiver: StorageReceiver, calling: String = "SENDER") throws -> SendOutcomes {
        var options = StoreSender.Options(peer: peer(receiver))
        options.callingAETitle = calling
        options.retries = 0
        let outcomes = SendOutcomes()
        _ = try StoreSender(options: options).send([StoreSender.Item(url: url, displayPath: url.lastPathComponent)], report: outcomes.add)
        return outcomes
    }

    static func dicomFiles(_ folder: URL) -> [String] {
        // The digests the receiver keeps for Storage Commitment are its own; anything else is a leftover.
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0 != ".digests" }.sorted()
    }

    /// Ten connections that never send an association request (from another address) hold nobody up:
    /// an echo from an allowed peer answers at once, the connections over the per-address cap are rejected,
    /// and stopping does not wait for the idle ones.
    @Test func idleConnectionsDelayNobody() throws {
        let (receiver, events, inbox) = try Self.receiver { $0.maxPerHost = 4; $0.associationTimeoutSeconds = 30 }
        defer { receiver.stop(); try? FileManager.default.removeItem(at: inbox) }
        let idle = try (0..<10).map { _ in try RawConnection(to: receiver.port, from: "127.0.0.2") }
        let start = Date()
        _ = try Verification.echo(Self.peer(receiver), callingAETitle: "ALLOWED", timeoutSeconds: 5)
        #expect(Date().timeIntervalSince(start) < 1.0, "the echo waited on idle sockets")
        usleep(300_000)
        #expect(events.refusals.filter { $0.hasPrefix("127.0.0.2: association rejected (transient, local limit exceeded)") }.count == 6,
                "\(events.refusals)")
        let stopping = Date()
        withExtendedLifetime(idle) { receiver.stop() }  // the idle connections are still open while it stops
        #expect(Date().timeIntervalSince(stopping) < 2.0)
    }

    @Test func aConnectionThatSendsNothingIsClosedAfterTheAssociationTimeout() throws {
        let (receiver, events, inbox) = try Self.receiver { $0.associationTimeoutSeconds = 1 }
        defer { receiver.stop(); try? FileManager.default.removeItem(at: inbox) }
        let idle = try RawConnection(to: receiver.port)
        var byte: UInt8 = 0
        let start = Date()
        #expect(read(idle.descriptor, &byte, 1) == 0, "closed by the receiver")
        #expect(Date().timeIntervalSince(start) < 3)
        #expect(events.refusals.contains { $0.contains("no association request within 1 s") }, "\(events.refusals)")
    }

    @Test func theCalledAETitleMustBeOurs() throws {
        let (receiver, events, inbox) = try Self.receiver { $0.aeTitle = "ISLAND" }
        defer { receiver.stop(); try? FileManager.default.removeItem(at: inbox) }
        let error = #expect(throws: DicomError.self) {
            _ = try Verification.echo(Self.peer(receiver, "NOT_US"), callingAETitle: "EVIL", timeoutSeconds: 5)
        }
        #expect(error?.message.contains("Called AE Title Not Recognized") == true, "\(String(describing: error))")
        // One line per rejected association (the sender asks twice to learn the reason).
        #expect(!events.refusals.isEmpty && events.refusals.allSatisfy {
            $0 == "127.0.0.1 EVIL: association rejected (permanent): called AE title 'NOT_US' is not ours (ISLAND)"
        }, "\(events.refusals)")
        _ = try Verification.echo(Self.peer(receiver, "ISLAND"), callingAETitle: "EVIL", timeoutSeconds: 5)
    }

    @Test func onlyListedCallersFromTheirHostsAreAccepted() throws {
        let (receiver, events, inbox) = try Self.receiver {
            $0.allow = [AllowedPeer("CHU-PACS")!, AllowedPeer("ISLAND-CT@127.0.0.1")!, AllowedPeer("FAR-CT@10.255.255.1")!]
        }
        defer { receiver.stop(); try? FileManager.default.removeItem(at: inbox) }
        _ = try Verification.echo(Self.peer(receiver), callingAETitle: "CHU-PACS", timeoutSeconds: 5)
        _ = try Verification.echo(Self.peer(receiver), callingAETitle: "ISLAND-CT", timeoutSeconds: 5)
        for calling in ["EVIL", "FAR-CT"] {
            let error = #expect(throws: DicomError.self) {
                _ = try Verification.echo(Self.peer(receiver), callingAETitle: calling, timeoutSeconds: 5)
            }
            #expect(error?.message.contains("Calling AE Title Not Recognized") == true, "\(String(describing: error))")
        }
        #expect(events.refusals.count >= 2 && events.refusals.allSatisfy { $0.contains("is not on the allow-list") }, "\(events.refusals)")
        #expect(events.refusals.contains { $0.hasPrefix("127.0.0.1 EVIL:") } && events.refusals.contains { $0.hasPrefix("127.0.0.1 FAR-CT:") })
        let outcomes = try Self.send(TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm"), to: receiver, calling: "EVIL")
        #expect(outcomes.failed == 1 && Self.dicomFiles(inbox).isEmpty)
    }

    @Test func bindingToOneAddressLeavesTheOthersClosed() throws {
        let (bound, _, inbox) = try Self.receiver { $0.bindAddress = "127.0.0.1" }
        defer { bound.stop(); try? FileManager.default.removeItem(at: inbox) }
        #expect(throws: PeerError.self) { _ = try RawConnection(to: bound.port, host: "127.0.0.2") }
        _ = try RawConnection(to: bound.port, host: "127.0.0.1")
        let (everywhere, _, other) = try Self.receiver()
        defer { everywhere.stop(); try? FileManager.default.removeItem(at: other) }
        _ = try RawConnection(to: everywhere.port, host: "127.0.0.2")
    }

    /// Another object under an already stored SOP Instance UID is refused and the first copy kept; the same
    /// object again (a sender's retry after a lost confirmation), even in another syntax, is a success and
    /// changes nothing.
    @Test func aForgedOverwriteIsRefusedAndTheFirstCopyKept() throws {
        let (receiver, events, inbox) = try Self.receiver()
        defer { receiver.stop(); try? FileManager.default.removeItem(at: inbox) }
        let ct = TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm")
        #expect(try Self.send(ct, to: receiver).stored == 1)
        let uid = try #require(try DicomObject(contentsOf: ct).string(.sopInstanceUID))
        let stored = inbox.appendingPathComponent("\(uid).dcm")
        let first = try Data(contentsOf: stored)

        let forged = try DicomObject(contentsOf: TestPaths.dicomSamples.appendingPathComponent("MR_small.dcm"))
        try forged.set(.sopInstanceUID, uid)
        try forged.set(.patientName, "INTRUDER^EVE")
        let forgedFile = inbox.deletingLastPathComponent().appendingPathComponent("forged-\(receiver.port).dcm")
        defer { try? FileManager.default.removeItem(at: forgedFile) }
        try forged.write(to: forgedFile)
        let refused = try Self.send(forgedFile, to: receiver)
        #expect(refused.failed == 1 && refused.failures.first?.contains("0x0111") == true, "\(refused.failures)")
        #expect(try Data(contentsOf: stored) == first)
        #expect(events.refusals.contains { $0.contains("refused (0x0111)") }, "\(events.refusals)")

        #expect(try Self.send(ct, to: receiver).stored == 1)
        #expect(try Data(contentsOf: stored) == first)

        // The same object compressed losslessly (a retry that travelled in another syntax) is the same object.
        let compressed = inbox.deletingLastPathComponent().appendingPathComponent("jls-\(receiver.port).dcm")
        defer { try? FileManager.default.removeItem(at: compressed) }
        try Transcoder.transcode(try DicomObject(contentsOf: ct), to: .jpegLS).object.write(to: compressed)
        #expect(try Self.send(compressed, to: receiver).stored == 1)
        #expect(try Data(contentsOf: stored) == first)
        #expect(Self.dicomFiles(inbox) == ["\(uid).dcm"], "no temporary file left")
    }

    /// pynetdicom sends a C-STORE whose request names other UIDs than the object it carries, or UIDs that
    /// are not UIDs: each is refused with its status, and nothing is stored.
    @Test(arguments: [
        ("mismatched instance", "1.2.826.0.1.3680043.2.1143.1", "", "0x0117"),
        ("mismatched class", "", "1.2.840.10008.5.1.4.1.1.4", "0xA900"),
        ("path in the UID", "../../../x", "", "0x0117"),
    ])
    func requestsThatLieAboutTheirObjectAreRefused(_ attack: String, requestUID: String, requestClass: String, expected: String) throws {
        let python = try #require(Processes.which("python3"))
        let (receiver, _, inbox) = try Self.receiver()
        defer { receiver.stop(); try? FileManager.default.removeItem(at: inbox) }
        let script = """
            import sys
            from pydicom import dcmread
            from pynetdicom import AE, association
            port, path, request_uid, request_class = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
            real = dcmread(path)
            claimed = dcmread(path)
            if request_uid: claimed.SOPInstanceUID = request_uid
            if request_class: claimed.SOPClassUID = request_class
            original_encode = association.encode
            association.encode = lambda ds, *rest: original_encode(real, *rest)  # the object as it really is
            ae = AE(ae_title="FORGER")
            ae.add_requested_context(real.SOPClassUID, real.file_meta.TransferSyntaxUID)
            if request_class: ae.add_requested_context(request_class, real.file_meta.TransferSyntaxUID)
            assoc = ae.associate("127.0.0.1", port, ae_title="TELERAD")
            status = assoc.send_c_store(claimed)
            print("0x%04X" % status.Status if "Status" in status else "none")
            assoc.release()
            """
        let ct = TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm")
        let result = try Processes.run(python, ["-c", script, "\(receiver.port)", ct.path, requestUID, requestClass])
        #expect(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == expected, "\(attack): \(result.stderr)")
        #expect(Self.dicomFiles(inbox).isEmpty, "\(attack): nothing stored")
    }

    /// A Storage Commitment request of 200,000 references (about 22 MB) is refused as a resource limitation
    /// without being held in memory whole; the association goes on: a small request is then answered.
    @Test func anOversizedCommitmentRequestIsRefused() throws {
        let inbox = try TestPaths.temporaryFolder("commit-flood")
        defer { try? FileManager.default.removeItem(at: inbox) }
        let receiver = try StorageReceiver(port: Processes.freePort(), outputFolder: inbox)
        defer { receiver.stop() }
        let association = try StoreAssociation(
            callingAETitle: "FLOOD", calledAETitle: "TELERAD", host: "127.0.0.1", port: receiver.port, timeouts: NetworkTimeouts(all: 30),
            maxPDU: 131_072, contexts: [StoreAssociation.commitmentContext], tls: nil)
        defer { association.close(abort: false) }
        let references = (0..<200_000).map { ("1.2.840.10008.5.1.4.1.1.2", "1.2.826.0.1.3680043.2.1125.\($0).11111111111111111111") }
        #expect(try association.requestCommitment(transactionUID: "2.25.1", of: references).rawValue == 0x0213)
        #expect(try association.requestCommitment(transactionUID: "2.25.2", of: [references[0]]).rawValue == 0)
        let report = try #require(try association.waitForCommitmentReport(seconds: 10))
        #expect(report.transactionUID == "2.25.2" && report.failed.map(\.reason) == [0x0112])
    }

    @Test func anObjectOverTheSizeLimitIsRefusedAndTheNextOneStored() throws {
        let (receiver, events, inbox) = try Self.receiver { $0.maxObjectBytes = 20_000 }
        defer { receiver.stop(); try? FileManager.default.removeItem(at: inbox) }
        let large = try Self.send(TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm"), to: receiver)
        #expect(large.failed == 1 && large.failures.first?.contains("0xA700") == true, "\(large.failures)")
        #expect(events.refusals.contains { $0.contains("larger than the receiver's limit of 20000 bytes") }, "\(events.refusals)")
        #expect(Self.dicomFiles(inbox).isEmpty)
        #expect(try Self.send(TestPaths.dicomSamples.appendingPathComponent("MR_small.dcm"), to: receiver).stored == 1)
    }
}
