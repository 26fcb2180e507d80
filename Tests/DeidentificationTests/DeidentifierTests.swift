import DicomCore
import Foundation
import TestSupport
import Testing

@testable import Deidentification

@Suite struct DeidentifierTests {
    let corpus = HiddenIdentityCorpus()
    let key = Array("0123456789abcdef0123456789abcdef".utf8)

    func deidentifier(_ options: Set<ProfileOption> = [], key: [UInt8]? = nil) throws -> Deidentifier {
        var settings = DeidentificationSettings()
        settings.options = options
        return Deidentifier(settings: settings, pseudonymizer: try Pseudonymizer(key: key ?? self.key))
    }

    /// The output as bytes, re-read the way a receiver reads it.
    func roundTrip(_ object: DicomObject) throws -> DicomObject { try DicomObject(bytes: try object.encoded()) }

    @Test func everyHidingPlaceComesOutClean() throws {
        let original = try corpus.object()
        var independent = LeakScanner()
        try independent.addOriginal(original)
        let output = original.copy()
        _ = try deidentifier().deidentify(output)
        let bytes = try output.encoded()
        #expect(independent.leaks(in: bytes).isEmpty, "\(LeakScanner.summary(of: independent.leaks(in: bytes)))")
        // And the corpus really hides all of that: the original leaks from each place.
        let sources = Set(independent.leaks(in: try original.encoded()).map(\.source))
        for source in ["(0010,0010) PN", "(0010,0020) LO", "(0009,1001) LO", "(0040,A123) PN", "(0008,1155) UI"] {
            #expect(sources.contains(source), "\(source)")
        }
        let reread = try roundTrip(output)
        #expect(try reread.string(Tag(0x0002, 0x0016)) == nil)              // meta: Source AE Title
        #expect(try reread.string(Tag(0x0010, 0x2180)) == nil)              // Occupation, read as UN
        #expect(try reread.string(Tag(0x6000, 0x4000)) == nil)              // overlay comments
        #expect(try reread.bytes(Tag(0x6000, 0x3000)) == nil)               // overlay data
        #expect(try reread.string(Tag(0x6000, 0x0010)) == nil)              // and the rest of the overlay
        #expect(try reread.string(Tag(0x0011, 0x0010)) == nil)              // the private block, creator included
        #expect(try reread.string(Tag(0x0020, 0x4000)) == nil)              // Image Comments: X
    }

    @Test func referencesStayIntactAndOneStudyStaysOneStudy() throws {
        let deidentifier = try deidentifier()
        let first = try corpus.object(0)
        let second = try corpus.object(3)
        _ = try deidentifier.deidentify(first)
        _ = try deidentifier.deidentify(second)
        #expect(try first.string(.studyInstanceUID) == second.string(.studyInstanceUID))
        #expect(try first.string(.seriesInstanceUID) == second.string(.seriesInstanceUID))
        #expect(try first.string(.frameOfReferenceUID) == second.string(.frameOfReferenceUID))
        #expect(try first.string(.sopInstanceUID) != second.string(.sopInstanceUID))
        // The second image references the first: the reference follows the first image's new UID.
        #expect(try second.string("(0008,1140)[0].(0008,1155)") == first.string(.sopInstanceUID))
        #expect(try second.string("(0008,1140)[0].(0008,1150)") == "1.2.840.10008.5.1.4.1.1.2")
        #expect(try roundTrip(first).string(.mediaStorageSOPInstanceUID) == first.string(.sopInstanceUID))
        #expect(try first.string(.sopClassUID) == "1.2.840.10008.5.1.4.1.1.2")
    }

