import DicomCore
import Foundation
import Locking

/// Asks the peer to take custody of what it stored (Storage Commitment, Push Model, PS3.4 Annex J) and
/// collects the answers: on the association that asked, or on associations the archive opens towards us
/// (`listenPort`, which accepts the peer's AE title from its host only, only reports, and TLS when we send
/// over TLS, with our certificate). Each step is in
/// the journal before it counts: asked (with its transaction), committed, or commit-failed with the reason;
/// what is still unanswered at the timeout stays asked, and a later run asks again. Committed files may be
/// removed, never before their commitment and never on a failure.
public struct StorageCommitment: Sendable {
    public struct Settings: Sendable {
        /// How long to wait for the answers after the last request.
        public var timeoutSeconds = 60
        /// Our port for reports the archive sends on its own association; nil: only on ours.
        public var listenPort: UInt16?
        /// Delete each local file once its commitment arrived.
        public var removeAfterCommit = false
        /// Instances per transaction.
        public var batchSize = 500
        public init() {}
    }

    public enum Outcome: Sendable, Equatable {
        case committed(removed: Bool)
        case failed(reason: String)
        /// No answer before the timeout: asked again by the next run.
        case pending
    }

    public struct Summary: Sendable {
        public var committed = 0, failed = 0, pending = 0, removed = 0
        /// The peer could not be asked at all (or not every time, in a stream): nothing to count on.
        public var couldNotAsk = false
        public init() {}

        public mutating func add(_ other: Summary) {
            (committed, failed, pending, removed) = (committed + other.committed, failed + other.failed, pending + other.pending, removed + other.removed)
            couldNotAsk = couldNotAsk || other.couldNotAsk
        }
    }

    public let sender: StoreSender.Options
    public let settings: Settings

    public init(sender: StoreSender.Options, settings: Settings) { (self.sender, self.settings) = (sender, settings) }

