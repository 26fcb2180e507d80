import Foundation

/// One line of the map the sending hospital keeps: which original hides behind a pseudonym.
///
/// kind `uid`: pseudonym is the keyed UID, original the UID. kind `patient`: pseudonym is the pseudonymous
/// Patient ID, attribute the tag of the original value (name, ID, issuer, birth date, sex) or `date-shift`.
/// kind `study`: pseudonym is the pseudonymous Study Instance UID, attribute the tag (accession, study ID,
/// date, time, description).
public struct MapRecord: Hashable, Sendable {
    public let kind: String
    public let pseudonym: String
    public let attribute: String
    public let original: String

    public init(kind: String, pseudonym: String, attribute: String, original: String) {
        (self.kind, self.pseudonym, self.attribute, self.original) = (kind, pseudonym, attribute, original)
    }

    static let header = "kind,pseudonym,attribute,original"

    var csvLine: String { [kind, pseudonym, attribute, original].map(Self.quoted).joined(separator: ",") }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { ",\"\n\r".contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Parses one CSV line (RFC 4180 quoting); nil for a malformed or torn line.
    init?(csvLine line: Substring) {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if quoted {
                if character == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex && line[next] == "\"" { field.append("\""); index = next } else { quoted = false }
                } else { field.append(character) }
            } else if character == "\"" { quoted = true } else if character == "," {
                fields.append(field)
                field = ""
            } else { field.append(character) }
            index = line.index(after: index)
        }
        fields.append(field)
        guard !quoted, fields.count == 4 else { return nil }
        self.init(kind: fields[0], pseudonym: fields[1], attribute: fields[2], original: fields[3])
    }
}

/// The map file: CSV, append-only, created with mode 0600 (it re-identifies patients). Several processes
/// may append to one map: each batch of lines is one write under an exclusive lock. Lines already in the
/// file are not written again. Pseudonyms are keyed, so a lost line is found again by rerunning with the key.
public final class PseudonymMap: @unchecked Sendable {
    private let descriptor: Int32
    private let path: String
    private let lock = NSLock()
    private var known: Set<MapRecord>

    public init(path: String) throws(DeidentificationError) {
        self.path = path
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DeidentificationError("\(path): cannot open the map: \(String(cString: strerror(errno)))") }
        // An existing map made with a looser mode is tightened: it holds the originals.
        fchmod(descriptor, 0o600)
        self.descriptor = descriptor
        let records: [MapRecord]
        do { records = try Self.read(path: path) } catch {
            close(descriptor)
            throw error
        }
        known = Set(records)
        if records.isEmpty && lseek(descriptor, 0, SEEK_END) == 0 { try append(lines: [MapRecord.header]) }
    }

    deinit {
        fsync(descriptor)
        close(descriptor)
    }

    /// Every record of a map file; torn or malformed lines are skipped, a file that is not a map refused.
    public static func read(path: String) throws(DeidentificationError) -> [MapRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeidentificationError("\(path): cannot read the map")
        }
        let text = String(decoding: data, as: UTF8.self)
        if text.isEmpty { return [] }
        guard text.hasPrefix(MapRecord.header) else { throw DeidentificationError("\(path): not a dcm-anon map (no \(MapRecord.header) header)") }
        return text.split(whereSeparator: \.isNewline).dropFirst().compactMap { MapRecord(csvLine: $0) }
    }

    /// Appends the records not yet in the map.
    public func add(_ records: [MapRecord]) throws(DeidentificationError) {
        let lines: [String] = lock.withLock {
            let new = records.filter { known.insert($0).inserted }
            return new.map(\.csvLine)
        }
        if !lines.isEmpty { try append(lines: lines) }
    }

    public func synchronize() { fsync(descriptor) }

    private func append(lines: [String]) throws(DeidentificationError) {
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        flock(descriptor, LOCK_EX)
        defer { flock(descriptor, LOCK_UN) }
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { throw DeidentificationError("\(path): cannot append to the map: \(String(cString: strerror(errno)))") }
            written += result
        }
    }
}
