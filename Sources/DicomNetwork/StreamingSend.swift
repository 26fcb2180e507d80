import DicomCore
import Foundation
import Locking

/// Sending as the files come (a pipe, a forwarding node): one queue, `associations` workers that each take
/// the next file as soon as they are free and keep their association open between files. An association
/// idle for `idleReleaseSeconds` is released, and opened again when files come: a sender that lives all
/// night holds nothing open while nothing arrives. Journal, retries and outcomes as for a list.
extension StoreSender {
    private struct Queue: Sendable {
        /// Urgent items first, each group in arrival order.
        var waiting: [(item: Item, urgent: Bool)] = []
        var ended = false

        /// A retried item goes to the head of its group.
        mutating func add(_ item: Item, urgent: Bool, retry: Bool = false) {
            let routineStart = waiting.firstIndex { !$0.urgent } ?? waiting.count
            let position = urgent ? (retry ? 0 : routineStart) : (retry ? routineStart : waiting.count)
            waiting.insert((item, urgent), at: position)
        }
    }

    /// Whether the peer could be reached: the first worker that starts holding and the first that gets
    /// through again say so, once each.
    private struct Reachability: Sendable {
        var unreachableSince: Date?
    }

    /// The worker threads; their number only grows (automatic associations), until the end of the input.
    private final class Workers: Sendable {
        let group = DispatchGroup()
        private let running = Locked(0)
        /// Each worker's body, with its rank (0 for the first).
        private let body: @Sendable (Workers, Int) -> Void

        init(body: @escaping @Sendable (Workers, Int) -> Void) { self.body = body }

        /// Starts workers up to `count`; true when it started any.
        @discardableResult func grow(to count: Int) -> Bool {
            let ranks = running.withLock { running in
                defer { running = max(running, count) }
                return running..<max(running, count)
            }
            for rank in ranks {
                group.enter()
                Thread { [self] in
                    body(self, rank)
                    group.leave()
                }.start()
            }
            return !ranks.isEmpty
        }
    }

    /// `--associations auto`: what each store teaches the scaler, and more workers when it wants them.
    private struct Scaling: Sendable {
        let scaler: Locked<AssociationScaler>
        let workers: Workers
        let notice: @Sendable (String) -> Void
        /// Associations open now: what the peer accepts, when it refuses one more.
        let openAssociations = Locked(0)

        func stored(bytes: Int, seconds: Double) {
            let (target, explanation) = scaler.withLock { ($0.noteStored(bytes: bytes, seconds: seconds), $0.explanation) }
            if workers.grow(to: target) { notice("--associations auto: " + explanation) }
        }

        /// The peer refused one more association as busy (its limit per caller): no more than are open now.
        func peerRefused() {
            let limit = max(AssociationScaler.minimum, openAssociations.withLock { $0 })
            let first = scaler.withLock { $0.cap(at: limit) }
            if first { notice("--associations auto: the peer refuses more than \(limit) associations: staying at \(limit)") }
        }
    }

    /// `feed` calls its argument with each item as it arrives and returns at the end of the input. `notice`
    /// gets a line when the peer cannot be reached and the queue is held, and one when it is back. With
    /// `commitment`, what the peer confirms is asked for as the stream goes (`StreamCommitter`), each
    /// instance's answer to `commitReport`.
    public func send(
        streaming feed: (_ enqueue: (Item) -> Void) -> Void, idleReleaseSeconds: Double, commitment: StorageCommitment? = nil,
        notice: @escaping @Sendable (String) -> Void = { _ in },
        commitReport: @escaping @Sendable (Item?, String, StorageCommitment.Outcome) -> Void = { _, _, _ in },
        report: @escaping @Sendable (Item, Outcome) -> Void
    ) throws(DicomError) -> Summary {
        DicomLibrary.initialize()
        let start = Date()
        let journal = try options.journal.map { (url) throws(DicomError) in try StoreJournal(url: url, destination: options.peer) }
        defer { journal?.close() }
        let reporter: @Sendable (Item, Outcome) -> Void = { [self] item, outcome in reportSerialised { report(item, outcome) } }
        let committer = commitment.map { commitment in
            StreamCommitter(commitment, journal: journal, notice: notice) { [self] item, uid, outcome in
                reportSerialised { commitReport(item, uid, outcome) }
            }
        }
        let queue = WaitableState(Queue())
        let reachability = Locked(Reachability())
        let scaler = options.automaticAssociations ? Locked(AssociationScaler()) : nil
        let workers = Workers { [self] workers, rank in
            StreamWorker(sender: self, rank: rank, queue: queue, journal: journal, idleRelease: idleReleaseSeconds, reachability: reachability,
                         scaling: scaler.map { Scaling(scaler: $0, workers: workers, notice: notice) }, committer: committer, notice: notice,
                         report: reporter).run()
        }
        workers.grow(to: scaler == nil ? max(1, options.associations) : AssociationScaler.minimum)
        feed { item in
            // With urgent rules, each object's header is read as it comes, to know where it queues.
            let urgent = !options.urgent.isEmpty && (try? DicomObject(contentsOf: item.url)).map { object in
                options.urgent.contains { $0.matches(object) }
            } == true
            queue.withLock { $0.add(item, urgent: urgent) }
        }
        queue.withLock { $0.ended = true }
        workers.group.wait()
        if let committer {
            let custody = committer.finish()
            count { $0.custody = custody }
        }
        return finish(start)
    }

