@testable import DicomCodecs
import DicomCore
import Foundation
import SyntheticStudy
import TestSupport
import Testing

/// Feeds bytes to the unpacker as a stream would, in small pieces.
private final class ArrayStream: FileHandleLike {
    var bytes: [UInt8]
    var position = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func read(upTo count: Int) -> [UInt8] {
        let end = min(bytes.count, position + min(count, 7919))
        defer { position = end }
        return Array(bytes[position..<end])
    }
}

@Suite struct TransportBundleTests {
    func pack(_ files: [(String, URL)]) throws -> (bundle: [UInt8], failures: [(path: String, error: DicomError)]) {
        var bundle: [UInt8] = []
        let packer = try BundlePacker(jobs: 2) { bytes in bundle += bytes }
        let failures = try packer.add(files)
        try packer.finish()
        return (bundle, failures)
    }

    func unpack(_ bundle: [UInt8]) throws -> [String: Result<[UInt8], DicomError>] {
        var restored: [String: Result<[UInt8], DicomError>] = [:]
        try BundleUnpacker.unpack(from: ArrayStream(bundle), jobs: 2) { restored[$0.path] = $0.result }
        return restored
    }

    @Test(arguments: [(1, 1, false), (1, 7, true), (9, 1, false), (3, 5, true), (64, 64, true)])
    func predictorReversesAnyData(_ rows: Int, _ columns: Int, _ signed: Bool) {
        var random = SeededRandom(seed: UInt64(rows * 100 + columns))
        for bytesPerSample in [1, 2] {
            let predictor = PixelPredictor(rows: rows, columns: columns, images: 2, bytesPerSample: bytesPerSample, isSigned: signed)
            let input = (0..<predictor.byteCount).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            #expect(predictor.decode(predictor.encode(input)) == input)
        }
    }

    @Test func everySampleAndAGeneratedStudyComeBackByteForByte() throws {
        let study = try TestPaths.temporaryFolder("bundle")
        defer { try? FileManager.default.removeItem(at: study) }
        try StrokeStudy(scale: 0.01, seed: 4).write(to: study, jobs: 2)
        var files = try TestPaths.validSamples().map { ("samples/\($0.lastPathComponent)", $0) }
        for path in try FileManager.default.subpathsOfDirectory(atPath: study.path) where path.hasSuffix(".dcm") {
            files.append(("study/\(path)", study.appendingPathComponent(path)))
        }
        let (bundle, failures) = try pack(files)
        #expect(failures.isEmpty)
        let restored = try unpack(bundle)
        #expect(restored.count == files.count)
        for (path, url) in files {
            #expect(try restored[path]?.get() == [UInt8](try Data(contentsOf: url)), "\(path)")
        }
        // The generated CT is filtered, so the bundle beats plain zstd of the same files clearly.
        let studyBytes = files.filter { $0.0.hasPrefix("study/") }.reduce(0) { $0 + ((try? Data(contentsOf: $1.1).count) ?? 0) }
        let (studyBundle, _) = try pack(files.filter { $0.0.hasPrefix("study/") })
        #expect(Double(studyBytes) / Double(studyBundle.count) > 4)
    }

    /// The first chunks are small, so the first image is restored as soon as its bytes arrive: 1, 2, 4...
    /// files, then 64 (read from the bundle's own chunk records).
    @Test func theFirstChunksAreSmall() throws {
        let sample = TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm")
        let (bundle, failures) = try pack((0..<140).map { ("ct/\($0).dcm", sample) })
        #expect(failures.isEmpty)
        var reader = ByteReader(bundle)
        _ = try reader.raw(TransportBundle.magic.count)
        var counts: [Int] = []
        while try reader.u8() == 1 {
            let count = try reader.u32()
            counts.append(count)
            _ = try reader.raw(try reader.u64())
            for _ in 0..<count { _ = try reader.raw(try reader.u64()) }
        }
        #expect(counts == [1, 2, 4, 8, 16, 32, 64, 13])
        #expect(try unpack(bundle).count == 140)
    }

