import DicomCodecs
import DicomCore
import Foundation
import SyntheticStudy
import TestSupport
import Testing

@Suite struct TranscoderTests {
    static let jpeg2000Samples: Set<String> = ["JPEG2000.dcm", "RG1_J2KI.dcm", "explicit_VR-UN.dcm"]
    static let oneBitSamples: Set<String> = ["liver.dcm"]

    static var cases: [(URL, StandardCodec)] {
        (try? TestPaths.validSamples())!.flatMap { url in StandardCodec.allCases.map { (url, $0) } }
    }

    @Test(arguments: cases)
    func everySampleRoundTripsBitExactOrIsRefusedWithAReason(_ url: URL, _ codec: StandardCodec) throws {
        let name = url.lastPathComponent
        let original = try DicomObject(contentsOf: url)
        if Self.jpeg2000Samples.contains(name) {
            let error = #expect(throws: DicomError.self) { try Transcoder.transcode(original, to: codec) }
            #expect(error?.message.contains("JPEG 2000") == true)
            return
        }
        if Self.oneBitSamples.contains(name) && codec.transferSyntax.isEncapsulated {
            let error = #expect(throws: DicomError.self) { try Transcoder.transcode(original, to: codec) }
            #expect(error?.message.hasPrefix("1-bit pixel data") == true)
            return
        }
        let result = try Transcoder.transcode(original, to: codec)
        #expect(result.object.transferSyntax == codec.transferSyntax)

        // Written and read back as a file, the pixels decode to the input's own decoded pixels.
        let folder = try TestPaths.temporaryFolder("codec")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name)
        try result.object.write(to: file)
        let reread = try DicomObject(contentsOf: file)
        #expect(reread.transferSyntax == codec.transferSyntax)
        if try original.imageGeometry() != nil {
            #expect(try reread.decodedPixelData() == original.decodedPixelData())
        }
    }

    /// For an uncompressed input the expectation needs no codec at all: the file's own pixel bytes.
    @Test(arguments: [StandardCodec.jpegLS, .rle, .jpegLossless])
    func realCTDecodesToTheFilesRawPixelBytes(_ codec: StandardCodec) throws {
        let url = TestPaths.dicomSamples.appendingPathComponent("693_UNCR.dcm")
        let data = [UInt8](try Data(contentsOf: url))
        let raw = Array(data.suffix(512 * 512 * 2))  // pixel data is the last element of this file
        let result = try Transcoder.transcode(try DicomObject(contentsOf: url), to: codec)
        #expect(result.pixelBytesAfter < raw.count / 2, "\(codec) compresses a CT slice at least 2x")
        let reread = try DicomObject(bytes: try result.object.encoded())
        #expect(try reread.decodedPixelData() == raw)
    }

    @Test func nearLosslessStaysWithinNearAndIsMarkedLossy() throws {
        // DCMTK's near-lossless JPEG-LS takes unsigned pixels (this MR); signed CT is refused with a reason.
        let object = try DicomObject(contentsOf: TestPaths.dicomSamples.appendingPathComponent("MR2_UNCR.dcm"))
        let lossless = try Transcoder.transcode(object, to: .jpegLS)
        let near = try Transcoder.transcode(object, to: .jpegLS, nearLossless: 3)
        #expect(near.object.transferSyntax == .jpegLSNearLossless)
        #expect(near.pixelBytesAfter < lossless.pixelBytesAfter)
        #expect(try near.object.string(.lossyImageCompression) == "01")
        let before = try object.decodedPixelData(), after = try near.object.decodedPixelData()
        var worst = 0
        for index in stride(from: 0, to: before.count, by: 2) {
            let a = Int(UInt16(before[index]) | UInt16(before[index + 1]) << 8)
            let b = Int(UInt16(after[index]) | UInt16(after[index + 1]) << 8)
            worst = max(worst, abs(a - b))
        }
        #expect(worst <= 3 && worst > 0)
        #expect(throws: DicomError.self) { try Transcoder.transcode(object, to: .rle, nearLossless: 2) }
        let signedCT = try StrokeStudy(scale: 0.01, seed: 2).image(series: 0, index: 0)
        #expect(throws: DicomError.self) { try Transcoder.transcode(signedCT, to: .jpegLS, nearLossless: 2) }
    }

    @Test func hostileGeometryIsRefusedBeforeDecoding() throws {
        let object = try DicomObject(contentsOf: TestPaths.dicomSamples.appendingPathComponent("MR_small_jpeg_ls_lossless.dcm"))
        try object.set(.rows, "65535")
        try object.set(.columns, "65535")
        try object.set(.numberOfFrames, "10000")
        let error = #expect(throws: DicomError.self) { try Transcoder.transcode(object, to: .none) }
        #expect(error?.message.contains("exceeds") == true)
    }

    @Test func zstdFramesRoundTripAndCorruptionIsAnError() throws {
        let input = [UInt8]((0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7 / 3) })
        let frame = try Zstd.compress(input, level: 3)
        #expect(frame.count < input.count / 4)
        #expect(try Zstd.decompress(frame) == input)
        var broken = frame
        broken[broken.count / 2] ^= 0xFF
        broken[broken.count / 2 + 1] ^= 0x55
        #expect(throws: DicomError.self) { _ = try Zstd.decompress(broken) }
        #expect(throws: DicomError.self) { _ = try Zstd.decompress(Array(frame.prefix(10))) }
        #expect(throws: DicomError.self) { _ = try Zstd.decompress(frame, limit: 1000) }
    }
}
