import ArgumentParser
import LinkBench
import LinkEmulation

/// Links and relay targets as typed arguments: parsed once, by the argument parser, with the format in the
/// option's help when a value is refused.
extension LinkProfile: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

extension HostAndPort: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension Strategy.Kind: ExpressibleByArgument {}
