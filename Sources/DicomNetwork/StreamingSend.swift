import DicomCore
import Foundation
import Locking

/// Sending as the files come (a pipe, a forwarding node): one queue, `associations` workers that each take
/// the next file as soon as they are free and keep their association open between files. An association
/// idle for `idleReleaseSeconds` is released, and opened again when files come: a sender that lives all
/// night holds nothing open while nothing arrives. Journal, retries and outcomes as for a list.
extension StoreSender {
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
        let queue = WaitableState(StreamQueue())
        let reachability = Locked(PeerReachability())
        let scaler = options.automaticAssociations ? Locked(AssociationScaler()) : nil
        let openAssociations = Locked(0), storesInFlight = Locked(0)
        let workers = StreamWorkers { [self] workers, rank in
            StreamWorker(sender: self, rank: rank, queue: queue, journal: journal, idleRelease: idleReleaseSeconds, reachability: reachability,
                         scaling: scaler.map { AssociationScaling(scaler: $0, workers: workers, openAssociations: openAssociations, notice: notice,
                                                                 storesInFlight: storesInFlight) },
                         committer: committer, notice: notice, report: reporter).run()
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
}