    /// Asks for `instances` and for the journal's unanswered ones; `report` hears each instance's outcome
    /// (the item is nil for an instance of an earlier run). Throws when the peer cannot be asked at all.
    public func commit(
        _ instances: [StoreSender.ConfirmedInstance], journal: StoreJournal?, notice: @escaping @Sendable (String) -> Void = { _ in },
        report: (StoreSender.Item?, String, Outcome) -> Void
    ) throws(DicomError) -> Summary {
        DicomLibrary.initialize()
        var items: [String: StoreSender.Item] = [:]
        var asked: [(sopInstanceUID: String, sopClass: String)] = []
        for instance in instances where journal?.state(of: instance.sopInstanceUID) != .committed && items[instance.sopInstanceUID] == nil {
            items[instance.sopInstanceUID] = instance.item
            asked.append((instance.sopInstanceUID, instance.sopClassUID))
        }
        // Asked by an earlier run (or batch) and never answered: asked again (this run's own are in `items`).
        for earlier in journal?.awaitingAnswers ?? [] where items[earlier.sopInstanceUID] == nil {
            asked.append(earlier)
        }
        var summary = Summary()
        // Already committed in an earlier run: nothing to ask; the file may go.
        for instance in instances where journal?.state(of: instance.sopInstanceUID) == .committed {
            summary.committed += 1
            let removed = remove(instance.item)
            if removed { summary.removed += 1 }
            report(instance.item, instance.sopInstanceUID, .committed(removed: removed))
        }
        guard !asked.isEmpty else { return summary }

        let reports = Locked<[CommitmentReport]>([])
        let listener = try settings.listenPort.map { (port) throws(DicomError) in try reportListener(port: port, into: reports) }
        defer { listener?.stop() }
        let association = try StoreAssociation(
            callingAETitle: sender.callingAETitle, calledAETitle: sender.peer.aeTitle, host: sender.peer.host, port: sender.peer.port,
            timeouts: sender.timeouts, maxPDU: sender.maxPDU, contexts: [StoreAssociation.commitmentContext], tls: sender.tls)
        var open = true
        defer { if open { association.close(abort: false) } }

        var unanswered: [String: String] = [:]  // SOP Instance UID to its transaction
        var batches = asked[...]
        while !batches.isEmpty {
            let batch = Array(batches.prefix(settings.batchSize))
            batches = batches.dropFirst(batch.count)
            let transaction = "2.25.\(UInt128.random(in: 0...UInt128.max))"
            try journal?.record(batch.map { ($0.sopInstanceUID, .commitRequested(transactionUID: transaction, sopClass: $0.sopClass)) })
            let status = try association.requestCommitment(transactionUID: transaction, of: batch.map { ($0.sopClass, $0.sopInstanceUID) })
            guard status.rawValue == 0 else { throw DicomError("the peer refused the storage commitment request: status \(status)") }
            for instance in batch { unanswered[instance.sopInstanceUID] = transaction }
        }
        notice("storage commitment asked for \(asked.count) instance(s) from \(sender.peer); waiting up to \(settings.timeoutSeconds) s")

        let deadline = Date().addingTimeInterval(Double(settings.timeoutSeconds))
        while !unanswered.isEmpty && Date() < deadline {
            var arrived = reports.withLock { pending in defer { pending.removeAll() }; return pending }
            if open {
                do {
                    if let report = try association.waitForCommitmentReport(seconds: 1) { arrived.append(report) }
                } catch {
                    // The peer may close ours and answer on its own association: go on listening if we can.
                    association.close(abort: true)
                    open = false
                    if listener == nil { throw error }
                }
            } else {
                Thread.sleep(forTimeInterval: 0.2)
            }
            for answer in arrived {
                var changes: [(sopInstanceUID: String, state: StoreJournal.State)] = []
                var outcomes: [(String, Outcome)] = []
                for uid in answer.committed where unanswered[uid] == answer.transactionUID {
                    changes.append((uid, .committed))
                    outcomes.append((uid, .committed(removed: false)))
                }
                for failure in answer.failed where unanswered[failure.sopInstanceUID] == answer.transactionUID {
                    changes.append((failure.sopInstanceUID, .commitFailed(reason: failure.explanation)))
                    outcomes.append((failure.sopInstanceUID, .failed(reason: failure.explanation)))
                }
                try journal?.record(changes)  // durable before any file goes
                for (uid, outcome) in outcomes {
                    unanswered[uid] = nil
                    if case .committed = outcome {
                        summary.committed += 1
                        let removed = items[uid].map(remove) ?? false
                        if removed { summary.removed += 1 }
                        report(items[uid], uid, .committed(removed: removed))
                    } else {
                        summary.failed += 1
                        report(items[uid], uid, outcome)
                    }
                }
            }
        }
        for uid in unanswered.keys.sorted() {
            summary.pending += 1
            report(items[uid], uid, .pending)
        }
        return summary
    }

    /// Deletes a committed file when asked to; true when it is gone.
    private func remove(_ item: StoreSender.Item) -> Bool {
        guard settings.removeAfterCommit else { return false }
        return (try? FileManager.default.removeItem(at: item.url)) != nil
    }

    /// Our end for reports on the archive's own association: only the peer we asked, only reports.
    private func reportListener(port: UInt16, into reports: Locked<[CommitmentReport]>) throws(DicomError) -> StorageReceiver {
        var options = StorageReceiver.Options(port: port, outputFolder: nil)
        options.aeTitle = sender.callingAETitle
        options.commitmentReportsOnly = true
        guard let archive = AllowedPeer("\(sender.peer.aeTitle)@\(sender.peer.host)") else {
            throw DicomError("\(sender.peer): not an AE title and host the report listener can allow")
        }
        options.allow = [archive]
        // Over TLS, the archive's association is TLS too: our certificate, its own checked against the CA.
        if let tls = sender.tls {
            guard let certificate = tls.certificateFile, let key = tls.privateKeyFile else {
                throw DicomError("--commit-listen over TLS needs our certificate and key (--cert, --key)")
            }
            options.tls = StorageReceiver.ServerTLS(certificateFile: certificate, privateKeyFile: key, caFile: tls.caFile)
        }
        options.events = { event in
            if let report = event.commitment { reports.withLock { $0.append(report) } }
        }
        return try StorageReceiver(options: options)
    }
}
