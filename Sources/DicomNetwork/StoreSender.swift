import DicomCore
import Foundation
import Locking

/// Sends DICOM objects with C-STORE over several associations at once, tracking every file until the peer
/// confirms it: retries with backoff on network errors and transient refusals, a journal of confirmed
/// instances, and one outcome per file.
public final class StoreSender: Sendable {
    public struct Options: Sendable {
        public var peer: PeerAddress
        public var callingAETitle = "TELERAD"
        public var associations = 4
        /// Chooses the number of associations from the link instead (`AssociationScaler`); sends as a stream.
        public var automaticAssociations = false
        /// DCMTK's largest receive PDU.
        public var maxPDU: UInt32 = 131_072
        public var timeouts = NetworkTimeouts(all: 30)
        /// Sets every phase's timeout at once.
        public var timeoutSeconds: Int {
            get { max(timeouts.connect, timeouts.association, timeouts.response) }
            set { timeouts = NetworkTimeouts(all: newValue) }
        }
        /// Attempts after the first, per file and per association set-up.
        public var retries = 3
        /// First backoff delay; doubled after each failed attempt.
        public var backoffSeconds = 0.5
        /// Sending a stream: how long files wait while the peer cannot be reached (refused, silent or busy)
        /// before they fail. A forwarding node holds its queue through the hub's outage and goes on when it
        /// is back; a list fails after `retries` instead, as a command run by hand should.
        public var holdSeconds = Double.infinity
        public var journal: URL?
        /// DICOM TLS; nil for plain TCP.
        public var tls: ClientTLS?
        /// Objects matching any of these go ahead of everything queued (the stroke study before the night's
        /// backlog).
        public var urgent: [UrgentRule] = []
        /// Keep every instance the peer confirmed (stored, or already in the journal) in the summary, for
        /// Storage Commitment.
        public var collectConfirmed = false

        public init(peer: PeerAddress) { self.peer = peer }
    }

    public struct Item: Sendable {
        public let url: URL
        public let displayPath: String
        public init(url: URL, displayPath: String) { (self.url, self.displayPath) = (url, displayPath) }
    }

    public enum Outcome: Sendable {
        /// Confirmed by the peer; a warning status (0xBxxx) is reported but counts as stored.
        /// `original` is the file's syntax: it differs from `syntax` when the object was converted on the way.
        case stored(sopInstanceUID: String, status: UInt16, syntax: TransferSyntax, bytes: Int, milliseconds: Double,
                    original: TransferSyntax)
        /// Already confirmed in the journal: not sent again.
        case skipped(sopInstanceUID: String)
        case failed(message: String)
    }

    public struct Summary: Sendable {
        public var stored = 0, skipped = 0, failed = 0, bytes = 0, retries = 0, associations = 0
        public var seconds = 0.0
        public var connectionFailed = false
        /// With `collectConfirmed`: what the peer holds of this run's inputs.
        public var confirmed: [ConfirmedInstance] = []
        /// A stream sent with Storage Commitment: what the archive answered.
        public var custody: StorageCommitment.Summary?
    }

    /// An instance the peer confirmed, and the file it came from.
    public struct ConfirmedInstance: Sendable {
        public let sopInstanceUID: String
        public let sopClassUID: String
        public let item: Item
    }

    let options: Options
    private let summary = Locked(Summary())
    /// Reports are serialised: the caller's closure never runs on two threads at once.
    private let reporting = Locked(())

    public init(options: Options) { self.options = options }

    /// Sends every item; `report` is called once per item (from worker threads, serialised). With automatic
    /// associations the list is sent as a stream (without holding: a list fails after its retries).
    public func send(
        _ items: [Item], notice: @escaping @Sendable (String) -> Void = { _ in }, report: @escaping @Sendable (Item, Outcome) -> Void
    ) throws(DicomError) -> Summary {
        if options.automaticAssociations {
            var streaming = options
            streaming.holdSeconds = 0
            return try StoreSender(options: streaming).send(streaming: { enqueue in items.forEach(enqueue) }, idleReleaseSeconds: 30,
                                                            notice: notice, report: report)
        }
        DicomLibrary.initialize()
        let start = Date()
        let journal = try options.journal.map { (url) throws(DicomError) in try StoreJournal(url: url, destination: options.peer) }
        defer { journal?.close() }  // the lock is released when the run ends, not when the last thread lets go
        let reporter: @Sendable (Item, Outcome) -> Void = { [self] item, outcome in reportSerialised { report(item, outcome) } }

        // Plan: what each file is, so presentation contexts can be proposed for all of them.
        var planned: [Planned] = []
        for item in items {
            do {
                let object = try DicomObject(contentsOf: item.url)
                guard let sopClass = try object.string(.sopClassUID), let uid = try object.string(.sopInstanceUID) else {
                    throw DicomError("no SOP Class UID or SOP Instance UID")
                }
                if journal?.contains(uid) == true {
                    count { $0.skipped += 1 }
                    noteConfirmed(item, uid: uid, sopClass: sopClass)
                    reporter(item, .skipped(sopInstanceUID: uid))
                    continue
                }
                let size = (try? FileManager.default.attributesOfItem(atPath: item.url.path)[.size] as? Int) ?? 0
                planned.append(Planned(item: item, sopClass: sopClass, syntax: object.transferSyntax, uid: uid, size: size,
                                       urgent: options.urgent.contains { $0.matches(object) }))
            } catch {
                count { $0.failed += 1 }
                reporter(item, .failed(message: "\(error)"))
            }
        }
        // Urgent files first; each association's share keeps this order.
        planned = planned.filter(\.urgent) + planned.filter { !$0.urgent }
        for group in ContextPlan.groups(planned) {
            run(group, journal: journal, report: reporter)
        }
        return finish(start)
    }

