import DicomCore
import Foundation
import Locking

extension StoreSender {
    /// One association's worker: the next file, on the open association when its contexts cover the file.
    struct StreamWorker {
        let sender: StoreSender
        let rank: Int
        let queue: WaitableState<StreamQueue>
        let journal: StoreJournal?
        let idleRelease: Double
        let reachability: Locked<PeerReachability>
        let scaling: AssociationScaling?
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
        private func take(_ queue: inout StreamQueue) -> (Item, urgent: Bool)?? {
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

        private enum Opening {
            case opened(StoreAssociation)
            /// The file failed (reported); the worker goes on with the next.
            case failed
            /// An extra worker of `--associations auto` the peer does not want: its file is queued again.
            case retire
        }

        /// Opens an association, retrying transient failures, then holding the file while the peer cannot be
        /// reached (up to `holdSeconds`); a permanent refusal or the end of the hold fails the file (the next
        /// file tries again).
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
                    // An extra association of auto that the peer turns away (refused as busy, or closed: a peer
                    // flooded with requests may not even answer) while others work: its limit, not an outage.
                    if let scaling, rank >= AssociationScaler.minimum, error.kind.isTransient, scaling.openAssociations.withLock({ $0 }) > 0 {
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
            let sharing = scaling?.storeBegins() ?? 1
            let result = sender.storeOne(planned, association: association)
            scaling?.storeEnded()
            switch result {
            case .success(let outcome):
                if case .stored(let uid, _, _, let bytes, let milliseconds, _) = outcome {
                    do {
                        try journal?.record(uid)
                        sender.count { $0.stored += 1; $0.bytes += bytes }
                        confirmed(planned.item, uid: uid, sopClass: planned.sopClass)
                        report(planned.item, outcome)
                        scaling?.stored(bytes: bytes, seconds: milliseconds / 1000, sharing: sharing)
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
