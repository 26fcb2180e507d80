import DicomCore
import Foundation
import TestSupport
import Testing

@Suite struct ElementAccessTests {
    let ct = TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm")

    @Test func readsTypedValuesOfARealCT() throws {
        let object = try DicomObject(contentsOf: ct)
        // Values as dcmdump prints them for pydicom's CT_small.dcm.
        #expect(try object.string(.patientName) == "CompressedSamples^CT1")
        #expect(try object.string(.modality) == "CT")
        #expect(try object.integer(.rows) == 128)
        #expect(try object.date(.studyDate) == DicomDate(year: 2004, month: 1, day: 19))
        #expect(try object.personName(.patientName)?.family == "CompressedSamples")
        #expect(try object.decimals(ElementPath(.pixelSpacing)).count == 2)
        let geometry = try #require(try object.imageGeometry())
        #expect(geometry.decodedByteCount == 128 * 128 * 2)
        #expect(geometry.isSigned)
    }

    @Test func setGetDeleteAtTopLevelAndInNestedSequences() throws {
        let object = try DicomObject(contentsOf: ct)
        try object.set(.patientName, "Doe^Jane")
        #expect(try object.string(.patientName) == "Doe^Jane")

        // Three levels deep, created on demand.
        let nested: ElementPath = "(0040,0275)[0].(0008,1110)[0].(0008,1140)[0].(0008,1155)"
        try object.set(nested, "1.2.3.4")
        #expect(try object.string(nested) == "1.2.3.4")
        #expect(try object.elements().contains { $0.path == nested && $0.depth == 3 })
        let index = try object.appendItem(to: "(0040,0275)")
        #expect(index == 1)

        #expect(try object.delete(nested))
        #expect(try object.string(nested) == nil)
        #expect(try object.delete(nested) == false)
        #expect(try object.delete(.patientName))
        #expect(try object.string(.patientName) == nil)
    }

    @Test func binaryValuesRoundTrip() throws {
        let object = DicomObject()
        let bytes: [UInt8] = [1, 2, 3, 4, 250, 251]
        try object.set(ElementPath(Tag(0x0009, 0x1001)), bytes: bytes, vr: "OB")
        #expect(try object.bytes(Tag(0x0009, 0x1001)) == bytes)
        try object.set(ElementPath(Tag(0x0009, 0x1002)), bytes: bytes, vr: "OW")
        #expect(try object.bytes(Tag(0x0009, 0x1002)) == bytes)
    }

    @Test func privateBlocksAreFoundAndReserved() throws {
        let object = try DicomObject(contentsOf: ct)
        let path = try #require(try object.privatePath(group: 0x0029, creator: "TELERAD TEST", element: 0x01))
        try object.set(path, "secret", vr: "LO")
        #expect(try object.privateCreator(of: path) == "TELERAD TEST")
        // The same creator maps to the same block on a second lookup; another creator gets another block.
        #expect(try object.privatePath(group: 0x0029, creator: "TELERAD TEST", element: 0x01) == path)
        let other = try #require(try object.privatePath(group: 0x0029, creator: "OTHER", element: 0x01))
        #expect(other != path)
        #expect(try object.privatePath(group: 0x0029, creator: "ABSENT", element: 1, reserve: false) == nil)
    }

    @Test func malformedPathsAreErrorsNotCrashes() throws {
        #expect(ElementPath(parsing: "(0010,0010") == nil)
        #expect(ElementPath(parsing: "(0008,1115).(0008,1155)") == nil)
        #expect(ElementPath(parsing: "(0008,1115)[0].(0008,1155)")?.depth == 1)
        let object = try DicomObject(contentsOf: ct)
        #expect(throws: DicomError.self) { try object.set("(0010,0010)[0].(0010,0020)", "x") }
    }

    @Test func unknownValuesOfTypedParsersAreRejected() {
        #expect(DicomDate("20240230") == nil)
        #expect(DicomDate("2024.02.29") == DicomDate(year: 2024, month: 2, day: 29))
        #expect(DicomDate(year: 2024, month: 3, day: 1)!.adding(days: -1).description == "20240229")
        #expect(DicomDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(DicomDate(year: 2026, month: 11, day: 30)!.weekday == 0)  // a Monday
        #expect(DicomTime("1230")?.description == "123000")
        #expect(DicomTime("123045.5")?.microsecond == 500_000)
        #expect(DicomTime("2560") == nil)
        #expect(DicomDateTime("20240101120000+0100")?.offset == "+0100")
        #expect(PersonName("Doe^John^^Dr").given == "John")
    }

    @Test func writingIsAtomicAndNeverLeavesATemporaryFile() throws {
        let folder = try TestPaths.temporaryFolder("atomic")
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("out.dcm")
        try Data("old".utf8).write(to: target)
        let object = try DicomObject(contentsOf: ct)
        try object.write(to: target)
        #expect(try DicomObject(contentsOf: target).string(.patientName) == "CompressedSamples^CT1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.dcm"])
        // A failing write (unencodable syntax) leaves the old file untouched and no temporary behind.
        try Data("old".utf8).write(to: target)
        #expect(throws: DicomError.self) {
            try DicomObject(contentsOf: TestPaths.dicomSamples.appendingPathComponent("JPEG2000.dcm"))
                .write(to: target, as: .explicitLittleEndian)
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.dcm"])
    }
}

@Suite struct ObjectInformationTests {
    @Test func sopClassesAreNamedFromTheDictionary() throws {
        let ct = try DicomObject(contentsOf: TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm"))
        #expect(ct.sopClass?.uid == "1.2.840.10008.5.1.4.1.1.2")
        #expect(ct.sopClass?.name == "CTImageStorage")
        #expect(ct.sopClass?.isStorage == true)
        #expect(SOPClass(uid: "1.2.840.10008.1.1").name == "VerificationSOPClass")
        #expect(SOPClass(uid: "1.2.840.10008.1.1").isStorage == false)
        #expect(SOPClass(uid: "1.2.3.4").name == "1.2.3.4")
        let plan = try DicomObject(contentsOf: TestPaths.dicomSamples.appendingPathComponent("rtplan.dcm"))
        #expect(plan.sopClass?.name == "RTPlanStorage")
    }

    @Test func part10WithoutPreambleIsRead() throws {
        let data = [UInt8](try Data(contentsOf: TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm")))
        #expect(Array(data[128..<132]) == Array("DICM".utf8))
        let folder = try TestPaths.temporaryFolder("preamble")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Without the preamble ("DICM" first) and without preamble and prefix (group 0002 first).
        for dropped in [128, 132] {
            let withoutPreamble = Array(data.dropFirst(dropped))
            let object = try DicomObject(bytes: withoutPreamble)
            #expect(try object.string(.patientName) == "CompressedSamples^CT1")
            #expect(object.hasMetaInformation)
            let file = folder.appendingPathComponent("no-preamble-\(dropped).dcm")
            try Data(withoutPreamble).write(to: file)
            #expect(try DicomObject(contentsOf: file).string(.patientName) == "CompressedSamples^CT1")
        }
    }
}