    /// The caller's report closure never runs on two threads at once.
    func reportSerialised(_ body: () -> Void) { reporting.withLock { _ in body() } }

    /// The summary, with the run's duration.
    func finish(_ start: Date) -> Summary {
        summary.withLock {
            $0.seconds = Date().timeIntervalSince(start)
            return $0
        }
    }

    struct Planned: Sendable {
        let item: Item
        let sopClass: String
        let syntax: TransferSyntax
        let uid: String
        let size: Int
        var urgent = false
    }

    /// One set of presentation contexts (at most 128) and the files that need it, spread over associations.
    private func run(_ group: ContextPlan.Group, journal: StoreJournal?, report: @escaping @Sendable (Item, Outcome) -> Void) {
        let lanes = ContextPlan.balance(group.files, lanes: max(1, min(options.associations, group.files.count)))
        // One thread per association: they mostly wait on the network, and concurrentPerform would run only
        // as many at once as there are cores (two associations on a two-core sender, whatever was asked).
        let done = DispatchGroup()
        for lane in lanes {
            done.enter()
            Thread {
                self.sendLane(lane, contexts: group.contexts, journal: journal, report: report)
                done.leave()
            }.start()
        }
        done.wait()
    }

    /// One association's share: associate, send, and on a broken association back off and go on with
    /// what is not yet confirmed.
    private func sendLane(_ files: [Planned], contexts: [String], journal: StoreJournal?, report: (Item, Outcome) -> Void) {
        var pending = files[...]
        var attempts: [String: Int] = [:]
        var setupFailures = 0
        while let next = pending.first {
            let association: StoreAssociation
            do {
                association = try StoreAssociation(
                    callingAETitle: options.callingAETitle, calledAETitle: options.peer.aeTitle, host: options.peer.host,
                    port: options.peer.port, timeouts: options.timeouts, maxPDU: options.maxPDU, contexts: contexts, tls: options.tls)
            } catch {
                setupFailures += 1
                // A permanent rejection, TLS or a bad setting fails at once; the network and a busy peer are retried.
                if setupFailures > options.retries || !error.kind.isTransient {
                    for planned in pending {
                        count { $0.failed += 1; $0.connectionFailed = true }
                        report(planned.item, .failed(message: error.message))
                    }
                    return
                }
                count { $0.retries += 1 }
                backoff(setupFailures)
                continue
            }
            count { $0.associations += 1 }
            var broken = false
            while let planned = pending.first, !broken {
                switch storeOne(planned, association: association) {
                case .success(let outcome):
                    pending.removeFirst()
                    if case .stored(let uid, _, _, let bytes, _, _) = outcome {
                        do {
                            try journal?.record(uid)
                            count { $0.stored += 1; $0.bytes += bytes }
                            noteConfirmed(planned.item, uid: uid, sopClass: planned.sopClass)
                            report(planned.item, outcome)
                        } catch {
                            count { $0.failed += 1 }
                            report(planned.item, .failed(message: "stored, but \(error)"))
                        }
                    } else {
                        count { $0.failed += 1 }
                        report(planned.item, outcome)
                    }
                case .failure(let failure):
                    // Transient refusals and broken associations: retry the file later, a few times.
                    attempts[planned.uid, default: 0] += 1
                    if attempts[planned.uid]! > options.retries {
                        pending.removeFirst()
                        count { $0.failed += 1 }
                        report(planned.item, .failed(message: failure.message))
                    } else {
                        count { $0.retries += 1 }
                        if failure.associationBroken { broken = true } else { pending.append(pending.removeFirst()) }
                    }
                }
            }
            association.close(abort: broken)
            if broken { backoff(attempts[next.uid] ?? 1) }
        }
    }

    struct StoreFailure: Error {
        let message: String
        let associationBroken: Bool
    }

    func storeOne(_ planned: Planned, association: StoreAssociation) -> Result<Outcome, StoreFailure> {
        let object: DicomObject
        do { object = try DicomObject(contentsOf: planned.item.url) } catch {
            return .success(.failed(message: error.message))
        }
        let start = Date()
        let response = association.store(object, priority: planned.urgent ? .high : .medium)
        let milliseconds = Date().timeIntervalSince(start) * 1000
        switch response {
        case .answered(let status, let syntax) where status.isStored:
            return .success(.stored(sopInstanceUID: planned.uid, status: status.rawValue, syntax: syntax, bytes: planned.size,
                                    milliseconds: milliseconds, original: planned.syntax))
        case .answered(let status, _):
            let text = "refused by the peer: status \(status)"
            // Out of resources may pass (a full disk freed, a busy peer): the file is tried again.
            return status.isOutOfResources ? .failure(StoreFailure(message: text, associationBroken: false)) : .success(.failed(message: text))
        case .notSent(let error):
            return .success(.failed(message: error.message))
        case .broken(let error):
            return .failure(StoreFailure(message: error.message, associationBroken: true))
        }
    }

    func backoff(_ attempt: Int) {
        let delay = options.backoffSeconds * pow(2, Double(max(0, attempt - 1)))
        Thread.sleep(forTimeInterval: min(delay, 30))
    }

    func count(_ change: (inout Summary) -> Void) { summary.withLock { change(&$0) } }

    func noteConfirmed(_ item: Item, uid: String, sopClass: String) {
        guard options.collectConfirmed else { return }
        count { $0.confirmed.append(ConfirmedInstance(sopInstanceUID: uid, sopClassUID: sopClass, item: item)) }
    }
}
