/// A file that could not be written (or flushed), with the path and the system's reason in one line.
public struct AtomicFileError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
