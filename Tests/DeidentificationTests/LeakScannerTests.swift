import Deidentification
import DicomCore
import SyntheticStudy
import TestSupport
import Testing

@Suite struct LeakScannerTests {
    let study = StrokeStudy(scale: 0.01, seed: 5)

    @Test func originalLeaksItsOwnIdentityEverywhereItHides() throws {
        let original = try study.image(series: 1, index: 1)
        var scanner = LeakScanner()
        try scanner.addOriginal(original)
        let leaks = scanner.leaks(in: try original.encoded())
        let sources = Set(leaks.map(\.source))
        // Top level, nested sequences, the private block, UIDs and dates all count.
        for expected in ["(0010,0010) PN", "(0010,0020) LO", "(0009,1001) LO", "(0008,0100) SH", "(0020,000D) UI",
                         "(0010,0030) DA", "(0008,0080) LO", "(0008,1155) UI"] {
            #expect(sources.contains(expected), "\(expected)")
        }
    }

    @Test func cleanedObjectHasNoLeakAndOneRemainingValueIsFound() throws {
        let original = try study.image(series: 0, index: 0)
        var scanner = LeakScanner()
        try scanner.addOriginal(original)
        // Strip everything identifying by hand: only the pixel data and a few safe attributes remain.
        let clean = DicomObject()
        for tag in [Tag.sopClassUID, .modality, .rows, .columns, .bitsAllocated, .bitsStored, .highBit,
                    .pixelRepresentation, .samplesPerPixel, .photometricInterpretation] {
            try clean.set(tag, try #require(try original.string(tag)))
        }
        try clean.set(.sopInstanceUID, "2.25.1")
        try clean.set(ElementPath(.pixelData), bytes: try #require(try original.bytes(.pixelData)), vr: "OW")
        #expect(scanner.leaks(in: try clean.encoded()).isEmpty)

        // One family name hidden three levels deep in a UN element of a private block is found.
        let family = study.identity.patientName.split(separator: "^")[0]
        try clean.set("(0011,1010)[0].(0011,1010)[0].(0011,1001)", bytes: Array("x \(family) y ".utf8), vr: "UN")
        let leaks = scanner.leaks(in: try clean.encoded())
        #expect(leaks.map(\.source).contains("(0010,0010) PN"))
    }
}
