import Foundation
import LinkEmulation
import Locking

/// When each image reached the expert, by SOP Instance UID (the embedded receiver's stored events, or the
/// peer's confirmations), in seconds after the run's start.
final class ArrivalTimes: Sendable {
    private let state = Locked<(start: Double, times: [String: Double])>((0, [:]))

    /// Forgets the previous run; times are counted from `start`.
    func reset(start: Double) { state.withLock { $0 = (start, [:]) } }

    /// `uid` arrived now (the first arrival counts).
    func arrived(_ uid: String) {
        let now = Clock.now()
        state.withLock { state in
            if state.times[uid] == nil { state.times[uid] = now - state.start }
        }
    }

    var times: [String: Double] { state.withLock { $0.times } }
}
