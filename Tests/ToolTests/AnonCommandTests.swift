import DicomCore
import Foundation
import TestSupport
import Testing

/// dcm-anon as users run it: files and folders, stdin to stdout, the key, the map, the report, bad inputs.
@Suite struct AnonCommandTests {
    let corpus = HiddenIdentityCorpus(seed: 31)
    let keyText = "5f1d3c0a9e7b2486d4c1f0e3b5a79268"

    /// A folder with the corpus (4 images), two real samples, and a key file.
    func workspace() throws -> (root: URL, input: URL, key: String) {
        let root = try TestPaths.temporaryFolder("anon")
        let input = root.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input.appendingPathComponent("real"), withIntermediateDirectories: true)
        _ = try corpus.write(4, to: input)
        for name in ["CT_small.dcm", "MR_small.dcm"] {
            try FileManager.default.copyItem(at: TestPaths.dicomSamples.appendingPathComponent(name),
                                             to: input.appendingPathComponent("real/\(name)"))
        }
        let key = root.appendingPathComponent("key").path
        try keyText.write(toFile: key, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        return (root, input, key)
    }

    func files(under folder: URL) throws -> [String] {
        (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".dcm") }.sorted()
    }

    @Test func folderRunIsCleanDeterministicAndMapped() throws {
        let (root, input, key) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("out"), again = root.appendingPathComponent("again")
        let map = root.appendingPathComponent("map.csv").path, report = root.appendingPathComponent("report.jsonl").path
        let run = try Processes.tool("dcm-anon", ["--key-file", key, "--map", map, "--report", report, "-o", out.path, input.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try files(under: out) == files(under: input))
        // An independent scan of every output against every original.
        let scan = try Processes.tool("dcm-anon", ["scan", "--originals", input.path, out.path])
        #expect(scan.status == 0, "\(scan.stderr)")
        // Same key: the same bytes again.
        #expect(try Processes.tool("dcm-anon", ["--key-file", key, "-o", again.path, input.path]).status == 0)
        for path in try files(under: out) {
            #expect(FileManager.default.contents(atPath: out.appendingPathComponent(path).path)
                    == FileManager.default.contents(atPath: again.appendingPathComponent(path).path), "\(path)")
        }
        // The map is private and records the patient; the report names actions, never values.
        #expect(try FileManager.default.attributesOfItem(atPath: map)[.posixPermissions] as? Int == 0o600)
        let mapText = try String(contentsOfFile: map, encoding: .utf8)
        #expect(mapText.contains(corpus.identity.patientID))
        let reportText = try String(contentsOfFile: report, encoding: .utf8)
        #expect(reportText.contains("\"action\":\"pseudonym\"") && reportText.contains("\"tag\":\"(0010,0010)\""))
        for secret in [corpus.identity.patientID, corpus.family, corpus.identity.birthDate, keyText] {
            #expect(!reportText.contains(secret))
        }
    }

    @Test func keyIsRequiredAndNeverShown() throws {
        let (root, input, key) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let none = try Processes.tool("dcm-anon", ["-o", root.appendingPathComponent("x").path, input.path])
        #expect(none.status == 2 && none.stderr.contains("no key"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("x").path))
        let verbose = try Processes.tool("dcm-anon", ["--key-file", key, "-vv", "--json", "-o", root.appendingPathComponent("v").path, input.path])
        #expect(verbose.status == 0)
        #expect(!verbose.stderr.contains(keyText) && !verbose.stdoutText.contains(keyText))
        // A random key: two runs give unrelated pseudonyms.
        let first = try Processes.tool("dcm-anon", ["--random-key", "-"], stdin: try Data(contentsOf: input.appendingPathComponent("IM000.dcm")))
        let second = try Processes.tool("dcm-anon", ["--random-key", "-"], stdin: try Data(contentsOf: input.appendingPathComponent("IM000.dcm")))
        #expect(first.status == 0 && second.status == 0)
        #expect(try DicomObject(bytes: [UInt8](first.stdout)).string(.patientID) != DicomObject(bytes: [UInt8](second.stdout)).string(.patientID))
        let short = root.appendingPathComponent("short").path
        try "tiny".write(toFile: short, atomically: true, encoding: .utf8)
        #expect(try Processes.tool("dcm-anon", ["--key-file", short, "-o", root.appendingPathComponent("s").path, input.path]).status == 2)
    }

    @Test func standardInputToStandardOutputMatchesTheFileRun() throws {
        let (root, input, key) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = input.appendingPathComponent("IM001.dcm")
        let piped = try Processes.tool("dcm-anon", ["--key-file", key, "-"], stdin: try Data(contentsOf: file))
        #expect(piped.status == 0, "\(piped.stderr)")
        let out = root.appendingPathComponent("out")
        #expect(try Processes.tool("dcm-anon", ["--key-file", key, "-o", out.path, file.path]).status == 0)
        #expect(piped.stdout == FileManager.default.contents(atPath: out.appendingPathComponent("IM001.dcm").path))
    }

    @Test func dryRunInPlaceAndNamesByUID() throws {
        let (root, input, key) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let report = root.appendingPathComponent("r.jsonl").path
        let dry = try Processes.tool("dcm-anon", ["--key-file", key, "--dry-run", "--report", report, "-o", root.appendingPathComponent("d").path, input.path])
        #expect(dry.status == 0)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("d").path))
        #expect(try String(contentsOfFile: report, encoding: .utf8).split(separator: "\n").count > 100)

        let byUID = root.appendingPathComponent("uid")
        #expect(try Processes.tool("dcm-anon", ["--key-file", key, "--name-by-uid", "-o", byUID.path, input.path]).status == 0)
        for name in try files(under: byUID) {
            let object = try DicomObject(contentsOf: byUID.appendingPathComponent(name))
            #expect(try name == "\(object.string(.sopInstanceUID) ?? "?").dcm")
        }

        let target = input.appendingPathComponent("IM002.dcm")
        #expect(try Processes.tool("dcm-anon", ["--key-file", key, "--in-place", target.path]).status == 0)
        #expect(try DicomObject(contentsOf: target).string(.patientID) != corpus.identity.patientID)
        #expect(try FileManager.default.contentsOfDirectory(atPath: input.path).allSatisfy { !$0.hasPrefix(".") })
    }

    @Test func badInputsFailAloneAndNothingPartialIsWritten() throws {
        let (root, input, key) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("out")
        let broken = try TestPaths.brokenSampleFiles()
        let run = try Processes.tool("dcm-anon", ["--key-file", key, "-o", out.path, input.appendingPathComponent("IM000.dcm").path]
                                     + broken.map(\.path))
        #expect(run.status == 1)
        #expect(run.stderrLines.filter { $0.hasPrefix("dcm-anon: ") }.count == broken.count)
        #expect(try files(under: out) == ["IM000.dcm"])
        let refused = try Processes.tool("dcm-anon", ["--key-file", key, "-o", out.path,
                                                      TestPaths.dicomSamples.appendingPathComponent("US1_UNCR.dcm").path])
        #expect(refused.status == 1 && refused.stderr.contains("burned"))
    }

    /// A profile that keeps the patient's name: the check of the output catches it and writes nothing.
    @Test func verificationCatchesWhatAProfileLetsThrough() throws {
        let (root, input, key) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let profile = root.appendingPathComponent("keep-name.yaml").path
        try "attributes:\n  \"(0010,0010)\": keep\n".write(toFile: profile, atomically: true, encoding: .utf8)
        let out = root.appendingPathComponent("out")
        let run = try Processes.tool("dcm-anon", ["--key-file", key, "--profile", profile, "-o", out.path, input.appendingPathComponent("IM000.dcm").path])
        #expect(run.status == 1 && run.stderr.contains("verify: ") && run.stderr.contains("(0010,0010) PN"))
        #expect(try files(under: out).isEmpty)
        try "attributes:\n  \"(0010,0010)\": forget\n".write(toFile: profile, atomically: true, encoding: .utf8)
        let bad = try Processes.tool("dcm-anon", ["--key-file", key, "--profile", profile, "-o", out.path, input.path])
        #expect(bad.status == 2 && bad.stderr.contains("keep-name.yaml") && bad.stderr.contains("forget"))
    }

    @Test func reidentifyFilesTheExpertsAnswerUnderThePatient() throws {
        let (root, input, key) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("out"), map = root.appendingPathComponent("map.csv").path
        #expect(try Processes.tool("dcm-anon", ["--key-file", key, "--map", map, "-o", out.path, input.path]).status == 0)
        // The expert's presentation state references one pseudonymized image.
        let image = try DicomObject(contentsOf: out.appendingPathComponent("IM001.dcm"))
        let state = DicomObject()
        for tag in [Tag.patientID, .patientName, .studyInstanceUID, .accessionNumber] { try state.set(tag, try image.string(tag) ?? "") }
        try state.set(.sopClassUID, "1.2.840.10008.5.1.4.1.1.11.1")
        try state.set(.sopInstanceUID, "2.25.77")
        try state.set("(0008,1115)[0].(0020,000E)", try image.string(.seriesInstanceUID) ?? "")
        try state.set("(0008,1115)[0].(0008,1140)[0].(0008,1155)", try image.string(.sopInstanceUID) ?? "")
        let answers = root.appendingPathComponent("answers")
        try state.write(to: answers.appendingPathComponent("gsps.dcm"))
        let restored = root.appendingPathComponent("restored")
        let run = try Processes.tool("dcm-anon", ["reidentify", "--map", map, "-o", restored.path, answers.path])
        #expect(run.status == 0, "\(run.stderr)")
        let back = try DicomObject(contentsOf: restored.appendingPathComponent("gsps.dcm"))
        let original = try DicomObject(contentsOf: input.appendingPathComponent("IM001.dcm"))
        for tag in [Tag.patientID, .patientName, .studyInstanceUID, .accessionNumber] {
            #expect(try back.string(tag) == original.string(tag), "\(tag)")
        }
        #expect(try back.string("(0008,1115)[0].(0008,1140)[0].(0008,1155)") == original.string(.sopInstanceUID))
    }

    /// A SOP Instance UID that is a path, with --retain-uids --name-by-uid: refused, nothing outside -o.
    /// A scanner's series each have an IM00001.dcm: listed by absolute path, their names collide unless the
    /// outputs are named by study (the forwarding node's case), where both must go through.
    @Test func sameFileNamesInTwoSeriesPassWhenNamedByStudy() throws {
        let (root, _, key) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        var list: [String] = []
        for series in ["1_NCCT", "2_CTA"] {
            let folder = root.appendingPathComponent("scanner/\(series)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let sample = series == "1_NCCT" ? "CT_small.dcm" : "MR_small.dcm"
            try FileManager.default.copyItem(at: TestPaths.dicomSamples.appendingPathComponent(sample), to: folder.appendingPathComponent("IM00001.dcm"))
            list.append(folder.appendingPathComponent("IM00001.dcm").path)
        }
        let stdin = Data((list.joined(separator: "\n") + "\n").utf8)
        let byStudy = try Processes.tool("dcm-anon", ["--key-file", key, "--name-by-study", "--files-from", "-", "-q",
                                                      "-o", root.appendingPathComponent("by-study").path], stdin: stdin)
        #expect(byStudy.status == 0, "\(byStudy.stderr)")
        #expect(try files(under: root.appendingPathComponent("by-study")).count == 2)
        let byName = try Processes.tool("dcm-anon", ["--key-file", key, "--files-from", "-", "-q",
                                                     "-o", root.appendingPathComponent("by-name").path], stdin: stdin)
        #expect(byName.status == 1 && byName.stderr.contains("output IM00001.dcm is already written"), "\(byName.stderr)")
    }

    @Test func outputNamesNeverLeaveTheOutputFolder() throws {
        let (root, _, key) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let object = try DicomObject(contentsOf: TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm"))
        try object.set(.sopInstanceUID, "../../../escaped")
        let hostile = root.appendingPathComponent("hostile.dcm")
        try object.write(to: hostile)
        let out = root.appendingPathComponent("deep/out")
        for naming in ["--name-by-uid", "--name-by-study"] {
            let run = try Processes.tool("dcm-anon", ["--key-file", key, "--retain-uids", naming, "-o", out.path, hostile.path])
            #expect(run.status == 1 && run.stderr.contains("is not a valid UID"), "\(naming): \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("escaped.dcm").path))
        #expect(try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.contains("escaped") }.isEmpty)
    }

    /// A key file others can read is refused (exit 2, whatever -q says) unless explicitly accepted.
    @Test func aKeyFileOthersCanReadIsRefused() throws {
        let (root, input, key) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        chmod(key, 0o644)
        let out = root.appendingPathComponent("out")
        let refused = try Processes.tool("dcm-anon", ["-q", "--key-file", key, "-o", out.path, input.path])
        #expect(refused.status == 2 && refused.stderr.contains("can be read by others (mode 644): refused"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let accepted = try Processes.tool("dcm-anon", ["-q", "--allow-readable-key", "--key-file", key, "-o", out.path, input.path])
        #expect(accepted.status == 0 && accepted.stderr.contains("warning: ") && accepted.stderr.contains("mode 644"), "\(accepted.stderr)")
    }

    /// Originals holding CR LF and formulas go to the map quoted and neutralized; a rerun adds nothing; an old
    /// map is upgraded and still read back exactly by reidentify.
    @Test func theMapIsSafeToOpenInASpreadsheet() throws {
        let (root, _, key) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let object = try DicomObject(contentsOf: TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm"))
        try object.set(.patientID, "=HYPERLINK(\"http://evil\")")
        try object.set(.studyDescription, "IRM\r\ngenou")
        let file = root.appendingPathComponent("formula.dcm"), map = root.appendingPathComponent("map.csv").path
        try object.write(to: file)
        for _ in 0..<2 {
            let run = try Processes.tool("dcm-anon", ["--key-file", key, "--map", map, "-o", root.appendingPathComponent("out").path, file.path])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let text = try String(contentsOfFile: map, encoding: .utf8)
        #expect(text.hasPrefix("kind,pseudonym,attribute,original_value\n"))
        #expect(text.contains(",\"'=HYPERLINK(\"\"http://evil\"\")\"\n") && text.contains(",\"IRM\r\ngenou\"\n"), "\(text)")
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("=") || $0.contains(",=") })
        let python = try #require(Processes.which("python3"))
        let count = try Processes.run(python, ["-c", "import csv,sys; rows=list(csv.reader(open(sys.argv[1], newline=''))); print(len(rows), len(set(map(tuple, rows))))", map])
        let numbers = count.stdoutText.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(numbers.count == 2 && numbers[0] == numbers[1], "a rerun appends nothing: \(count.stdoutText)")
    }

    /// dicom3tools' validator finds no error in an output that it did not find in the input.
    @Test func dciodvfyFindsNoNewErrors() throws {
        let (root, input, key) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["eCT_Supplemental.dcm", "rtplan.dcm", "liver.dcm", "MR2_UNCR.dcm"] {
            try FileManager.default.copyItem(at: TestPaths.dicomSamples.appendingPathComponent(name),
                                             to: input.appendingPathComponent("real/\(name)"))
        }
        let out = root.appendingPathComponent("out")
        let run = try Processes.tool("dcm-anon", ["--key-file", key, "-o", out.path, input.path])
        #expect(run.status == 0, "\(run.stderr)")
        for path in try files(under: input) {
            let before = try PeerAcceptanceTests.errors(input.appendingPathComponent(path))
            let after = try PeerAcceptanceTests.errors(out.appendingPathComponent(path))
            #expect(after.subtracting(before).isEmpty, "\(path): new errors \(after.subtracting(before))")
        }
    }
}
