import CDcmtkShim

/// Seconds a sender waits for each phase: the TCP connection, the association's negotiation, and each
/// response of the peer (a C-STORE or C-ECHO answer).
public struct NetworkTimeouts: Sendable, Hashable {
    public var connect: Int
    public var association: Int
    public var response: Int

    public init(connect: Int, association: Int, response: Int) {
        (self.connect, self.association, self.response) = (connect, association, response)
    }

    /// The same limit for every phase.
    public init(all seconds: Int) { self.init(connect: seconds, association: seconds, response: seconds) }

    var shim: dsh_timeouts {
        dsh_timeouts(connect_seconds: Int32(connect), association_seconds: Int32(association), response_seconds: Int32(response))
    }
}
