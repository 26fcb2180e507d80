import Dispatch

/// State behind a `Locked` that threads can wait on until a condition holds, as a condition variable would
/// let them: every change through `withLock` wakes the waiters, which look again under the lock. A waiter
/// registers before it lets go of the lock, so no wake-up is lost.
public final class WaitableState<State: Sendable>: Sendable {
    private struct Guarded: Sendable {
        var state: State
        var waiters: [DispatchSemaphore] = []
    }

    private let guarded: Locked<Guarded>

    public init(_ state: State) { guarded = Locked(Guarded(state: state)) }

    /// Changes (or reads) the state and wakes every waiter.
    public func withLock<R: Sendable>(_ body: (inout State) -> R) -> R {
        let (result, waiters) = guarded.withLock { guarded in
            let result = body(&guarded.state)
            defer { guarded.waiters.removeAll() }
            return (result, guarded.waiters)
        }
        for waiter in waiters { waiter.signal() }
        return result
    }

    /// Waits until `ready` returns a value; it may change the state when it does, and the other waiters
    /// are then woken too.
    public func wait<R: Sendable>(until ready: (inout State) -> R?) -> R {
        wait(until: ready, deadline: .distantFuture)!
    }

    /// The same, giving up after `seconds` (nil then).
    public func wait<R: Sendable>(seconds: Double, until ready: (inout State) -> R?) -> R? {
        wait(until: ready, deadline: .now() + seconds)
    }

    private func wait<R: Sendable>(until ready: (inout State) -> R?, deadline: DispatchTime) -> R? {
        while true {
            let semaphore = DispatchSemaphore(value: 0)
            let (result, woken): (R?, [DispatchSemaphore]) = guarded.withLock { guarded in
                if let result = ready(&guarded.state) {
                    defer { guarded.waiters.removeAll() }
                    return (result, guarded.waiters)
                }
                guarded.waiters.append(semaphore)
                return (nil, [])
            }
            for waiter in woken { waiter.signal() }
            if let result { return result }
            if semaphore.wait(timeout: deadline) == .timedOut {
                // Still registered: a later change signals a semaphore nobody waits on, which is harmless.
                return nil
            }
        }
    }
}
