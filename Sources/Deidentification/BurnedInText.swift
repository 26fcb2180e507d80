import DicomCore
import Foundation
import Yams

/// Objects whose pixels may carry text (names, dates) that no attribute rule can remove: those that say so
/// (Burned In Annotation YES), ultrasound, secondary captures and screenshots (perfusion maps, reports).
enum BurnedInRisk {
    static let riskyModalities: Set<String> = ["US", "XC", "OT", "SC", "DOC", "ES"]

    /// Why this object is at risk, nil when it is not.
    static func reason(in object: DicomObject, elements: [Element]) throws(DicomError) -> String? {
        guard elements.contains(where: { $0.tag == .pixelData && $0.depth == 0 }) else { return nil }
        if try object.string(.burnedInAnnotation)?.uppercased() == "YES" { return "Burned In Annotation is YES" }
        let sopClass = try object.string(.sopClassUID) ?? ""
        if sopClass.hasPrefix("1.2.840.10008.5.1.4.1.1.7") { return "secondary capture (screenshots carry text)" }
        if sopClass.hasPrefix("1.2.840.10008.5.1.4.1.1.6.") || sopClass.hasPrefix("1.2.840.10008.5.1.4.1.1.3.1") {
            return "ultrasound (text is burned into the image)"
        }
        if let modality = try object.string(.modality), riskyModalities.contains(modality.uppercased()) {
            return "modality \(modality) (text is often burned into the image)"
        }
        return nil
    }
}

/// Regions to blank in the pixels of objects with burned-in text, chosen by manufacturer, model and image
/// size, as CTP's DicomPixelAnonymizer does. Read from a YAML list:
///
///     - manufacturer: ACME        # optional, case-insensitive prefix of Manufacturer
///       model: Scan               # optional, case-insensitive prefix of Manufacturer's Model Name
///       rows: 480                 # optional
///       columns: 640              # optional
///       blank: [[0, 0, 640, 40]]  # rectangles: x, y, width, height in pixels
public struct PixelCleaningRules: Sendable, Decodable {
    public struct Rule: Sendable, Decodable {
        public let manufacturer: String?
        public let model: String?
        public let rows: Int?
        public let columns: Int?
        public let blank: [[Int]]
    }

    public let rules: [Rule]

    public init(from decoder: Decoder) throws { rules = try [Rule](from: decoder) }

    public init(yaml: String, file: String) throws(DeidentificationError) {
        do { self = try YAMLDecoder().decode(PixelCleaningRules.self, from: yaml) } catch {
            throw DeidentificationError("\(file): \(ProfileFile.describe(error))")
        }
        for (index, rule) in rules.enumerated() where rule.blank.isEmpty || rule.blank.contains(where: { $0.count != 4 || $0.contains { $0 < 0 } }) {
            throw DeidentificationError("\(file): rule \(index + 1): blank needs rectangles [x, y, width, height] of non-negative numbers")
        }
    }

    /// The first rule matching the object, nil when none does.
    func rule(for object: DicomObject, geometry: ImageGeometry) throws(DicomError) -> Rule? {
        let manufacturer = try object.string(.manufacturer)?.lowercased() ?? ""
        let model = try object.string(.manufacturerModelName)?.lowercased() ?? ""
        return rules.first { rule in
            (rule.manufacturer.map { manufacturer.hasPrefix($0.lowercased()) } ?? true)
                && (rule.model.map { model.hasPrefix($0.lowercased()) } ?? true)
                && (rule.rows.map { $0 == geometry.rows } ?? true) && (rule.columns.map { $0 == geometry.columns } ?? true)
        }
    }
}

/// Blanks rectangles of every frame and sample (sets them to zero), in native pixel data; compressed pixel
/// data is decompressed first (the output is then explicit little endian).
enum PixelBlanker {
    static func blank(_ rectangles: [[Int]], in object: DicomObject, geometry: ImageGeometry) throws(DicomError) {
        try blank(Dictionary(uniqueKeysWithValues: (0..<geometry.frames).map { ($0, rectangles) }), in: object, geometry: geometry)
    }

    /// Rectangles per frame (frames not listed are left as they are).
    static func blank(_ rectanglesByFrame: [Int: [[Int]]], in object: DicomObject, geometry: ImageGeometry) throws(DicomError) {
        guard geometry.bitsAllocated == 8 || geometry.bitsAllocated == 16 else {
            throw DicomError("cannot blank pixels of \(geometry.bitsAllocated) bits allocated")
        }
        if object.transferSyntax.isEncapsulated || object.transferSyntax == .explicitBigEndian {
            try object.changeTransferSyntax(to: .explicitLittleEndian)
        }
        guard var pixels = try object.bytes(.pixelData) else { throw DicomError("no pixel data") }
        let bytesPerSample = geometry.bitsAllocated / 8
        let planar = (try object.integer(Tag(0x0028, 0x0006)) ?? 0) == 1 && geometry.samplesPerPixel > 1
        let frameBytes = geometry.rows * geometry.columns * geometry.samplesPerPixel * bytesPerSample
        guard pixels.count >= frameBytes * geometry.frames else { throw DicomError("pixel data shorter than its geometry") }
        for (frame, rectangles) in rectanglesByFrame where frame < geometry.frames {
            for rectangle in rectangles {
                let (x0, y0) = (min(rectangle[0], geometry.columns), min(rectangle[1], geometry.rows))
                let (x1, y1) = (min(x0 + rectangle[2], geometry.columns), min(y0 + rectangle[3], geometry.rows))
                for y in y0..<y1 {
                    for sample in 0..<geometry.samplesPerPixel {
                        // Interleaved: samples side by side in each pixel; planar: one plane per sample.
                        let (start, stride) = planar
                            ? ((sample * geometry.rows + y) * geometry.columns * bytesPerSample, bytesPerSample)
                            : ((y * geometry.columns * geometry.samplesPerPixel + sample) * bytesPerSample,
                               geometry.samplesPerPixel * bytesPerSample)
                        for x in x0..<x1 {
                            let offset = frame * frameBytes + start + x * stride
                            for byte in 0..<bytesPerSample { pixels[offset + byte] = 0 }
                        }
                    }
                }
            }
        }
        try object.set(ElementPath(.pixelData), bytes: pixels)
    }
}
