import DicomCore
import Foundation
import TestSupport
import Testing

@testable import Deidentification

@Suite struct ReidentifyTests {
    let corpus = HiddenIdentityCorpus(seed: 21)
    let pseudonymizer = try! Pseudonymizer(key: Array("a key of the sending hospital".utf8))

    /// A report from the expert: a new object of the pseudonymized study that references one of its images.
    func expertReport(about image: DicomObject) throws -> DicomObject {
        let report = DicomObject()
        for tag in [Tag.patientID, .patientName, .studyInstanceUID, .accessionNumber] {
            try report.set(tag, try #require(try image.string(tag)))
        }
        try report.set(.sopClassUID, "1.2.840.10008.5.1.4.1.1.88.22")
        try report.set(.sopInstanceUID, "2.25.424242")
        try report.set(.seriesInstanceUID, "2.25.434343")
        try report.set(.modality, "SR")
        let evidence = ElementPath(Tag(0x0040, 0xA375))
        let series = evidence.appending(item: 0, Tag(0x0008, 0x1115))
        let instance = series.appending(item: 0, Tag(0x0008, 0x1199))
        try report.set(evidence.appending(item: 0, .studyInstanceUID), try #require(try image.string(.studyInstanceUID)))
        try report.set(series.appending(item: 0, .seriesInstanceUID), try #require(try image.string(.seriesInstanceUID)))
        try report.set(instance.appending(item: 0, .referencedSOPClassUID), "1.2.840.10008.5.1.4.1.1.2")
        try report.set(instance.appending(item: 0, .referencedSOPInstanceUID), try #require(try image.string(.sopInstanceUID)))
        return report
    }

    @Test func mapFileRestoresTheOriginalsInTheExpertsAnswer() throws {
        let folder = try TestPaths.temporaryFolder("reidentify")
        defer { try? FileManager.default.removeItem(at: folder) }
        let mapPath = folder.appendingPathComponent("map.csv").path
        let original = try corpus.object(2)
        let image = original.copy()
        let map = try PseudonymMap(path: mapPath)
        try map.add(try Deidentifier(settings: DeidentificationSettings(), pseudonymizer: pseudonymizer).deidentify(image).records)
        map.synchronize()
        let mode = try FileManager.default.attributesOfItem(atPath: mapPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let report = try expertReport(about: image)
        let outcome = try Reidentifier(records: try PseudonymMap.read(path: mapPath)).reidentify(report)
        #expect(outcome.patientRestored && outcome.uidsRestored == 4)
        for tag in [Tag.patientID, .patientName, .patientBirthDate, .studyInstanceUID, .accessionNumber, .studyDate] {
            #expect(try report.string(tag) == original.string(tag), "\(tag)")
        }
        #expect(try report.string("(0040,A375)[0].(0008,1115)[0].(0008,1199)[0].(0008,1155)") == original.string(.sopInstanceUID))
        #expect(try report.string("(0040,A375)[0].(0008,1115)[0].(0020,000E)") == original.string(.seriesInstanceUID))
        #expect(try report.string(.sopInstanceUID) == "2.25.424242")  // the report's own UID is the expert's
        #expect(try report.string(Tag(0x0012, 0x0062)) == "NO")
    }

    @Test func objectsUnknownToTheMapAreRefused() throws {
        let stranger = try corpus.object(0)
        #expect(throws: DeidentificationError.self) { try Reidentifier(records: []).reidentify(stranger) }
    }

    /// RFC 4180 as a spreadsheet reads it: CR LF, quotes and commas quoted, formulas neutralized with an
    /// apostrophe that reading takes back off; a torn last record skipped; the first format still read.
    @Test func mapRecordsSurviveQuotingFormulasAndTornLines() throws {
        let records = [
            MapRecord(kind: "patient", pseudonym: "ANONX", attribute: "(0010,0010)", original: "O\"BRIEN, Sean"),
            MapRecord(kind: "study", pseudonym: "2.25.1", attribute: "(0008,1030)", original: "IRM\r\nGénou"),
            MapRecord(kind: "patient", pseudonym: "ANONX", attribute: "(0010,0020)", original: "=HYPERLINK(\"http://x\")"),
            MapRecord(kind: "patient", pseudonym: "ANONX", attribute: "date-shift", original: "-12"),
            MapRecord(kind: "patient", pseudonym: "ANONX", attribute: "(0010,1000)", original: "'quoted"),
        ]
        let lines = records.map(\.csvLine)
        #expect(lines[1] == "study,2.25.1,\"(0008,1030)\",\"IRM\r\nGénou\"")
        #expect(lines[2] == "patient,ANONX,\"(0010,0020)\",\"'=HYPERLINK(\"\"http://x\"\")\"")
        #expect(lines[3].hasSuffix(",'-12") && lines[4].hasSuffix(",''quoted"))
        let text = ([MapRecord.header] + lines).joined(separator: "\n") + "\n" + "uid,2.25.9,,\"unterminated"
        let folder = try TestPaths.temporaryFolder("map")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("map.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        #expect(try PseudonymMap.read(path: file.path) == records)
        // The first format: no apostrophes to take off.
        try (MapRecord.legacyHeader + "\npatient,ANONX,\"(0010,0020)\",'12\n").write(to: file, atomically: true, encoding: .utf8)
        #expect(try PseudonymMap.read(path: file.path).first?.original == "'12")

        // Opened for appending, a first-format map is rewritten in the current one, its records kept, still 0600.
        try (MapRecord.legacyHeader + "\npatient,ANONX,\"(0010,0020)\",=1+1\nuid,2.25.5,,1.2.3\n").write(to: file, atomically: true, encoding: .utf8)
        let map = try PseudonymMap(path: file.path)
        try map.add([records[1]])
        let upgraded = try String(contentsOf: file, encoding: .utf8)
        #expect(upgraded.hasPrefix(MapRecord.header + "\n") && upgraded.contains(",'=1+1\n"), "\(upgraded)")
        #expect(try PseudonymMap.read(path: file.path).map(\.original) == ["=1+1", "1.2.3", "IRM\r\nGénou"])
        #expect((try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int) == 0o600)
    }
}
