import DicomCore
import Foundation

/// A DICOM peer written AET@HOST:PORT.
public struct PeerAddress: Hashable, Sendable, CustomStringConvertible {
    public let aeTitle: String
    public let host: String
    public let port: UInt16

    public init?(_ text: String) {
        guard let at = text.firstIndex(of: "@"), let colon = text.lastIndex(of: ":"), at < colon else { return nil }
        let title = String(text[..<at]), host = String(text[text.index(after: at)..<colon])
        guard (1...16).contains(title.count), !title.contains("\\"), title.allSatisfy({ $0.isASCII && !$0.isNewline }),
            !host.isEmpty, let port = UInt16(text[text.index(after: colon)...]), port > 0
        else { return nil }
        (aeTitle, self.host, self.port) = (title, host, port)
    }

    public var description: String { "\(aeTitle)@\(host):\(port)" }

    /// A file of peers, one AET@HOST:PORT per line (blank lines and `#` comments skipped).
    public static func list(contentsOf url: URL) throws(DicomError) -> [PeerAddress] {
        try PeerListFile.entries(of: url, kind: "list of peers", format: "AET@HOST:PORT", PeerAddress.init)
    }
}
