import AtomicOutput
import DicomCore
import Foundation
import Locking

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

    /// The header of maps written now; `legacyHeader` is the first format's, read as it was written.
    static let header = "kind,pseudonym,attribute,original_value"
    static let legacyHeader = "kind,pseudonym,attribute,original"

    /// RFC 4180: fields holding a comma, a quote, CR or LF are quoted (by Unicode scalar: Swift's "\r\n" is one
    /// character). A field a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
    /// apostrophe, as does one already beginning with an apostrophe, so reading takes exactly one back off.
    var csvLine: String { [kind, pseudonym, attribute, original].map { Self.quoted(Self.neutralized($0)) }.joined(separator: ",") }

    static func neutralized(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, "=+-@\t\r'".unicodeScalars.contains(first) else { return field }
        return "'" + field
    }

    static func quoted(_ field: String) -> String {
        guard field.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The records of a map's text after its header: RFC 4180 (quoted fields may hold line breaks). `escaped`
    /// maps take back the apostrophe that neutralized a field. A torn last record or a malformed one is skipped.
    static func records(in text: Substring, escaped: Bool) -> [MapRecord] {
        var records: [MapRecord] = []
        var fields: [String] = [], field = "", quoted = false, wasQuoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            fields.append(field)
            if fields.count == 4 {
                let values = escaped ? fields.map { $0.hasPrefix("'") ? String($0.dropFirst()) : $0 } : fields
                records.append(MapRecord(kind: values[0], pseudonym: values[1], attribute: values[2], original: values[3]))
            }
            fields = []
            field = ""
        }
        while let scalar = pending ?? scalars.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                } else { field.unicodeScalars.append(scalar) }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !wasQuoted: quoted = true; wasQuoted = true
            case ",": fields.append(field); field = ""; wasQuoted = false
            case "\r": continue
            case "\n": endRecord(); wasQuoted = false
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !quoted && !(fields.isEmpty && field.isEmpty) { endRecord() }
        return records
    }
}

/// The map file: CSV, append-only, created with mode 0600 (it re-identifies patients). Several processes
/// may append to one map: each batch of lines is one write under an exclusive lock. Lines already in the
/// file are not written again. Pseudonyms are keyed, so a lost line is found again by rerunning with the key.
public final class PseudonymMap: Sendable {
    private let descriptor: Int32
    private let path: String
    private let known: Locked<Set<MapRecord>>

    public init(path: String) throws(DeidentificationError) {
        self.path = path
        let records = try Self.upgradeLegacyMap(path: path)
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DeidentificationError("\(path): cannot open the map: \(String(cString: strerror(errno)))") }
        // An existing map made with a looser mode is tightened: it holds the originals.
        fchmod(descriptor, 0o600)
        self.descriptor = descriptor
        known = Locked(Set(records))
        if records.isEmpty && lseek(descriptor, 0, SEEK_END) == 0 { try append(lines: [MapRecord.header]) }
    }

    /// The records already in the map. A map in the first format (fields unquoted where they held CR LF,
    /// formulas unneutralized) is rewritten in the current one, atomically and 0600, before it is opened
    /// for appending.
    private static func upgradeLegacyMap(path: String) throws(DeidentificationError) -> [MapRecord] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let records = try read(path: path)
        guard let data = FileManager.default.contents(atPath: path),
            String(decoding: data.prefix(MapRecord.legacyHeader.utf8.count + 1), as: UTF8.self) == MapRecord.legacyHeader + "\n"
        else { return records }
        let lines = [MapRecord.header] + records.map(\.csvLine)
        do {
            try AtomicFile.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: URL(fileURLWithPath: path), permissions: 0o600)
        } catch { throw DeidentificationError("\(path): cannot upgrade the map: \(error)") }
        return records
    }

    deinit {
        fsync(descriptor)
        close(descriptor)
    }

    /// Every record of a map file, in either format; torn or malformed records are skipped, a file that is
    /// not a map refused.
    public static func read(path: String) throws(DeidentificationError) -> [MapRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeidentificationError("\(path): cannot read the map")
        }
        let text = String(decoding: data, as: UTF8.self)
        if text.isEmpty { return [] }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }.trimmingCharacters(in: .whitespacesAndNewlines)
        guard firstLine == MapRecord.header || firstLine == MapRecord.legacyHeader else {
            throw DeidentificationError("\(path): not a dcm-anon map (no \(MapRecord.header) header)")
        }
        let body = text.drop { $0 != "\n" && $0 != "\r\n" }.dropFirst()
        return MapRecord.records(in: body, escaped: firstLine == MapRecord.header)
    }

    /// Appends the records not yet in the map.
    public func add(_ records: [MapRecord]) throws(DeidentificationError) {
        let lines: [String] = known.withLock { known in
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