    /// One association's worker: the next file, on the open association when its contexts cover the file.
    private struct StreamWorker {
        let sender: StoreSender
        let rank: Int
        let queue: WaitableState<Queue>
        let journal: StoreJournal?
        let idleRelease: Double
        let reachability: Locked<Reachability>
        let scaling: Scaling?
        let committer: StreamCommitter?
        let notice: @Sendable (String) -> Void
        let report: @Sendable (Item, Outcome) -> Void
        var options: Options { sender.options }

        func run() {
            var association: StoreAssociation?
            var proposed: [String] = []
            var attempts: [String: Int] = [:]
            while true {
                // Idle with an open association: release it after the idle time, and wait on without one.
                let next: (Item, urgent: Bool)?? = association == nil
                    ? queue.wait(until: take)
                    : queue.wait(seconds: idleRelease, until: take)
                guard let taken = next else {
                    close(&association, abort: false)
                    continue
                }
                guard let (item, urgent) = taken else { break }
                guard let planned = plan(item, urgent: urgent) else { continue }
                let needed = ContextPlan.contexts(sopClass: planned.sopClass, syntax: planned.syntax)
                if association == nil || !needed.allSatisfy(proposed.contains) {
                    close(&association, abort: false)
                    // What this association has needed so far, plus this file's: few re-negotiations for a study.
                    var contexts = proposed + needed.filter { !proposed.contains($0) }
                    if contexts.count > 128 { contexts = needed }
                    switch open(contexts, for: planned) {
                    case .opened(let opened):
                        (association, proposed) = (opened, contexts)
                        scaling?.openAssociations.withLock { $0 += 1 }
                    case .failed: continue
                    case .retire: return
                    }
                }
                if !store(planned, on: association!, attempts: &attempts) {
                    close(&association, abort: true)
                }
            }
            close(&association, abort: false)
        }

        /// Closes the worker's association, if any (counted for `--associations auto`).
        private func close(_ association: inout StoreAssociation?, abort: Bool) {
            guard let open = association else { return }
            open.close(abort: abort)
            association = nil
            scaling?.openAssociations.withLock { $0 -= 1 }
        }

        /// The peer holds this instance: for the summary, and for the committer.
        private func confirmed(_ item: Item, uid: String, sopClass: String) {
            sender.noteConfirmed(item, uid: uid, sopClass: sopClass)
            committer?.add(ConfirmedInstance(sopInstanceUID: uid, sopClassUID: sopClass, item: item))
        }

        /// The next item and whether it is urgent (or nil at the end of the input), taken off the queue.
        private func take(_ queue: inout Queue) -> (Item, urgent: Bool)?? {
            if !queue.waiting.isEmpty { return .some(queue.waiting.removeFirst()) }
            return queue.ended ? .some(nil) : nil
        }

        private func plan(_ item: Item, urgent: Bool) -> Planned? {
            do {
                let object = try DicomObject(contentsOf: item.url)
                guard let sopClass = try object.string(.sopClassUID), let uid = try object.string(.sopInstanceUID) else {
                    throw DicomError("no SOP Class UID or SOP Instance UID")
                }
                if journal?.contains(uid) == true {
                    sender.count { $0.skipped += 1 }
                    confirmed(item, uid: uid, sopClass: sopClass)
                    report(item, .skipped(sopInstanceUID: uid))
                    return nil
                }
                let size = (try? FileManager.default.attributesOfItem(atPath: item.url.path)[.size] as? Int) ?? 0
                return Planned(item: item, sopClass: sopClass, syntax: object.transferSyntax, uid: uid, size: size, urgent: urgent)
            } catch {
                sender.count { $0.failed += 1 }
                report(item, .failed(message: "\(error)"))
                return nil
            }
        }

