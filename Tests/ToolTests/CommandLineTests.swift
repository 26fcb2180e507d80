import DicomCore
import Foundation
import TestSupport
import Testing
import ToolSupport

/// The executables as users run them: exit codes, one-line errors, stdin/stdout, --json, --files-from.
@Suite struct CommandLineTests {
    static let tools = ["dcm-anon", "dcm-send", "dcm-compress", "rota-plan", "transfer-bench"]

    @Test(arguments: tools)
    func helpAndVersion(_ tool: String) throws {
        let help = try Processes.tool(tool, ["--help"])
        #expect(help.status == 0)
        #expect(help.stdoutText.contains("USAGE: \(tool)"))
        #expect(help.stdoutText.contains("Exit status"))
        let version = try Processes.tool(tool, ["--version"])
        #expect(version.status == 0)
        #expect(version.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == ToolkitVersion.current)
    }

    @Test(arguments: tools)
    func unknownOptionIsAUsageError(_ tool: String) throws {
        let result = try Processes.tool(tool, ["--no-such-option"])
        #expect(result.status == 2)
    }

    @Test func compressingTheSampleFolderReportsEachBadFileOnOneLineAndWritesNothingForIt() throws {
        let output = try TestPaths.temporaryFolder("cli")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try Processes.tool("dcm-compress", ["--codec", "jpeg-ls", "-o", output.path, TestPaths.dicomSamples.path])
        #expect(result.status == 1)
        let broken = try TestPaths.brokenSampleFiles()
        for file in broken {
            let lines = result.stderrLines.filter { $0.hasPrefix("dcm-compress: \(file.path): ") }
            #expect(lines.count == 1, "\(file.lastPathComponent): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("broken").path))
        // The good files were still processed, in the same layout.
        for name in ["693_UNCR.dcm", "CT_small.dcm", "MR_small_bigendian.dcm", "rtplan.dcm"] {
            let written = try DicomObject(contentsOf: output.appendingPathComponent(name))
            #expect(written.transferSyntax == .jpegLSLossless)
        }
        // Nothing but outputs: no temporary files left anywhere.
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: output.path).filter { $0.contains("/.") || $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func standardInputToStandardOutput() throws {
        let input = TestPaths.dicomSamples.appendingPathComponent("MR_small.dcm")
        let result = try Processes.tool("dcm-compress", ["--codec", "jpeg-ls", "-"], stdin: try Data(contentsOf: input))
        #expect(result.status == 0, "\(result.stderr)")
        let object = try DicomObject(bytes: [UInt8](result.stdout))
        #expect(object.transferSyntax == .jpegLSLossless)
        #expect(try object.decodedPixelData() == DicomObject(contentsOf: input).decodedPixelData())

        let bad = try Processes.tool("dcm-compress", ["-"], stdin: Data("hello".utf8))
        #expect(bad.status == 1)
        #expect(bad.stdout.isEmpty)
        #expect(bad.stderrLines == ["dcm-compress: -: not DICOM data"])
    }

    @Test func filesFromStandardInputAndJSONEvents() throws {
        let output = try TestPaths.temporaryFolder("json")
        defer { try? FileManager.default.removeItem(at: output) }
        let list = ["CT_small.dcm", "MR_small.dcm", "broken/empty.dcm"].map { TestPaths.dicomSamples.appendingPathComponent($0).path }
        let result = try Processes.tool(
            "dcm-compress", ["--json", "--codec", "rle", "-o", output.path, "--files-from", "-"],
            stdin: Data((list.joined(separator: "\n") + "\n").utf8))
        #expect(result.status == 1)
        let events = try result.stdoutText.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(events.count == 4)
        #expect(events.filter { $0["status"] as? String == "done" }.count == 2)
        #expect(events.filter { $0["status"] as? String == "failed" }.count == 1)
        let summary = try #require(events.last)
        #expect(summary["summary"] as? Bool == true)
        #expect(summary["failed"] as? Int == 1)
        #expect((summary["failures"] as? [String])?.first?.hasSuffix("broken/empty.dcm") == true)
    }

    @Test func refusesToOverwriteItsInput() throws {
        let folder = try TestPaths.temporaryFolder("inplace")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a.dcm")
        try FileManager.default.copyItem(at: TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm"), to: file)
        let before = try Data(contentsOf: file)
        let result = try Processes.tool("dcm-compress", ["-o", folder.path, file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("output would overwrite the input"))
        #expect(try Data(contentsOf: file) == before)
    }

    @Test func makeStudyWritesTheProtocol() throws {
        let output = try TestPaths.temporaryFolder("make-study")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try Processes.tool("transfer-bench", ["make-study", "--scale", "0.01", "--seed", "9", "-o", output.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: output.path).filter { $0.hasSuffix(".dcm") }.sorted()
        #expect(files == ["1_NCCT/IM00001.dcm", "2_CTA/IM00001.dcm", "2_CTA/IM00002.dcm", "2_CTA/IM00003.dcm",
                          "2_CTA/IM00004.dcm"] + (1...10).map { String(format: "3_CTP/IM%05d.dcm", $0) })
        #expect(result.stdoutText.contains("\"files\":15"))
        let bad = try Processes.tool("transfer-bench", ["make-study", "--scale", "0", "-o", output.path])
        #expect(bad.status == 2)
    }

    @Test func echoAddressErrorsAndUnreachablePeer() throws {
        #expect(try Processes.tool("dcm-send", ["--echo", "nonsense"]).status == 2)
        let port = Processes.freePort()
        let result = try Processes.tool("dcm-send", ["--echo", "PEER@127.0.0.1:\(port)", "--timeout", "2"])
        #expect(result.status == 3)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderrLines.first?.hasPrefix("dcm-send: PEER@127.0.0.1:\(port): ") == true)
    }

    @Test func holidaysAsText() throws {
        let result = try Processes.tool("rota-plan", ["holidays", "2027"])
        #expect(result.status == 0)
        #expect(result.stdoutText.split(separator: "\n").count == 11)
        #expect(result.stdoutText.contains("2027-05-06\tAscension"))
    }

    @Test func leakScanFindsIdentityInAnUnanonymisedCopy() throws {
        let folder = try TestPaths.temporaryFolder("scan")
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm")
        let result = try Processes.tool("dcm-anon", ["scan", "--originals", original.path, original.path])
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 2)  // the leaking file, then the summary
        #expect(result.stderr.contains("identifying value(s) of the originals, from (0002,0003) UI, (0008,0018) UI"))
        #expect(!result.stderr.contains("CompressedSamples"), "the scanner never prints the leaked value")
        // An unrelated object (the two pydicom samples share a name part and a comment, so not those).
        let study = try TestPaths.temporaryFolder("scan-study")
        defer { try? FileManager.default.removeItem(at: study) }
        #expect(try Processes.tool("transfer-bench", ["make-study", "--scale", "0.001", "-o", study.path]).status == 0)
        let clean = try Processes.tool("dcm-anon", ["scan", "--originals", original.path, study.path])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stderr.contains("3 files scanned"))
    }
}

@Suite struct OutputLayoutTests {
    @Test func filesFromFindKeepTheirFoldersAndCollisionsAreRefused() throws {
        let work = try TestPaths.temporaryFolder("layout")
        defer { try? FileManager.default.removeItem(at: work) }
        #expect(try Processes.tool("transfer-bench", ["make-study", "--scale", "0.002", "-o", work.appendingPathComponent("study").path]).status == 0)
        // Relative paths, as `cd work && find study -name '*.dcm'` prints them: three IM00001.dcm files.
        let list = ["study/1_NCCT/IM00001.dcm", "study/2_CTA/IM00001.dcm", "study/3_CTP/IM00001.dcm", "./study/3_CTP/IM00002.dcm"]
        let result = try Processes.run(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "cd '\(work.path)' && '\(Processes.binFolder.path)/dcm-compress' --files-from - -o out"],
            stdin: Data(list.joined(separator: "\n").utf8))
        #expect(result.status == 0, "\(result.stderr)")
        for path in ["out/study/1_NCCT/IM00001.dcm", "out/study/2_CTA/IM00001.dcm", "out/study/3_CTP/IM00001.dcm", "out/study/3_CTP/IM00002.dcm"] {
            #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent(path).path), "\(path)")
        }
        // Absolute paths keep only the file name: the second IM00001.dcm is refused, not overwritten.
        let absolute = ["1_NCCT", "2_CTA"].map { work.appendingPathComponent("study/\($0)/IM00001.dcm").path }
        let clash = try Processes.tool("dcm-compress", ["-o", work.appendingPathComponent("flat").path] + absolute)
        #expect(clash.status == 1)
        #expect(clash.stderrLines.count == 2)
        #expect(clash.stderrLines.first?.contains("is already written for") == true)
    }
}

