import DicomCore
import Foundation

/// A peer the receiver accepts: a calling AE title, from one host (name or address) or from anywhere.
/// Written `AET` or `AET@HOST`.
public struct AllowedPeer: Hashable, Sendable, CustomStringConvertible {
    public let aeTitle: String
    public let host: String?

    public init?(_ text: String) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let title = parts[0]
        guard (1...16).contains(title.count), title.allSatisfy({ $0.isASCII && !$0.isNewline && $0 != "\\" && $0 != " " })
        else { return nil }
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { return nil }
        }
        (aeTitle, host) = (title, parts.count == 2 ? parts[1] : nil)
    }

    public var description: String { host.map { "\(aeTitle)@\($0)" } ?? aeTitle }

    /// An allow-list file: one peer per line; blank lines and `#` comments are skipped. Errors name the line.
    public static func list(contentsOf url: URL) throws(DicomError) -> [AllowedPeer] {
        try PeerListFile.entries(of: url, kind: "allow-list", format: "AET or AET@HOST", AllowedPeer.init)
    }
}
