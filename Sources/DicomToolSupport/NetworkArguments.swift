import ArgumentParser
import DicomNetwork

extension PeerAddress: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension AllowedPeer: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension UrgentRule: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension AssociationCount: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
