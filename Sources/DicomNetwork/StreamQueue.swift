/// A streaming sender's queue: what waits to be sent, urgent items first, and whether the input ended.
struct StreamQueue: Sendable {
    /// Urgent items first, each group in arrival order.
    var waiting: [(item: StoreSender.Item, urgent: Bool)] = []
    var ended = false

    /// A retried item goes to the head of its group.
    mutating func add(_ item: StoreSender.Item, urgent: Bool, retry: Bool = false) {
        let routineStart = waiting.firstIndex { !$0.urgent } ?? waiting.count
        let position = urgent ? (retry ? 0 : routineStart) : (retry ? routineStart : waiting.count)
        waiting.insert((item, urgent), at: position)
    }
}
