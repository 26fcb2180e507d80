import Foundation

/// pynetdicom's storage SCP (PyPI, installed by `make test`), bound to 127.0.0.1 and configurable to answer
/// the way real archives do on bad days: a warning status, only some SOP classes, a strict called AE title.
public final class PynetdicomPeer: Sendable {
    public let port: UInt16
    public let inbox: URL
    public let aeTitle = "PYNET"
    private let ownsInbox: Bool
    private let peer: PeerProcess

    static let script = """
        import sys, threading, time
        from pydicom.dataset import Dataset
        from pynetdicom import AE, evt, AllStoragePresentationContexts, StoragePresentationContexts
        import os
        port, inbox, status, only_ct, strict = int(sys.argv[1]), sys.argv[2], int(sys.argv[3], 16), sys.argv[4] == "1", sys.argv[5] == "1"
        die_after = int(sys.argv[6])
        syntaxes = sys.argv[7].split(",") if sys.argv[7] != "-" else None
        commitment = sys.argv[8]
        answer_delay = float(sys.argv[9])
        stored = [0]
        def action(event):
            # Storage Commitment: answered after the N-ACTION response, on the same association ("same"),
            # or never ("never"): every referenced instance committed.
            request = event.action_information
            if commitment == "same":
                def report():
                    time.sleep(0.2)
                    answer = Dataset()
                    answer.TransactionUID = request.TransactionUID
                    answer.ReferencedSOPSequence = request.ReferencedSOPSequence
                    event.assoc.send_n_event_report(answer, 1, "1.2.840.10008.1.20.1", "1.2.840.10008.1.20.1.1")
                threading.Thread(target=report).start()
            return 0x0000, None
        def store(event):
            if die_after and stored[0] >= die_after:
                os._exit(1)  # the archive crashes in the middle of a study, before answering
            time.sleep(answer_delay)  # a peer that takes the object and keeps silent
            ds = event.dataset
            ds.file_meta = event.file_meta
            ds.save_as(f"{inbox}/{ds.SOPInstanceUID}.dcm", enforce_file_format=True)
            with open(f"{inbox}.priorities", "a") as priorities:
                priorities.write(f"{ds.SOPInstanceUID} {event.request.Priority}\\n")
            stored[0] += 1
            return status
        ae = AE(ae_title="PYNET")
        ae.require_called_aet = strict
        if only_ct:
            ae.add_supported_context("1.2.840.10008.5.1.4.1.1.2", syntaxes)
        elif syntaxes:
            for context in AllStoragePresentationContexts:
                ae.add_supported_context(context.abstract_syntax, syntaxes)
        else:
            ae.supported_contexts = AllStoragePresentationContexts
        if commitment != "none":
            ae.add_supported_context("1.2.840.10008.1.20.1")
        ae.start_server(("127.0.0.1", port), block=True, evt_handlers=[(evt.EVT_C_STORE, store), (evt.EVT_N_ACTION, action)])
        """

    /// `status` is returned for every C-STORE (0x0000, or a warning like 0xB007); with `dieAfter` > 0 the
    /// process exits abruptly on the request after that many stored objects. `inbox` may be shared between
    /// successive peers (a restarted archive keeps what it stored). `acceptedSyntaxes` limits the transfer
    /// syntaxes it accepts (an archive that stores only compressed images). `port` brings a restarted archive
    /// back on its own port (0: a free one). `answerDelaySeconds`: each C-STORE is answered that long after it
    /// arrived (a peer that takes the object and keeps silent).
    /// As a Storage Commitment provider: not at all, answering every request on the same association, or
    /// never answering.
    public enum Commitment: String, Sendable {
        case none
        case sameAssociation = "same"
        case never
    }

    public init(status: UInt16 = 0, onlyCTImageStorage: Bool = false, strictCalledAETitle: Bool = false,
                dieAfter: Int = 0, acceptedSyntaxes: [String]? = nil, commitment: Commitment = .none, inbox: URL? = nil,
                port: UInt16 = 0, answerDelaySeconds: Double = 0) throws {
        guard let python = Processes.which("python3") else { throw PeerError("python3 is missing") }
        ownsInbox = inbox == nil
        self.inbox = try inbox ?? TestPaths.temporaryFolder("pynetdicom-in")
        let scriptFile = FileManager.default.temporaryDirectory.appendingPathComponent("pynetdicom-scp-\(UUID().uuidString).py")
        try Self.script.write(to: scriptFile, atomically: true, encoding: .utf8)
        self.port = port != 0 ? port : Processes.freePort()
        peer = try PeerProcess(python, [scriptFile.path, "\(self.port)", self.inbox.path, String(status, radix: 16),
                                        onlyCTImageStorage ? "1" : "0", strictCalledAETitle ? "1" : "0", "\(dieAfter)",
                                        acceptedSyntaxes?.joined(separator: ",") ?? "-", commitment.rawValue, "\(answerDelaySeconds)"],
                                port: self.port)
    }

    public var received: [String] { (try? FileManager.default.contentsOfDirectory(atPath: inbox.path)) ?? [] }

    /// The C-STORE priority of each stored request as pynetdicom read it, by SOP Instance UID (0 medium,
    /// 1 high, 2 low).
    public var priorities: [String: Int] {
        let text = (try? String(contentsOf: URL(fileURLWithPath: inbox.path + ".priorities"), encoding: .utf8)) ?? ""
        return Dictionary(text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            return parts.count == 2 ? (String(parts[0]), Int(parts[1]) ?? -1) : nil
        }) { $1 }
    }

    public func stop() {
        peer.stop()
        if ownsInbox {
            try? FileManager.default.removeItem(at: inbox)
            try? FileManager.default.removeItem(atPath: inbox.path + ".priorities")
        }
    }

    deinit { stop() }
}