@Suite struct LoggingTests {
    /// explicit_VR-UN.dcm makes DCMTK warn (odd-length OW pixel data): silent by default, shown with -v.
    @Test func dcmtkLogIsSilentByDefaultAndRoutedWithVerbose() throws {
        let input = TestPaths.dicomSamples.appendingPathComponent("explicit_VR-UN.dcm").path
        let output = try TestPaths.temporaryFolder("logging")
        defer { try? FileManager.default.removeItem(at: output) }
        let quiet = try Processes.tool("dcm-compress", ["-q", "-o", output.path, input])
        #expect(quiet.stderrLines.count == 1, "only the file's own error: \(quiet.stderr)")
        let verbose = try Processes.tool("dcm-compress", ["-v", "-o", output.path, input])
        #expect(verbose.stderr.contains("not a multiple of 2"), "\(verbose.stderr)")
        #expect(verbose.stderr.contains("dcmtk"))
    }

    /// `find DIR -newer STAMP | tool --files-from -` on a quiet night: nothing to do is a success, for every
    /// tool that takes a list; no input at all is still a usage error.
    @Test func anEmptyListIsNothingToDo() throws {
        let work = try TestPaths.temporaryFolder("empty-list")
        defer { try? FileManager.default.removeItem(at: work) }
        let key = work.appendingPathComponent("key")
        try String(repeating: "k", count: 32).write(to: key, atomically: true, encoding: .utf8)
        chmod(key.path, 0o600)
        let out = work.appendingPathComponent("out").path
        let commands: [(String, [String])] = [
            ("dcm-compress", ["--files-from", "-", "-o", out]), ("dcm-compress", ["pack", "--files-from", "-", "-o", out + ".dcmz"]),
            ("dcm-anon", ["--key-file", key.path, "--files-from", "-", "-o", out]),
            ("dcm-send", ["--files-from", "-", "PACS@127.0.0.1:1"]),
        ]
        for (tool, arguments) in commands {
            let result = try Processes.tool(tool, arguments, stdin: Data())
            #expect(result.status == 0 && result.stderr.contains("nothing to do"), "\(tool) \(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: out + ".dcmz"))
        #expect(try Processes.tool("dcm-compress", ["-o", out]).status == 2)
    }
}
