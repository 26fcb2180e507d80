import DicomCore
import Foundation

/// Finds identifying values of original objects anywhere in other files: any element, any depth, any VR,
/// private blocks and UN bytes included, because it searches the outputs' raw bytes.
public struct LeakScanner: Sendable {
    /// A value that must not appear in a de-identified output, with where it came from (never the value
    /// itself in reports: that would leak it again).
    public struct Needle: Hashable, Sendable {
        public let bytes: [UInt8]
        public let source: String  // "(0010,0010) PN" style
    }

    public struct Leak: Hashable, Sendable {
        public let source: String
        public let offset: Int
    }

    public private(set) var needles: Set<Needle> = []

    public init() {}

    /// Attributes whose values identify a patient, a clinician, an institution or a device, beyond the
    /// VR-based rules below (PN, dates, UIDs, private text).
    static let identifyingTags: Set<Tag> = [
        .patientID, .issuerOfPatientID, .accessionNumber, .institutionName, .institutionAddress, .stationName,
        .institutionalDepartmentName, .deviceSerialNumber, .studyID, .patientAddress, .patientTelephoneNumbers,
        Tag(0x0040, 0x1001), Tag(0x0040, 0x0009), Tag(0x0008, 0x0100), Tag(0x0010, 0x1000),
        Tag(0x0010, 0x2160), Tag(0x0010, 0x21B0), Tag(0x0010, 0x4000), Tag(0x0032, 0x1060),
        Tag(0x0040, 0x0253), Tag(0x0020, 0x4000), Tag(0x0038, 0x0010), Tag(0x0038, 0x0300),
    ]

    /// Collects the identifying values of an original object.
    public mutating func addOriginal(_ object: DicomObject) throws(DicomError) {
        for element in try object.elements() where !element.inMetaInformation || element.tag == .mediaStorageSOPInstanceUID {
            guard let text = element.text else { continue }
            let source = "\(element.tag) \(element.vr)"
            for value in candidates(text, vr: element.vr, tag: element.tag) {
                needles.insert(Needle(bytes: Array(value.utf8), source: source))
            }
        }
    }

    func candidates(_ text: String, vr: String, tag: Tag) -> [String] {
        let values = text.split(separator: "\\").map { $0.trimmingCharacters(in: .whitespaces) }
        switch vr {
        case "PN":
            // The whole name and each name part long enough not to match by chance.
            return values.flatMap { value in
                [value] + value.split(whereSeparator: { "^=".contains($0) }).map(String.init).filter { $0.count >= 4 }
            }.filter { $0.count >= 3 }
        case "DA", "DT":
            return values.filter { $0.count >= 8 }
        case "UI":
            // Well-known UIDs (SOP classes, transfer syntaxes, coding schemes) identify nobody.
            return values.filter { !$0.hasPrefix("1.2.840.10008.") && $0.count >= 10 }
        default:
            let identifying = Self.identifyingTags.contains(tag) || (tag.isPrivate && !tag.isPrivateCreator)
            guard identifying, ["LO", "SH", "LT", "ST", "UT", "UC", "AE", "UN", "CS", "IS"].contains(vr) || tag.isPrivate
            else { return [] }
            return values.filter { $0.count >= 4 }
        }
    }

    /// Every needle found in `bytes`, at its first offset.
    public func leaks(in bytes: [UInt8]) -> [Leak] {
        var found: [Leak] = []
        for needle in needles {
            if let offset = firstOffset(of: needle.bytes, in: bytes) { found.append(Leak(source: needle.source, offset: offset)) }
        }
        return found.sorted { ($0.offset, $0.source) < ($1.offset, $1.source) }
    }

    private func firstOffset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        return haystack.withUnsafeBufferPointer { hay -> Int? in
            var index = 0
            let last = hay.count - needle.count
            while index <= last {
                guard let position = hay[index...].firstIndex(of: first) else { return nil }
                if position > last { return nil }
                if needle.indices.allSatisfy({ hay[position + $0] == needle[$0] }) { return position }
                index = position + 1
            }
            return nil
        }
    }
}
