import LinkEmulation

/// A benchmark that cannot run: the message says why.
public struct LinkBenchError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
    public init(_ error: LinkError) { description = error.description }
}
