import Foundation

/// When images arrived: either recorded one by one, or sampled from a counter.
final class ArrivalRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [(Double, Int)] = []

    /// One more image, `seconds` after the start.
    func add(_ seconds: Double) {
        lock.withLock { times.append((seconds, (times.last?.1 ?? 0) + 1)) }
    }

    /// Records a new point whenever the count changes; `stop` ends the sampling with a last count.
    func sample(every interval: Double, start: Double, count: @escaping @Sendable () -> Int) -> Sampler {
        let sampler = Sampler()
        let thread = Thread { [self] in
            var last = 0
            while !sampler.stopped {
                let now = count()
                if now != last {
                    let time = Clock.now() - start
                    lock.withLock { times.append((time, now)) }
                    last = now
                }
                Clock.sleep(until: Clock.now() + interval)
            }
            let final = sampler.finalCount
            if final != last { lock.withLock { times.append((Clock.now() - start, final)) } }
            sampler.finished()
        }
        thread.start()
        return sampler
    }

    var curve: [(Double, Int)] { lock.withLock { times } }
    var first: Double? { lock.withLock { times.first?.0 } }
    var count: Int { lock.withLock { times.last?.1 ?? 0 } }

    final class Sampler: @unchecked Sendable {
        private let lock = NSCondition()
        private var stopping = false
        private var done = false
        private(set) var finalCount = 0
        var stopped: Bool { lock.withLock { stopping } }

        func stop(final: Int) {
            lock.withLock {
                finalCount = final
                stopping = true
            }
            lock.lock()
            while !done { lock.wait() }
            lock.unlock()
        }

        func finished() {
            lock.lock()
            done = true
            lock.broadcast()
            lock.unlock()
        }
    }
}
