/// A link that cannot be described or set up: the message names the part at fault.
public struct LinkError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
