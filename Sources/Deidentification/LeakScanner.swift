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
        /// The value the bytes encode (in UTF-8, ISO 8859-1, JIS...: one needle per character set). Not part
        /// of the needle's identity: bytes and source are.
        public let text: String

        public static func == (lhs: Needle, rhs: Needle) -> Bool { lhs.bytes == rhs.bytes && lhs.source == rhs.source }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(bytes)
            hasher.combine(source)
        }

        /// Numbers, dates and UIDs match only as whole tokens: "0010" inside "19000101" or a UID inside a
        /// longer UID is another value.
        var isNumeric: Bool { bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E } }
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
    /// Values that also occur inside the object's equipment and coded attributes (an Institution Name
    /// "TOSHIBA" inside the Manufacturer "TOSHIBA_MEC") are left out: they cannot tell a leak from the
    /// attribute every de-identification keeps.
    public mutating func addOriginal(_ object: DicomObject) throws(DicomError) {
        var found = LeakScanner()
        var otherValues: Set<String> = []
        for element in try object.elements() where !element.inMetaInformation || element.tag == .mediaStorageSOPInstanceUID {
            let before = found.needles.count
            found.add(element)
            if found.needles.count == before, let text = element.text, element.vr == "CS" || Self.equipmentTags.contains(element.tag) {
                otherValues.insert(text)
            }
        }
        found.exclude(keptValues: otherValues)
        merge(found)
    }

    static let equipmentTags: Set<Tag> = [.manufacturer, .manufacturerModelName, Tag(0x0018, 0x1020)]

    /// Collects the identifying values of one element (nothing for values that identify nobody).
    public mutating func add(_ element: Element, includingPrivate: Bool = true) {
        guard let text = element.text, includingPrivate || !element.tag.isPrivate else { return }
        let source = "\(element.tag) \(element.vr)"
        for value in candidates(text, vr: element.vr, tag: element.tag) { add(value, source: source) }
    }

    /// A value that must not appear, in every character set an object could carry it in.
    public mutating func add(_ value: String, source: String) {
        for bytes in TextEncodings.variants(of: value) where bytes.count >= 3 {
            needles.insert(Needle(bytes: bytes, source: source, text: value))
        }
    }

    /// Drops needles found inside values the output holds on purpose (an Institution Name "TOSHIBA" inside
    /// the Manufacturer "TOSHIBA_MEC", a Study ID "ANON" inside a dummy), and those of one repeated character
    /// ("00000"): they identify nobody.
    public mutating func exclude(keptValues: Set<String>) {
        // One haystack of every kept value, NUL-separated, searched with the scanner itself.
        var haystack: [UInt8] = []
        for value in keptValues { haystack += value.utf8; haystack.append(0) }
        // Every character set's needle of a value goes with it.
        let contained = Set(found(in: haystack[...], numbersAsWholeTokens: false).map(\.needle.text))
        needles = needles.filter { Set($0.bytes).count > 1 && !contained.contains($0.text) }
    }

    /// Adds another scanner's needles.
    public mutating func merge(_ other: LeakScanner) { needles.formUnion(other.needles) }

    /// The identifying texts collected so far.
    public var values: [String] { Array(Set(needles.map(\.text))) }

    func candidates(_ text: String, vr: String, tag: Tag) -> [String] {
        let values = text.split(separator: "\\").map { $0.trimmedPadding }
        switch vr {
        case "PN":
            // The whole name in its free-text forms, and each part long enough not to match by chance.
            return values.flatMap { value in
                let forms = NameForms.forms(of: value, allOrders: false)
                return forms.whole + forms.parts
            }
        case "DA", "DT":
            return values.filter { $0.count >= 8 }
        case "UI":
            // Well-known UIDs (SOP classes, transfer syntaxes, coding schemes) identify nobody.
            return values.filter { !$0.hasPrefix("1.2.840.10008.") && $0.count >= 10 }
        default:
            let identifying = Self.identifyingTags.contains(tag) || (tag.isPrivate && !tag.isPrivateCreator)
            guard identifying, ["LO", "SH", "LT", "ST", "UT", "UC", "AE", "UN", "CS", "IS"].contains(vr) else { return [] }
            // Private numbers (doses, factors, counts) are measurements, not identities.
            return values.filter { $0.count >= 4 && !(tag.isPrivate && Double($0) != nil) }
        }
    }

    /// Every needle found in `bytes`, at its first offset.
    public func leaks(in bytes: [UInt8]) -> [Leak] { leaks(in: bytes, pixelValueLength: nil) }

    /// The same, except the value of a native Pixel Data element of `pixelValueLength` bytes that ends the
    /// file: it is pixels, not text (burned-in text is handled as pixels).
    public func leaks(in bytes: [UInt8], pixelValueLength: Int?) -> [Leak] {
        let end = pixelValueLength.flatMap { Self.pixelValueStart(in: bytes, length: $0) } ?? bytes.count
        return found(in: bytes[..<end], numbersAsWholeTokens: true).map { Leak(source: $0.needle.source, offset: $0.offset) }
            .sorted { ($0.offset, $0.source) < ($1.offset, $1.source) }
    }

    /// Where the pixel value starts when a little-endian Pixel Data header (explicit VR: tag, VR, two
    /// reserved bytes, length; implicit: tag, length) declaring `length` sits right before the file's last
    /// `length` bytes; nil otherwise (then everything is searched).
    static func pixelValueStart(in bytes: [UInt8], length: Int) -> Int? {
        let start = bytes.count - length
        for (headerLength, lengthOffset) in [(12, 8), (8, 4)] where start - headerLength >= 0 {
            let header = start - headerLength
            let declared = (0..<4).reduce(0) { $0 | Int(bytes[header + lengthOffset + $1]) << (8 * $1) }
            if bytes[header..<(header + 4)].elementsEqual([0xE0, 0x7F, 0x10, 0x00]) && declared == length { return start }
        }
        return nil
    }

    /// One pass over the bytes: a bitmap of the needles' first two bytes rejects almost every position at
    /// once; the rest are looked up by their first three bytes and only those candidates compared.
    private func found(in bytes: ArraySlice<UInt8>, numbersAsWholeTokens: Bool) -> [(needle: Needle, offset: Int)] {
        let list = Array(needles)
        var byPrefix: [UInt32: [Int]] = [:]
        let numeric = list.map { numbersAsWholeTokens && $0.isNumeric }
        var firstTwo = [UInt64](repeating: 0, count: 1024)
        for (index, needle) in list.enumerated() {
            byPrefix[Self.prefix(needle.bytes, 0), default: []].append(index)
            let pair = Int(needle.bytes[0]) << 8 | Int(needle.bytes[1])
            firstTwo[pair >> 6] |= 1 << UInt64(pair & 63)
        }
        var firstOffsets = [Int?](repeating: nil, count: list.count)
        var remaining = list.count
        bytes.withUnsafeBufferPointer { hay in
            guard hay.count >= 3 else { return }
            var position = 0
            let last = hay.count - 3
            while position <= last, remaining > 0 {
                defer { position += 1 }
                let pair = Int(hay[position]) << 8 | Int(hay[position + 1])
                guard firstTwo[pair >> 6] & (1 << UInt64(pair & 63)) != 0 else { continue }
                let key = UInt32(hay[position]) << 16 | UInt32(hay[position + 1]) << 8 | UInt32(hay[position + 2])
                guard let candidates = byPrefix[key] else { continue }
                for index in candidates where firstOffsets[index] == nil {
                    let needle = list[index].bytes
                    let end = position + needle.count
                    guard end <= hay.count && hay[position..<end].elementsEqual(needle) else { continue }
                    if numeric[index] && (Self.isNumberByte(position > 0 ? hay[position - 1] : 0)
                        || Self.isNumberByte(end < hay.count ? hay[end] : 0)) {
                        continue
                    }
                    firstOffsets[index] = position
                    remaining -= 1
                }
            }
        }
        return zip(list, firstOffsets).compactMap { needle, offset in offset.map { (needle, $0) } }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool { (byte >= 0x30 && byte <= 0x39) || byte == 0x2E }

    private static func prefix(_ bytes: [UInt8], _ start: Int) -> UInt32 {
        UInt32(bytes[start]) << 16 | UInt32(bytes[start + 1]) << 8 | UInt32(bytes[start + 2])
    }

    /// One line for a leaking file: the attributes the leaked values came from, first found first.
    public static func summary(of leaks: [Leak], listing limit: Int = 6) -> String {
        var sources: [String] = []
        for leak in leaks where !sources.contains(leak.source) { sources.append(leak.source) }
        let shown = sources.prefix(limit).joined(separator: ", ")
        let more = sources.count > limit ? " and \(sources.count - limit) more" : ""
        return "\(leaks.count) identifying value(s) of the originals, from \(shown)\(more)"
    }
}
