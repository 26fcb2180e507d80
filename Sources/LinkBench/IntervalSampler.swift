import Foundation
import LinkEmulation
import Locking

/// Bytes a link delivered in each interval of a run (100 ms, as flent keeps them): a thread reads a running
/// byte count (the shaper's, or an interface's counter for the kernel reference) at each interval's end.
final class IntervalSampler: Sendable {
    static let interval = 0.1

    private let state = Locked<(samples: [Int], stopped: Bool)>(([], false))
    private let finished = DispatchSemaphore(value: 0)

    /// Starts sampling `count` from now, every `interval` seconds after `start`.
    init(start: Double, count: @escaping @Sendable () -> Int) {
        let first = count()
        Thread { [self] in
            var last = first, index = 1
            while true {
                Clock.sleep(until: start + Double(index) * Self.interval)
                let now = count()
                let stopped = state.withLock { state in
                    state.samples.append(now - last)
                    return state.stopped
                }
                last = now
                index += 1
                if stopped { break }
            }
            finished.signal()
        }.start()
    }

    /// Ends the sampling after the current interval; the bytes of each interval.
    func stop() -> [Int] {
        state.withLock { $0.stopped = true }
        finished.wait()
        return state.withLock { $0.samples }
    }
}
