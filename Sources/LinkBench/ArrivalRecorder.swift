import Foundation
import LinkEmulation
import Locking

/// When images arrived: either recorded one by one, or sampled from a counter.
final class ArrivalRecorder: Sendable {
    /// (seconds since the start, images so far) at each change.
    private let times = Locked<[(Double, Int)]>([])

    /// One more image, `seconds` after the start.
    func add(_ seconds: Double) {
        times.withLock { $0.append((seconds, ($0.last?.1 ?? 0) + 1)) }
    }

    /// Records a new point whenever the count changes; `stop` ends the sampling with a last count.
    func sample(every interval: Double, start: Double, count: @escaping @Sendable () -> Int) -> Sampler {
        let sampler = Sampler()
        let thread = Thread { [self] in
            var last = 0
            while sampler.finalCount == nil {
                let now = count()
                if now != last {
                    let time = Clock.now() - start
                    times.withLock { $0.append((time, now)) }
                    last = now
                }
                Clock.sleep(until: Clock.now() + interval)
            }
            if let final = sampler.finalCount, final != last { times.withLock { $0.append((Clock.now() - start, final)) } }
            sampler.finished.signal()
        }
        thread.start()
        return sampler
    }

    var curve: [(Double, Int)] { times.withLock { $0 } }
    var first: Double? { times.withLock { $0.first?.0 } }
    var count: Int { times.withLock { $0.last?.1 ?? 0 } }

    /// The sampling thread's stop signal and its answer.
    final class Sampler: Sendable {
        private let final = Locked<Int?>(nil)
        fileprivate let finished = DispatchSemaphore(value: 0)

        /// The count given to `stop`; nil while sampling goes on.
        var finalCount: Int? { final.withLock { $0 } }

        /// Ends the sampling with this last count and waits for the thread's last point.
        func stop(final count: Int) {
            final.withLock { $0 = count }
            finished.wait()
        }
    }
}
