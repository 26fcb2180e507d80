import DicomNetwork
import Locking

/// The events (refusals, errors) a StorageReceiver reported, collected from its threads.
public final class ReceiverEvents: Sendable {
    private let events = Locked<[StorageReceiver.Event]>([])

    public init() {}

    public func add(_ event: StorageReceiver.Event) { events.withLock { $0.append(event) } }

    public var messages: [String] { events.withLock { $0.map(\.message) } }
    public var refusals: [String] { events.withLock { $0.filter { $0.kind == .refusal }.map(\.message) } }
}
