import Foundation
import Locking

/// The worker threads; their number only grows (automatic associations), until the end of the input.
final class StreamWorkers: Sendable {
    let group = DispatchGroup()
    private let running = Locked(0)
    /// Each worker's body, with its rank (0 for the first).
    private let body: @Sendable (StreamWorkers, Int) -> Void

    init(body: @escaping @Sendable (StreamWorkers, Int) -> Void) { self.body = body }

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
