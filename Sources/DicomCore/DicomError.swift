/// A failure reported by the DICOM core: DCMTK's condition text or the core's own reason, one line.
public struct DicomError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String

    public init(_ message: String) {
        // One line, whatever DCMTK said: callers print it after "tool: path: ".
        self.message = message.split(whereSeparator: \.isNewline).joined(separator: "; ")
    }

    public var description: String { message }
}
