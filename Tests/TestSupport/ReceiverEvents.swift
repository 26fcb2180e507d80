import DicomNetwork
import Foundation
import Locking

/// The events (refusals, errors) a StorageReceiver reported, collected from its threads.
public final class ReceiverEvents: Sendable {
    private let events = Locked<[StorageReceiver.Event]>([])

    public init() {}

    public func add(_ event: StorageReceiver.Event) { events.withLock { $0.append(event) } }

    public var messages: [String] { events.withLock { $0.map(\.message) } }
    public var refusals: [String] { events.withLock { $0.filter { $0.kind == .refusal }.map(\.message) } }

    /// The refusals once at least `count` of them match (the receiver's threads report a refused
    /// handshake after the sender has already given up), or what there is after `seconds`.
    public func refusals(atLeast count: Int, matching filter: (String) -> Bool, seconds: Double = 5) -> [String] {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline && refusals.filter(filter).count < count {
            Thread.sleep(forTimeInterval: 0.02)
        }
        return refusals
    }
}