        /// Opens an association, retrying transient failures, then holding the file while the peer cannot be
        /// reached (up to `holdSeconds`); a permanent refusal or the end of the hold fails the file (the next
        /// file tries again).
        private enum Opening {
            case opened(StoreAssociation)
            /// The file failed (reported); the worker goes on with the next.
            case failed
            /// An extra worker of `--associations auto` the peer does not want: its file is queued again.
            case retire
        }

        private func open(_ contexts: [String], for planned: Planned) -> Opening {
            var failures = 0
            let firstTry = Date()
            while true {
                do {
                    let began = Date()
                    // Scaling, the Verification context too: a C-ECHO measures the round trip.
                    let proposal = scaling != nil && contexts.count < 128 ? contexts + [StoreAssociation.verificationContext] : contexts
                    let association = try StoreAssociation(
                        callingAETitle: options.callingAETitle, calledAETitle: options.peer.aeTitle, host: options.peer.host,
                        port: options.peer.port, timeouts: options.timeouts, maxPDU: options.maxPDU, contexts: proposal, tls: options.tls)
                    if let scaling {
                        scaling.scaler.withLock { $0.noteSetUp(seconds: Date().timeIntervalSince(began)) }
                        if !scaling.scaler.withLock(\.echoed), let seconds = try association.echo() {
                            scaling.scaler.withLock { $0.noteEcho(seconds: seconds) }
                        }
                    }
                    sender.count { $0.associations += 1 }
                    if let since = reachability.withLock({ state in defer { state.unreachableSince = nil }; return state.unreachableSince }) {
                        notice(String(format: "%@ is reachable again after %.0f s: sending", options.peer.description, Date().timeIntervalSince(since)))
                    }
                    return .opened(association)
                } catch {
                    if let scaling, rank >= AssociationScaler.minimum, error.kind == .rejectedTransiently {
                        queue.withLock { $0.add(planned.item, urgent: planned.urgent, retry: true) }
                        scaling.peerRefused()
                        return .retire
                    }
                    failures += 1
                    let holding = failures > options.retries
                    if !error.kind.isTransient || (holding && Date().timeIntervalSince(firstTry) >= options.holdSeconds) {
                        sender.count { $0.failed += 1; $0.connectionFailed = true }
                        report(planned.item, .failed(message: error.message))
                        return .failed
                    }
                    if holding {
                        hold(because: error)
                        Thread.sleep(forTimeInterval: min(options.backoffSeconds * pow(2, Double(failures - 1)), Self.longestHoldStep))
                    } else {
                        sender.count { $0.retries += 1 }
                        sender.backoff(failures)
                    }
                }
            }
        }

        /// Holding, the peer is tried this often at least: the stroke study goes as soon as the hub is back.
        static let longestHoldStep = 5.0

        /// Says once that the queue is held, and why.
        private func hold(because error: DicomError) {
            let first = reachability.withLock { state in
                defer { state.unreachableSince = state.unreachableSince ?? Date() }
                return state.unreachableSince == nil
            }
            guard first else { return }
            let limit = options.holdSeconds.isFinite ? String(format: "for up to %.0f s", options.holdSeconds) : "until it is back"
            notice(String(format: "%@ cannot be reached (%@): holding the files %@, trying again every %.0f s",
                          options.peer.description, error.message, limit, Self.longestHoldStep))
        }

        /// Sends one file; false when the association broke (the file is queued again first, unless its
        /// attempts are spent).
        private func store(_ planned: Planned, on association: StoreAssociation, attempts: inout [String: Int]) -> Bool {
            switch sender.storeOne(planned, association: association) {
            case .success(let outcome):
                if case .stored(let uid, _, _, let bytes, let milliseconds, _) = outcome {
                    do {
                        try journal?.record(uid)
                        sender.count { $0.stored += 1; $0.bytes += bytes }
                        confirmed(planned.item, uid: uid, sopClass: planned.sopClass)
                        report(planned.item, outcome)
                        scaling?.stored(bytes: bytes, seconds: milliseconds / 1000)
                    } catch {
                        sender.count { $0.failed += 1 }
                        report(planned.item, .failed(message: "stored, but \(error)"))
                    }
                } else {
                    sender.count { $0.failed += 1 }
                    report(planned.item, outcome)
                }
                return true
            case .failure(let failure):
                attempts[planned.uid, default: 0] += 1
                if attempts[planned.uid]! > options.retries {
                    sender.count { $0.failed += 1 }
                    report(planned.item, .failed(message: failure.message))
                } else {
                    sender.count { $0.retries += 1 }
                    queue.withLock { $0.add(planned.item, urgent: planned.urgent, retry: true) }  // again before its group
                    if failure.associationBroken { sender.backoff(attempts[planned.uid]!) }
                }
                return !failure.associationBroken
            }
        }
    }
}