    @Test func sameKeySameUIDsOtherKeyOtherUIDs() throws {
        let original = try corpus.object()
        let runs = try [key, key, Array("another key, 16 bytes or more".utf8)].map { key in
            let copy = original.copy()
            _ = try deidentifier(key: key).deidentify(copy)
            return try [Tag.studyInstanceUID, .sopInstanceUID, .patientID, .accessionNumber].map { try copy.string($0) }
        }
        #expect(runs[0] == runs[1])
        for index in runs[0].indices { #expect(runs[0][index] != runs[2][index]) }
    }

    /// 2.25.<decimal of the first 128 bits of HMAC-SHA256(key, UID)>, computed here with Python's hmac.
    @Test func uidsAreTheDecimalOfTheKeyedHMAC() throws {
        let python = try #require(Processes.which("python3"))
        let uid = "1.2.826.0.1.3680043.8.498.12345"
        let script = "import hmac,hashlib,sys; print('2.25.%d' % int.from_bytes(hmac.new(sys.argv[1].encode(), sys.argv[2].encode(), hashlib.sha256).digest()[:16], 'big'))"
        let result = try Processes.run(python, ["-c", script, String(decoding: key, as: UTF8.self), uid])
        #expect(try Pseudonymizer(key: key).uid(for: uid) == result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func pixelsAreBitIdentical() throws {
        let original = try corpus.object()
        let output = original.copy()
        _ = try deidentifier().deidentify(output)
        #expect(try roundTrip(output).bytes(.pixelData) == original.bytes(.pixelData))
    }

    @Test func recordsPatientIdentityRemovedAndTheMethodCodes() throws {
        let output = try corpus.object()
        _ = try deidentifier([.retainSafePrivate, .cleanDescriptors, .retainLongitudinalModifiedDates]).deidentify(output)
        #expect(try output.string(Tag(0x0012, 0x0062)) == "YES")
        #expect(try output.string(Tag(0x0028, 0x0303)) == "MODIFIED")
        let codes = try (0..<4).map { try output.string(ElementPath(parsing: "(0012,0064)[\($0)].(0008,0100)")!) }
        #expect(codes == ["113100", "113105", "113107", "113111"])
        #expect(try output.string("(0012,0064)[0].(0008,0102)") == "DCM")
    }

    @Test func modifiedDatesKeepIntervalsWithinAPatient() throws {
        let deidentifier = try deidentifier([.retainLongitudinalModifiedDates])
        let earlier = try corpus.object()
        let later = try corpus.object()
        try later.set(.studyDate, "20270115")
        try later.set(.studyInstanceUID, "1.2.3.4.5")
        let originalStudyDate = try #require(try earlier.string(.studyDate))
        let originalBirthDate = try #require(try earlier.string(.patientBirthDate))
        _ = try deidentifier.deidentify(earlier)
        _ = try deidentifier.deidentify(later)
        let shiftedEarlier = try #require(DicomDate(try earlier.string(.studyDate) ?? ""))
        let shiftedLater = try #require(DicomDate(try later.string(.studyDate) ?? ""))
        let original = try #require(DicomDate(originalStudyDate))
        #expect(shiftedLater.dayNumber - shiftedEarlier.dayNumber == DicomDate("20270115")!.dayNumber - original.dayNumber)
        #expect(shiftedEarlier != original)
        #expect((365...3650).contains(original.dayNumber - shiftedEarlier.dayNumber))
        // Birth date stays Z (the option does not list it); Series Date X/D is shifted like the others.
        #expect(try earlier.string(.patientBirthDate) != originalBirthDate)
        #expect(try earlier.string(.seriesDate) == shiftedEarlier.description)
    }

    @Test func retainOptionsKeepWhatTheyName() throws {
        let original = try corpus.object()
        try original.set(ElementPath(Tag(0x7053, 0x0010)), "Philips PET Private Group", vr: "LO")
        try original.set(ElementPath(Tag(0x7053, 0x1000)), "1.5", vr: "DS")
        try original.set(ElementPath(Tag(0x7053, 0x1077)), "SECRET", vr: "LO")
        let output = original.copy()
        _ = try deidentifier([.retainSafePrivate, .retainUIDs, .retainInstitutionIdentity, .retainDeviceIdentity,
                              .retainPatientCharacteristics, .retainLongitudinalFullDates]).deidentify(output)
        #expect(try output.string(Tag(0x7053, 0x1000)) == "1.5")
        #expect(try output.string(Tag(0x7053, 0x0010)) == "Philips PET Private Group")
        #expect(try output.string(Tag(0x7053, 0x1077)) == nil)
        #expect(try output.string(Tag(0x0009, 0x1001)) == nil)
        for tag in [Tag.sopInstanceUID, .studyInstanceUID, .institutionName, .deviceSerialNumber, .stationName,
                    .patientSex, .patientAge, .patientWeight, .studyDate, .contentDate] {
            #expect(try output.string(tag) == original.string(tag), "\(tag)")
        }
        #expect(try output.string(.patientName) != original.string(.patientName))
    }

    @Test func cleanOptionsKeepTheWordsAndDropTheIdentifiers() throws {
        let plain = try corpus.object()
        _ = try deidentifier().deidentify(plain)
        #expect(try plain.string(.studyDescription) == nil)                                // X
        #expect(try plain.string("(0070,0001)[0].(0070,0008)[0].(0070,0006)") == "ANONYMIZED")  // D sequence
        #expect(try plain.string("(0040,A730)[0].(0040,A730)[0].(0040,A730)[0].(0040,A160)") == "ANONYMIZED")

        let cleaned = try corpus.object()
        _ = try deidentifier([.cleanDescriptors, .cleanGraphics, .cleanStructuredContent]).deidentify(cleaned)
        #expect(try cleaned.string(.studyDescription) == "AVC *** THROMBOLYSE")
        #expect(try cleaned.string("(0070,0001)[0].(0070,0008)[0].(0070,0006)") == "*** ***")
        let text = try #require(try cleaned.string("(0040,A730)[0].(0040,A730)[0].(0040,A730)[0].(0040,A160)"))
        #expect(text.hasPrefix("Seen by Dr ") && !text.contains(corpus.family))
        #expect(try cleaned.string("(0040,A730)[0].(0040,A040)") == "CONTAINER")  // structure kept
    }

    @Test func burnedInTextIsRefusedUnlessAcceptedOrBlanked() throws {
        let ultrasound = try DicomObject(contentsOf: TestPaths.dicomSamples.appendingPathComponent("US1_UNCR.dcm"))
        #expect(throws: DeidentificationError.self) { try deidentifier().deidentify(ultrasound.copy()) }

        var settings = DeidentificationSettings()
        settings.burnedIn = .accept
        let accepted = ultrasound.copy()
        _ = try Deidentifier(settings: settings, pseudonymizer: try Pseudonymizer(key: key)).deidentify(accepted)
        #expect(try accepted.bytes(.pixelData) == ultrasound.bytes(.pixelData))

        let geometry = try #require(try ultrasound.imageGeometry())
        let manufacturer = try ultrasound.string(.manufacturer) ?? ""
        settings.burnedIn = .clean(try PixelCleaningRules(yaml: """
            - manufacturer: \(manufacturer.prefix(4))
              rows: \(geometry.rows)
              blank: [[0, 0, \(geometry.columns), 40]]
            """, file: "rules.yaml"))
        let blanked = ultrasound.copy()
        let outcome = try Deidentifier(settings: settings, pseudonymizer: try Pseudonymizer(key: key)).deidentify(blanked)
        #expect(outcome.pixelsCleaned)
        let before = try ultrasound.decodedPixelData(), after = try blanked.decodedPixelData()
        let rowBytes = geometry.columns * geometry.samplesPerPixel * geometry.bitsAllocated / 8
        #expect(after.prefix(40 * rowBytes).allSatisfy { $0 == 0 })
        #expect(before.prefix(40 * rowBytes).contains { $0 != 0 })
        #expect(after.dropFirst(40 * rowBytes).elementsEqual(before.dropFirst(40 * rowBytes)))
        #expect(try blanked.string(.burnedInAnnotation) == "NO")
        #expect(try blanked.string("(0012,0064)[1].(0008,0100)") == "113101")

        settings.burnedIn = .clean(try PixelCleaningRules(yaml: "- model: NOTHING\n  blank: [[0, 0, 1, 1]]", file: "r"))
        #expect(throws: DeidentificationError.self) {
            try Deidentifier(settings: settings, pseudonymizer: try Pseudonymizer(key: key)).deidentify(ultrasound.copy())
        }
    }

    @Test func shortKeysAreRefused() {
        #expect(throws: DeidentificationError.self) { try Pseudonymizer(key: Array("short".utf8)) }
    }
}
