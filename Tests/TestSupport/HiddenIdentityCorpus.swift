import DicomCore
import Foundation
import SyntheticStudy

/// Generated CT objects with identifying data everywhere it can hide: top level, sequences two and three
/// levels deep, a private block, UN values (public and private), free text, graphic annotations, structured
/// content, overlays and the file meta information.
public struct HiddenIdentityCorpus: Sendable {
    public let study: StrokeStudy

    public init(seed: UInt64 = 11) { study = StrokeStudy(scale: 0.01, seed: seed) }

    public var identity: FakeIdentity { study.identity }
    public var family: String { String(identity.patientName.split(separator: "^")[0]) }

    /// Image `index` of the first series, with every extra hiding place, re-read from its bytes so that the UN
    /// values are what a reader sees.
    public func object(_ index: Int = 1, series: Int = 1) throws -> DicomObject {
        let object = try study.image(series: series, index: index)
        let id = identity
        // Free text naming the patient.
        try object.set(Tag(0x0020, 0x4000), "Patient \(id.patientName) transferred from \(id.institution)")
        try object.set(Tag(0x0008, 0x1030), "AVC \(family) THROMBOLYSE")
        // Graphic annotation with the name typed on the image (Clean Graphics).
        let annotation = ElementPath(Tag(0x0070, 0x0001))
        let text = annotation.appending(item: 0, Tag(0x0070, 0x0008))
        try object.set(annotation.appending(item: 0, Tag(0x0070, 0x0002)), "LABELS")
        try object.set(text.appending(item: 0, Tag(0x0070, 0x0006)), "\(family) \(id.birthDate)")
        try object.set(text.appending(item: 0, Tag(0x0070, 0x0004)), "PIXEL")
        try object.set(text.appending(item: 0, Tag(0x0070, 0x0010)), "10\\10")
        try object.set(text.appending(item: 0, Tag(0x0070, 0x0011)), "200\\30")
        // Structured content three levels deep: a text item and an observer name.
        let content = ElementPath(Tag(0x0040, 0xA730))
        let inner = content.appending(item: 0, Tag(0x0040, 0xA730)).appending(item: 0, Tag(0x0040, 0xA730))
        try object.set(content.appending(item: 0, Tag(0x0040, 0xA040)), "CONTAINER")
        try object.set(inner.appending(item: 0, Tag(0x0040, 0xA040)), "TEXT")
        try object.set(inner.appending(item: 0, Tag(0x0040, 0xA160)), "Seen by Dr \(id.referringPhysician) for \(id.patientName)")
        try object.set(inner.appending(item: 0, Tag(0x0040, 0xA123)), id.operatorName)
        // Overlay comments with the name, and the overlay itself.
        try object.set(Tag(0x6000, 0x0010), "4")
        try object.set(Tag(0x6000, 0x0011), "4")
        try object.set(Tag(0x6000, 0x0040), "G")
        try object.set(Tag(0x6000, 0x0050), "1\\1")
        try object.set(Tag(0x6000, 0x0100), "1")
        try object.set(Tag(0x6000, 0x0102), "0")
        try object.set(Tag(0x6000, 0x4000), "drawn for \(family)")
        try object.set(ElementPath(Tag(0x6000, 0x3000)), bytes: [0xFF, 0xFF], vr: "OW")
        // A public attribute stored as UN, and a private UN value three levels deep.
        try object.set(ElementPath(Tag(0x0010, 0x2180)), bytes: Self.evenBytes("CHAUFFEUR \(family)"), vr: "UN")
        let privateSequence = ElementPath(Tag(0x0011, 0x1010))
        try object.set(ElementPath(Tag(0x0011, 0x0010)), "HIDDEN VENDOR", vr: "LO")
        try object.set(privateSequence.appending(item: 0, Tag(0x0011, 0x0010)), "HIDDEN VENDOR", vr: "LO")
        try object.set(privateSequence.appending(item: 0, Tag(0x0011, 0x1010)).appending(item: 0, Tag(0x0011, 0x1001)),
                       bytes: Self.evenBytes("x \(id.patientID) y"), vr: "UN")
        // The file meta information names the sending station.
        try object.set(Tag(0x0002, 0x0016), id.stationName)
        return try DicomObject(bytes: try object.encoded(as: .explicitLittleEndian))
    }

    static func evenBytes(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        if bytes.count % 2 == 1 { bytes.append(0x20) }
        return bytes
    }

    /// Writes images 0..<count of the first series under `folder`.
    public func write(_ count: Int, to folder: URL) throws -> [URL] {
        try (0..<count).map { index in
            let url = folder.appendingPathComponent(String(format: "IM%03d.dcm", index))
            try object(index).write(to: url)
            return url
        }
    }
}
