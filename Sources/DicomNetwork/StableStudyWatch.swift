import Foundation
import Locking

/// Notices when a study has gone quiet: no object of it arrived for `quietSeconds`. Routers forward or
/// report a study once it is "stable"; an object that arrives later starts the study's watch again.
public final class StableStudyWatch: Sendable {
    public struct Study: Sendable, Equatable {
        public let studyInstanceUID: String
        /// Objects that arrived since the study was last reported stable.
        public let objects: Int

        public init(studyInstanceUID: String, objects: Int) { (self.studyInstanceUID, self.objects) = (studyInstanceUID, objects) }
    }

    private struct Arrivals: Sendable {
        var last: [String: (at: Double, objects: Int)] = [:]
        var stopped = false
    }

    public let quietSeconds: Double
    private let arrivals = Locked(Arrivals())
    private let finished = DispatchSemaphore(value: 0)

    /// `stable` is called from the watch's thread, once per study that went quiet.
    public init(quietSeconds: Double, stable: @escaping @Sendable (Study) -> Void) {
        self.quietSeconds = quietSeconds
        let interval = min(0.25, quietSeconds / 4)
        Thread { [self] in
            while true {
                let (due, stopped) = arrivals.withLock { arrivals -> ([Study], Bool) in
                    let now = Self.now()
                    let quiet = arrivals.last.filter { now - $0.value.at >= quietSeconds }
                    for study in quiet.keys { arrivals.last.removeValue(forKey: study) }
                    return (quiet.map { Study(studyInstanceUID: $0.key, objects: $0.value.objects) }.sorted { $0.studyInstanceUID < $1.studyInstanceUID },
                            arrivals.stopped)
                }
                due.forEach(stable)
                if stopped { break }
                Thread.sleep(forTimeInterval: interval)
            }
            finished.signal()
        }.start()
    }

    /// An object of this study has arrived now.
    public func arrived(_ studyInstanceUID: String) {
        arrivals.withLock { arrivals in
            let objects = (arrivals.last[studyInstanceUID]?.objects ?? 0) + 1
            arrivals.last[studyInstanceUID] = (Self.now(), objects)
        }
    }

    /// Stops watching; studies not yet quiet are not reported.
    public func stop() {
        let first = arrivals.withLock { arrivals in
            defer { arrivals.stopped = true }
            return !arrivals.stopped
        }
        if first { finished.wait() }
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
