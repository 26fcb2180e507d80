import DicomCore
import Foundation
import TestSupport
import Testing

/// dcm-anon on objects from French and foreign sites: Latin-1, UTF-8, ISO 2022 with code extensions,
/// GB18030, Deflated; names hidden in text the profile's table keeps, short and ideographic names; the
/// outputs read back by pydicom, a decoder independent of DCMTK.
@Suite struct AnonCharacterSetTests {
    /// The generated objects (scripts/make-charset-objects.py), a key, an output folder.
    static func workspace() throws -> (root: URL, input: URL, key: String) {
        let python = try #require(Processes.which("python3"))
        let root = try TestPaths.temporaryFolder("charsets")
        let input = root.appendingPathComponent("in")
        let made = try Processes.run(python, [TestPaths.repository.appendingPathComponent("scripts/make-charset-objects.py").path, input.path])
        try #require(made.status == 0, "\(made.stderr)")
        let key = root.appendingPathComponent("key").path
        try "5f1d3c0a9e7b2486d4c1f0e3b5a79268".write(toFile: key, atomically: true, encoding: .utf8)
        chmod(key, 0o600)
        return (root, input, key)
    }

    /// pydicom's reading of each output: character set, the descriptions, the method's values.
    static func readBack(_ folder: URL) throws -> [String: [String: String]] {
        let python = try #require(Processes.which("python3"))
        let script = """
            import json, sys, pathlib, pydicom
            result = {}
            for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.dcm")):
                ds = pydicom.dcmread(path)
                result[str(ds.ContentLabel) + ":" + str(ds.get("SeriesInstanceUID"))] = {
                    "charset": "\\\\".join(ds.SpecificCharacterSet) if isinstance(ds.SpecificCharacterSet, list) else str(ds.SpecificCharacterSet),
                    "content": str(ds.ContentDescription), "study": str(ds.get("StudyDescription", "")),
                    "name": str(ds.PatientName), "method": "\\\\".join(ds.DeidentificationMethod)}
            print(json.dumps(result, ensure_ascii=False))
            """
        let result = try Processes.run(python, ["-c", script, folder.path])
        try #require(result.status == 0, "\(result.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: result.stdout) as? [String: [String: String]]
        return try #require(parsed)
    }

    @Test func everyCharacterSetIsDecodedCleanedAndWrittenBack() throws {
        let (root, input, key) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("out"), report = root.appendingPathComponent("report.jsonl")
        let run = try Processes.tool("dcm-anon", ["--key-file", key, "--clean-descriptors", "--name-by-study", "--report", report.path,
                                                  "-o", out.path, input.path])
        #expect(run.status == 0, "\(run.stderr)")
        let outputs = try Self.readBack(out).values
        #expect(outputs.count == 7)
        let byContent = Dictionary(outputs.map { ($0["content"]!, $0) }, uniquingKeysWith: { first, _ in first })
        // Latin-1 stays Latin-1, its accents intact; the name is cut out of the kept text, the rest kept.
        let latin = try #require(outputs.first { $0["charset"] == "ISO_IR 100" && $0["study"] == "Größe ***" })
        #expect(latin["content"] == "Suivi ***" && latin["method"]?.hasSuffix("\\identifying text cleaned outside E.1-1") == true, "\(latin)")
        #expect(outputs.filter { $0["study"] == "Größe ***" }.count == 3, "Latin-1, its Deflated copy and UTF-8")
        // ISO 2022 IR 87 is written back as UTF-8 (DCMTK cannot write code extensions), declared.
        #expect(byContent["*** 再検査"]?["study"] == "頭部 ***" && byContent["*** 再検査"]?["charset"] == "ISO_IR 192", "\(outputs)")
        #expect(byContent["*** 复查"]?["charset"] == "GB18030", "\(outputs)")
        #expect(byContent["Follow-up ***"]?["study"] == "Follow-up ***", "a two-letter name in its free-text form")
        #expect(byContent["for *** review"] != nil, "the presentation state is cleaned and written, not refused")
        for output in outputs { #expect(!output["name"]!.contains("^"), "\(output)") }

        // The report: 0600, outputs named by pseudonymized UIDs, the cleaned attribute named, no value.
        let attributes = try FileManager.default.attributesOfItem(atPath: report.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let lines = try String(contentsOf: report, encoding: .utf8).split(separator: "\n")
        #expect(lines.contains { $0.contains("\"tag\":\"(0070,0081)\"") && $0.contains("\"action\":\"clean\"") })
        #expect(!lines.contains { $0.contains("latin1") || $0.contains("Müller") || $0.contains("in/") })
        #expect(try FileManager.default.subpathsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".dcm") }
            .allSatisfy { $0.split(separator: "/").count == 3 && $0.hasPrefix("2.25.") })

        // An independent scan finds nothing in the outputs, and every original in a copy of the inputs.
        let clean = try Processes.tool("dcm-anon", ["scan", "--originals", input.path, out.path])
        #expect(clean.status == 0, "\(clean.stderr)")
        let copies = try Processes.tool("dcm-anon", ["scan", "--originals", input.path, input.path])
        #expect(copies.status == 1 && copies.stderr.contains(": 7 leaking"), "Deflated and Latin-1 copies included: \(copies.stderr)")
    }

    /// The check that guards what is written sees Latin-1 bytes and Deflated data: a profile that keeps the
    /// name in a Latin-1 Deflated object is caught, and nothing is written.
    @Test func theCheckSeesLatin1InsideDeflatedData() throws {
        let (root, input, key) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let profile = root.appendingPathComponent("keep-name.yaml").path
        try "attributes:\n  \"(0010,0010)\": keep\n".write(toFile: profile, atomically: true, encoding: .utf8)
        let out = root.appendingPathComponent("out")
        let run = try Processes.tool("dcm-anon", ["--key-file", key, "--profile", profile, "-o", out.path,
                                                  input.appendingPathComponent("latin1-deflated.dcm").path])
        #expect(run.status == 1 && run.stderr.contains("verify: ") && run.stderr.contains("(0010,0010) PN"), "\(run.stderr)")
        let written = (try? FileManager.default.subpathsOfDirectory(atPath: out.path)) ?? []
        #expect(written.isEmpty)
    }

    @Test func anObjectWhoseTextDoesNotDecodeIsRefusedWithTheReason() throws {
        let (root, input, key) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        // Latin-1 bytes declared as nothing (ASCII): refused, unless the site's character set is assumed.
        let object = try DicomObject(contentsOf: input.appendingPathComponent("latin1.dcm"))
        try object.delete(.specificCharacterSet)
        let undeclared = root.appendingPathComponent("undeclared.dcm")
        try object.write(to: undeclared)
        let out = root.appendingPathComponent("out")
        let refused = try Processes.tool("dcm-anon", ["--key-file", key, "-o", out.path, undeclared.path])
        #expect(refused.status == 1 && refused.stderr.contains("cannot decode the text by its Specific Character Set none"), "\(refused.stderr)")
        let assumed = try Processes.tool("dcm-anon", ["--key-file", key, "--assume-charset", "ISO_IR 100", "-o", out.path, undeclared.path])
        #expect(assumed.status == 0, "\(assumed.stderr)")
    }
}
