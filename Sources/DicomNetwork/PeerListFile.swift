import DicomCore
import Foundation

/// A file of peers, one per line; blank lines and `#` comments are skipped. Errors name the file and line.
enum PeerListFile {
    static func entries<Peer>(
        of url: URL, kind: String, format: String, _ make: (String) -> Peer?
    ) throws(DicomError) -> [Peer] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw DicomError("\(url.path): cannot read the \(kind): \(error.localizedDescription)")
        }
        var peers: [Peer] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let entry = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces)
            if entry.isEmpty { continue }
            guard let peer = make(entry) else { throw DicomError("\(url.path):\(number + 1): not \(format): '\(entry)'") }
            peers.append(peer)
        }
        return peers
    }
}
