import DicomNetwork
import Foundation
import Locking

/// The outcomes a StoreSender reported, collected from its threads.
public final class SendOutcomes: Sendable {
    private let outcomes = Locked<[(String, StoreSender.Outcome)]>([])

    public init() {}

    public func add(_ item: StoreSender.Item, _ outcome: StoreSender.Outcome) {
        outcomes.withLock { $0.append((item.displayPath, outcome)) }
    }

    /// (display path, outcome) in the order reported.
    public var list: [(String, StoreSender.Outcome)] { outcomes.withLock { $0 } }

    public var stored: Int { count { if case .stored = $0 { true } else { false } } }
    public var skipped: Int { count { if case .skipped = $0 { true } else { false } } }
    public var failed: Int { count { if case .failed = $0 { true } else { false } } }

    /// The messages of the failed items.
    public var failures: [String] {
        list.compactMap { if case .failed(let message) = $0.1 { message } else { nil } }
    }

    /// SOP Instance UIDs the peer confirmed.
    public var confirmed: [String] {
        list.compactMap { if case .stored(let uid, _, _, _, _, _) = $0.1 { uid } else { nil } }
    }

    private func count(_ matches: (StoreSender.Outcome) -> Bool) -> Int { list.filter { matches($0.1) }.count }
}
