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
        #expect(result.stderrLines.filter { $0.hasSuffix("control characters): refused") }.count == 2, "\(result.stderr)")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: work.path).sorted() == ["hostile.dcmz", "out", "out/fine", "out/fine/ok.dcm"])
    }

    /// Names with control characters and repeated names are refused with one line each (the first copy kept),
    /// and a link planted in the output folder is not followed out of it.
    @Test func controlCharactersDuplicatesAndPlantedLinksAreRefused() throws {
        let work = try TestPaths.temporaryFolder("hostile-names")
        defer { try? FileManager.default.removeItem(at: work) }
        let outside = work.appendingPathComponent("outside"), out = work.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("series"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("planted.dcm"),
                                                   withDestinationURL: outside.appendingPathComponent("victim.dcm"))
        var bundle: [UInt8] = []
        let packer = try BundlePacker(jobs: 1) { bundle += $0 }
        let mr = TestPaths.dicomSamples.appendingPathComponent("MR_small.dcm"), ct = TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm")
        _ = try packer.add([("evil\u{1B}[2J.dcm", mr), ("twice.dcm", mr), ("twice.dcm", ct), ("series/x.dcm", mr), ("planted.dcm", ct)])
        try packer.finish()
        let file = work.appendingPathComponent("names.dcmz")
        try Data(bundle).write(to: file)
        let result = try Processes.tool("dcm-compress", ["unpack", "-o", out.path, file.path])
        #expect(result.status == 1)
        #expect(result.stderrLines.contains { $0.contains("evil\\u{1B}[2J.dcm: unsafe name") }, "escaped, never raw: \(result.stderr)")
        #expect(!result.stderr.contains("\u{1B}"))
        #expect(result.stderrLines.contains { $0.hasSuffix("twice.dcm: appears twice in the bundle: the first copy is kept") })
        #expect(result.stderrLines.contains { $0.contains("series is a link or not a folder") }, "\(result.stderr)")
        #expect(try Data(contentsOf: out.appendingPathComponent("twice.dcm")) == Data(contentsOf: mr))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty, "nothing written through a link")
        let planted = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("planted.dcm").path)
        #expect(planted[.type] as? FileAttributeType == .typeRegular, "the planted link is replaced by the file, not written through")
        #expect(result.stderrLines.filter { $0.hasPrefix("dcm-compress: ") }.count == 3, "\(result.stderr)")
    }

    /// 16 KB that would restore a 300 MB file: refused before anything is decompressed or written.
    @Test func aBundleBombIsRefusedBeforeItExpands() throws {
        let work = try TestPaths.temporaryFolder("bundle-bomb")
        defer { try? FileManager.default.removeItem(at: work) }
        let size = 300_000_000
        var header: [UInt8] = [8, 0] + Array("bomb.bin".utf8)
        header += withUnsafeBytes(of: UInt64(size).littleEndian, Array.init) + [UInt8](repeating: 0, count: 32) + [0]
        header += [UInt8](repeating: 0, count: size)
        let frame = try Zstd.compress(header, level: 3)
        header = []
        var bundle: [UInt8] = Array("DCMZ".utf8) + [1, 1] + withUnsafeBytes(of: UInt32(1).littleEndian, Array.init)
        bundle += withUnsafeBytes(of: UInt64(frame.count).littleEndian, Array.init) + frame
        bundle += withUnsafeBytes(of: UInt64(0).littleEndian, Array.init) + [0]
        let file = work.appendingPathComponent("bomb.dcmz"), out = work.appendingPathComponent("out")
        try Data(bundle).write(to: file)
        #expect(bundle.count < 100_000, "\(bundle.count) bytes")
        let result = try Processes.tool("dcm-compress", ["unpack", "-o", out.path, file.path])
        #expect(result.status == 1 && result.stderr.contains("refused as a decompression bomb"), "\(result.stderr)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: out.path))?.isEmpty ?? true)

        // A real study's bundle passes the default limits, and a tight --max-output-size stops it.
        let study = work.appendingPathComponent("study"), packed = work.appendingPathComponent("study.dcmz")
        #expect(try Processes.tool("transfer-bench", ["make-study", "--scale", "0.005", "-o", study.path]).status == 0)
        #expect(try Processes.tool("dcm-compress", ["pack", "-o", packed.path, study.path]).status == 0)
        #expect(try Processes.tool("dcm-compress", ["unpack", "-o", work.appendingPathComponent("ok").path, packed.path]).status == 0)
        let tight = try Processes.tool("dcm-compress", ["unpack", "--max-output-size", "1M", "-o", work.appendingPathComponent("t").path, packed.path])
        #expect(tight.status == 1 && tight.stderr.contains("decompression bomb"), "\(tight.stderr)")
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
