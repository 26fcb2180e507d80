import DicomCore
import Foundation
import Locking

/// Storage Commitment while a stream goes on (a forwarding node never reaches the end of its input): what
/// the peer confirmed is asked for on a thread of its own, in batches, when `batchSize` instances wait or
/// after `pauseSeconds` without more, so that the node clears its inbox as the archive takes custody.
final class StreamCommitter: Sendable {
    private struct Waiting: Sendable {
        var instances: [StoreSender.ConfirmedInstance] = []
        var ended = false
    }

    private let waiting = WaitableState(Waiting())
    private let outcome = Locked(StorageCommitment.Summary())
    private let finished = DispatchSemaphore(value: 0)
    static let pauseSeconds = 5.0

    init(
        _ commitment: StorageCommitment, journal: StoreJournal?, notice: @escaping @Sendable (String) -> Void,
        report: @escaping @Sendable (StoreSender.Item?, String, StorageCommitment.Outcome) -> Void
    ) {
        let batchSize = commitment.settings.batchSize
        Thread { [self] in
            while true {
                let take = { (state: inout Waiting) -> (batch: [StoreSender.ConfirmedInstance], ended: Bool) in
                    defer { state.instances.removeAll() }
                    return (state.instances, state.ended)
                }
                let next = waiting.wait(seconds: Self.pauseSeconds) { state in
                    state.instances.count >= batchSize || state.ended ? take(&state) : nil
                } ?? waiting.withLock(take)
                if !next.batch.isEmpty {
                    do throws(DicomError) {
                        let counts = try commitment.commit(next.batch, journal: journal, notice: notice, report: report)
                        outcome.withLock { $0.add(counts) }
                    } catch {
                        notice("storage commitment with \(commitment.sender.peer): \(error.message); the next run asks again")
                        outcome.withLock { $0.couldNotAsk = true }
                    }
                }
                if next.ended && waiting.withLock({ $0.instances.isEmpty }) { break }
            }
            finished.signal()
        }.start()
    }

    func add(_ instance: StoreSender.ConfirmedInstance) { waiting.withLock { $0.instances.append(instance) } }

    /// The end of the input: the last batch is asked for, and its answers awaited.
    func finish() -> StorageCommitment.Summary {
        waiting.withLock { $0.ended = true }
        finished.wait()
        return outcome.withLock { $0 }
    }
}
