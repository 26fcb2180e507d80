@testable import DicomCodecs
import DicomCore
import Foundation
import TestSupport
import Testing

@Suite struct BundleCommandTests {
    @Test func packToAPipeAndUnpackFromItRestoresTheFolder() throws {
        let work = try TestPaths.temporaryFolder("pipe")
        defer { try? FileManager.default.removeItem(at: work) }
        let study = work.appendingPathComponent("study")
        #expect(try Processes.tool("transfer-bench", ["make-study", "--scale", "0.005", "-o", study.path]).status == 0)
        let bin = Processes.binFolder.path
        let result = try Processes.run(URL(fileURLWithPath: "/bin/sh"), ["-c",
            "'\(bin)/dcm-compress' pack -o - '\(study.path)' | '\(bin)/dcm-compress' unpack -o '\(work.path)/restored' -"])
        #expect(result.status == 0, "\(result.stderr)")
        let diff = try Processes.run(URL(fileURLWithPath: "/usr/bin/diff"), ["-r", study.path, work.appendingPathComponent("restored").path])
        #expect(diff.status == 0, "\(diff.stdoutText)")
    }

    @Test func bundleFileIsAtomicAndBadInputsAreListed() throws {
        let work = try TestPaths.temporaryFolder("packfile")
        defer { try? FileManager.default.removeItem(at: work) }
        let bundle = work.appendingPathComponent("out.dcmz").path
        let good = TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm").path
        let bad = TestPaths.brokenSamples.appendingPathComponent("not-dicom.dcm").path
        let result = try Processes.tool("dcm-compress", ["pack", "-o", bundle, good, bad])
        #expect(result.status == 1)
        #expect(result.stderrLines.first == "dcm-compress: \(bad): not DICOM data")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path) == ["out.dcmz"])
        let restored = try Processes.tool("dcm-compress", ["unpack", "-o", work.appendingPathComponent("r").path, bundle])
        #expect(restored.status == 0)
        #expect(try Data(contentsOf: work.appendingPathComponent("r/CT_small.dcm")) == Data(contentsOf: URL(fileURLWithPath: good)))
        // A file that is not a bundle: one line, exit 1, nothing written.
        let notBundle = try Processes.tool("dcm-compress", ["unpack", "-o", work.appendingPathComponent("x").path, good])
        #expect(notBundle.status == 1)
        #expect(notBundle.stderrLines.first == "dcm-compress: \(good): not a DICOM transport bundle (.dcmz)")
        #expect(notBundle.stderrLines.last?.hasPrefix("restored 0 files") == true)
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("x").path))
    }

    @Test func hostilePathsInABundleStayOutsideNothing() throws {
        let work = try TestPaths.temporaryFolder("hostile")
        defer { try? FileManager.default.removeItem(at: work) }
        var bundle: [UInt8] = []
        let packer = try BundlePacker(jobs: 1) { bundle += $0 }
        let source = TestPaths.dicomSamples.appendingPathComponent("MR_small.dcm")
        _ = try packer.add([("../escaped.dcm", source), ("/etc/absolute.dcm", source), ("fine/ok.dcm", source)])
        try packer.finish()
        let file = work.appendingPathComponent("hostile.dcmz")
        try Data(bundle).write(to: file)
        let out = work.appendingPathComponent("out")
        let result = try Processes.tool("dcm-compress", ["unpack", "-o", out.path, file.path])
        #expect(result.status == 1)
        #expect(result.stderrLines.filter { $0.hasSuffix("unsafe path in bundle") }.count == 2)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: work.path).sorted() == ["hostile.dcmz", "out", "out/fine", "out/fine/ok.dcm"])
    }

    @Test func autoExplainsItsChoice() throws {
        let work = try TestPaths.temporaryFolder("autocli")
        defer { try? FileManager.default.removeItem(at: work) }
        let study = work.appendingPathComponent("study")
        #expect(try Processes.tool("transfer-bench", ["make-study", "--scale", "0.002", "-o", study.path]).status == 0)
        let slow = try Processes.tool("dcm-compress", ["--auto", "--link-rate", "2Mbit", "-o", work.appendingPathComponent("slow").path, study.path])
        #expect(slow.status == 0, "\(slow.stderr)")
        #expect(slow.stderr.contains("chose jpeg-ls"))
        #expect(slow.stderr.contains("2Mbit link"))
        let written = try DicomObject(contentsOf: work.appendingPathComponent("slow/1_NCCT/IM00001.dcm"))
        #expect(written.transferSyntax == .jpegLSLossless)
        #expect(try Processes.tool("dcm-compress", ["--auto", "-o", work.path, study.path]).status == 2)
    }
}

@Suite struct MalformedPixelDataTests {
    /// A JPEG-LS object whose compressed stream is damaged: decoding fails with one line and no output.
    @Test func damagedJPEGLSFragmentIsAOneLineErrorAndNoOutput() throws {
        let work = try TestPaths.temporaryFolder("damaged")
        defer { try? FileManager.default.removeItem(at: work) }
        let source = TestPaths.dicomSamples.appendingPathComponent("MR_small_jpeg_ls_lossless.dcm")
        var bytes = [UInt8](try Data(contentsOf: source))
        // Overwrite the middle of the compressed stream (the pixel data is at the end of this file).
        for index in (bytes.count - 1500)..<(bytes.count - 1000) { bytes[index] = 0xFF }
        let damaged = work.appendingPathComponent("damaged.dcm")
        try Data(bytes).write(to: damaged)
        let out = work.appendingPathComponent("out")
        let result = try Processes.tool("dcm-compress", ["--codec", "none", "-o", out.path, damaged.path])
        #expect(result.status == 1)
        #expect(result.stderrLines.first?.hasPrefix("dcm-compress: \(damaged.path): ") == true, "\(result.stderr)")
        #expect(result.stderrLines.count == 2)  // the error, then the summary
        let written = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        #expect(written.isEmpty)
    }
}