    @Test func filesThatAreNotDicomAreReportedAndTheOthersPacked() throws {
        let broken = try TestPaths.brokenSampleFiles().map { ("broken/\($0.lastPathComponent)", $0) }
        let good = ("ct.dcm", TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm"))
        let (bundle, failures) = try pack(broken + [good])
        #expect(failures.count == broken.count)
        let restored = try unpack(bundle)
        #expect(restored.keys.sorted() == ["ct.dcm"])
    }

    @Test func corruptionTruncationAndForeignDataAreErrors() throws {
        let files = ["CT_small.dcm", "MR_small.dcm"].map { ($0, TestPaths.dicomSamples.appendingPathComponent($0)) }
        let (bundle, _) = try pack(files)
        // A flipped byte near the end hits the last file's pixel frame: that file fails, the other survives.
        var damaged = bundle
        damaged[damaged.count - 40] ^= 0x5A
        let restored = try unpack(damaged)
        #expect((try? restored["CT_small.dcm"]?.get()) != nil)
        #expect(throws: DicomError.self) { _ = try restored["MR_small.dcm"]!.get() }
        // Truncated anywhere: an error naming truncation (or a broken frame), never a crash.
        for cut in [3, 10, 30, bundle.count / 2, bundle.count - 1] {
            #expect(throws: DicomError.self) { _ = try unpack(Array(bundle.prefix(cut))) }
        }
        let foreign = #expect(throws: DicomError.self) { _ = try unpack(Array("not a bundle at all".utf8)) }
        #expect(foreign?.message == "not a DICOM transport bundle (.dcmz)")
        // An absurd file count is refused before anything is allocated for it.
        #expect(throws: DicomError.self) { _ = try unpack(TransportBundle.magic + [1, 0xFF, 0xFF, 0xFF, 0xFF]) }
    }
}

@Suite struct CodecChooserTests {
    // Fixed per-core speeds shaped like the measured ones (DCMTK on CT): jpeg-ls strong but slow, RLE weak
    // but fast, nothing at all costs nothing.
    let measurements = [
        CodecChooser.Measurement(codec: .none, ratio: 1, encodeBytesPerSecond: 1e12, decodeBytesPerSecond: 1e12),
        CodecChooser.Measurement(codec: .rle, ratio: 2.0, encodeBytesPerSecond: 300e6, decodeBytesPerSecond: 400e6),
        CodecChooser.Measurement(codec: .jpegLS, ratio: 4.1, encodeBytesPerSecond: 50e6, decodeBytesPerSecond: 60e6),
        CodecChooser.Measurement(codec: .jpegLossless, ratio: 3.2, encodeBytesPerSecond: 40e6, decodeBytesPerSecond: 45e6),
        CodecChooser.Measurement(codec: .deflate, ratio: 2.2, encodeBytesPerSecond: 30e6, decodeBytesPerSecond: 200e6),
    ]

    // Hand-computed with 2 cores: at 10 and 100 Mbit/s the link limits, and jpeg-ls's ratio wins (19.5 ms/MB
    // at 100 Mbit/s against RLE's 40); at 300 Mbit/s jpeg-ls still wins but its encoding (10 ms/MB) is now
    // slower than its transfer (6.5 ms/MB); at 1 Gbit/s jpeg-ls's encoding (10 ms/MB) loses to RLE, whose
    // transfer (4 ms/MB) outlasts its encoding (1.7 ms/MB); at 100 Gbit/s any codec is slower than sending.
    @Test(arguments: [(10e6, StandardCodec.jpegLS, "the link"), (100e6, .jpegLS, "the link"),
                      (300e6, .jpegLS, "compression"), (1e9, .rle, "the link"), (100e9, .none, "the link")])
    func choiceForTheLink(_ bits: Double, _ expected: StandardCodec, _ pace: String) throws {
        let choice = CodecChooser.decide(measurements, linkBitsPerSecond: bits, cores: 2)
        #expect(choice.codec == expected)
        #expect(choice.explanation.contains("chose \(expected.rawValue): \(pace) sets its pace"), "\(choice.explanation)")
        #expect(choice.explanation.contains("<- chosen"))
    }

    @Test func measuredChoiceOnGeneratedCT() throws {
        let folder = try TestPaths.temporaryFolder("auto")
        defer { try? FileManager.default.removeItem(at: folder) }
        try StrokeStudy(scale: 0.005, seed: 8).write(to: folder, jobs: 2)
        let samples = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".dcm") }
            .sorted().prefix(3).map { folder.appendingPathComponent($0) }
        // Whatever this machine's speeds, a 1 Mbit/s link wants the strongest ratio and a 10 Tbit/s one none.
        #expect(CodecChooser.choose(samples: Array(samples), linkBitsPerSecond: 1e6, cores: 2).codec == .jpegLS)
        #expect(CodecChooser.choose(samples: Array(samples), linkBitsPerSecond: 1e13, cores: 2).codec == .none)
    }
}

@Suite struct HostileBundleTests {
    /// A header claiming a 65535 x 65535 x 65535 image must be refused before any allocation.
    @Test func absurdGeometryIsRefused() throws {
        var header = ByteWriter()
        header.u16(5); header.raw(Array("a.dcm".utf8)); header.u64(100); header.raw([UInt8](repeating: 0, count: 32))
        header.u8(1); header.u32(65535); header.u32(65535); header.u32(65535); header.u8(2); header.u8(0); header.u64(0)
        var bundle = ByteWriter()
        bundle.raw(TransportBundle.magic)
        let frame = try Zstd.compress(header.bytes)
        bundle.u8(1); bundle.u32(1); bundle.u64(frame.count); bundle.raw(frame); bundle.u64(0); bundle.u8(0)
        let stream = ArrayStream(bundle.bytes)
        let error = #expect(throws: DicomError.self) { try BundleUnpacker.unpack(from: stream, jobs: 1) { _ in } }
        #expect(error?.message.contains("absurd image geometry") == true)
    }
}
