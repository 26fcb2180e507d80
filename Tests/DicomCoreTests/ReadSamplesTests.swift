import DicomCore
import Foundation
import TestSupport
import Testing

/// The core reads every shared sample; valid ones round-trip, broken ones fail with one line and no output.
@Suite struct ReadSamplesTests {
    @Test(arguments: try TestPaths.validSamples())
    func validSampleRoundTrips(_ url: URL) throws {
        let original = try DicomObject(contentsOf: url)
        let elements = try original.elements()
        #expect(elements.contains { !$0.inMetaInformation }, "a dataset has elements")

        let folder = try TestPaths.temporaryFolder("roundtrip")
        defer { try? FileManager.default.removeItem(at: folder) }
        let copyURL = folder.appendingPathComponent("copy.dcm")
        try original.write(to: copyURL)
        let copy = try DicomObject(contentsOf: copyURL)

        // Same dataset: every element, path, VR, text value and binary value (group lengths are recomputed
        // on writing and are not part of the content).
        #expect(try datasetFingerprint(copy) == datasetFingerprint(original), "\(url.lastPathComponent)")
        // A copy written as a Part 10 file always has meta information naming the same SOP instance.
        #expect(try copy.string(.mediaStorageSOPInstanceUID) == original.string(.sopInstanceUID))
        #expect(copy.transferSyntax == original.transferSyntax)
    }

    @Test(arguments: try TestPaths.brokenSampleFiles())
    func brokenSampleIsRefusedWithOneLine(_ url: URL) throws {
        let error = #expect(throws: DicomError.self) { try DicomObject(contentsOf: url) }
        #expect(error?.message.contains("\n") == false)
        #expect(error?.message.isEmpty == false)
        // From bytes (standard input) too.
        let bytes = [UInt8](try Data(contentsOf: url))
        #expect(throws: DicomError.self) { try DicomObject(bytes: bytes) }
    }

    @Test func directoryIsRefused() throws {
        let error = #expect(throws: DicomError.self) { try DicomObject(contentsOf: TestPaths.dicomSamples) }
        #expect(error?.message == "is a directory")
    }

    @Test func missingFileIsRefused() throws {
        let error = #expect(throws: DicomError.self) {
            try DicomObject(contentsOf: URL(fileURLWithPath: "/nonexistent/x.dcm"))
        }
        #expect(error?.message == "No such file or directory")
    }

    @Test(arguments: try TestPaths.validSamples())
    func readingFromBytesMatchesReadingTheFile(_ url: URL) throws {
        let fromFile = try DicomObject(contentsOf: url)
        let fromBytes = try DicomObject(bytes: [UInt8](try Data(contentsOf: url)))
        #expect(try datasetFingerprint(fromBytes) == datasetFingerprint(fromFile))
    }

    @Test func sameImageInFourSyntaxesDecodesToTheSamePixels() throws {
        let names = ["MR_small.dcm", "MR_small_bigendian.dcm", "MR_small_implicit.dcm", "MR_small_jpeg_ls_lossless.dcm"]
        let pixels = try names.map { try DicomObject(contentsOf: TestPaths.dicomSamples.appendingPathComponent($0)).decodedPixelData() }
        #expect(pixels[0].count == 64 * 64 * 2)
        for other in pixels.dropFirst() { #expect(other == pixels[0]) }
    }

    @Test func transferSyntaxesAreRecognised() throws {
        func syntax(_ name: String) throws -> TransferSyntax {
            try DicomObject(contentsOf: TestPaths.dicomSamples.appendingPathComponent(name)).transferSyntax
        }
        #expect(try syntax("MR_small_bigendian.dcm") == .explicitBigEndian)
        #expect(try syntax("MR_small_implicit.dcm") == .implicitLittleEndian)
        #expect(try syntax("emri_small_RLE.dcm") == .rleLossless)
        #expect(try syntax("JPEG2000.dcm").isEncapsulated)
        #expect(try syntax("693_UNCR.dcm") == .explicitLittleEndian)
    }
}

/// Everything a dataset holds, as comparable text: one line per element (meta information excluded).
func datasetFingerprint(_ object: DicomObject) throws -> [String] {
    try object.elements().filter { !$0.inMetaInformation && !$0.tag.isGroupLength }.map { element in
        var line = "\(element.path) \(element.vr)"
        if let text = element.text {
            line += " = \(text)"
        } else if !element.isSequence {
            let bytes = try object.bytes(element.path) ?? []
            line += " #\(bytes.count) fnv=\(fnv1a(bytes))"
        } else {
            line += " items=\(element.itemCount)"
        }
        return line
    }
}

func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
}
