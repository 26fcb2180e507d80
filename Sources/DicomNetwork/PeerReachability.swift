import Foundation

/// Whether the peer could be reached: the first worker that starts holding and the first that gets
/// through again say so, once each.
struct PeerReachability: Sendable {
    var unreachableSince: Date?
}
