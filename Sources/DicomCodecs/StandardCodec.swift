import DicomCore

/// The standard DICOM encodings dcm-compress writes: output any PACS accepts.
public enum StandardCodec: String, CaseIterable, Sendable {
    case jpegLS = "jpeg-ls"
    case rle
    case jpegLossless = "jpeg-lossless"
    case deflate
    case none

    public var transferSyntax: TransferSyntax {
        switch self {
        case .jpegLS: .jpegLSLossless
        case .rle: .rleLossless
        case .jpegLossless: .jpegLosslessSV1
        case .deflate: .deflatedExplicitLittleEndian
        case .none: .explicitLittleEndian
        }
    }
}

/// Decoded images larger than this are refused before any decoder runs (hostile headers declaring
/// 65535 x 65535 x 10,000 frames must not exhaust memory).
public let maximumDecodedImageBytes = 4 << 30

/// Encapsulated syntaxes DCMTK's free codecs decode (JPEG 2000 is not among them).
let decodable: Set<TransferSyntax> = [
    .rleLossless, .jpegBaseline, .jpegExtended, .jpegLossless, .jpegLosslessSV1, .jpegLSLossless, .jpegLSNearLossless,
]

/// Transcodes objects through DCMTK's codecs and proves lossless results bit-exact before returning them.
public enum Transcoder {
    public struct Result {
        public let object: DicomObject
        /// Pixel data bytes before and after (encapsulated: the fragments; native: the samples).
        public let pixelBytesBefore: Int
        public let pixelBytesAfter: Int
    }

    /// Returns a transcoded copy of `object`. With `nearLossless` > 0 (JPEG-LS only) pixels may change by
    /// at most that much; otherwise the decoded pixels are compared bit-exact with the input's when `verify`.
    public static func transcode(
        _ object: DicomObject, to codec: StandardCodec, nearLossless: Int = 0, verify: Bool = true
    ) throws(DicomError) -> Result {
        if nearLossless > 0 && codec != .jpegLS {
            throw DicomError("near-lossless coding exists only for jpeg-ls")
        }
        let geometry = try checkedGeometry(object)
        let source = object.transferSyntax
        if geometry != nil, source.isEncapsulated, !decodable.contains(source) {
            throw DicomError("cannot decode \(source.name) pixel data (DCMTK has no codec for it)")
        }
        if geometry?.bitsAllocated == 1, codec.transferSyntax.isEncapsulated {
            throw DicomError("1-bit pixel data cannot be encoded as \(codec.transferSyntax.name); use --codec deflate")
        }
        let before = try object.bytes(.pixelData)?.count ?? 0
        let output = object.copy()
        let target: TransferSyntax = nearLossless > 0 ? .jpegLSNearLossless : codec.transferSyntax
        try output.changeTransferSyntax(to: target, nearLossless: nearLossless)
        let after = try output.bytes(.pixelData)?.count ?? 0
        if verify, geometry != nil {
            let expected = try object.decodedPixelData()
            let actual = try output.decodedPixelData()
            if nearLossless > 0 {
                try checkWithinTolerance(expected, actual, geometry: geometry!, tolerance: nearLossless)
            } else if expected != actual {
                throw DicomError("verification failed: decoded \(codec.rawValue) pixels differ from the input")
            }
        }
        return Result(object: output, pixelBytesBefore: before, pixelBytesAfter: after)
    }

    /// The geometry when the object has pixels, after checking it is sane and matches the pixel data.
    static func checkedGeometry(_ object: DicomObject) throws(DicomError) -> ImageGeometry? {
        guard try object.elements().contains(where: { $0.tag == .pixelData && $0.depth == 0 }) else { return nil }
        guard let geometry = try object.imageGeometry() else {
            throw DicomError("pixel data without Rows, Columns or Bits Allocated")
        }
        guard geometry.rows > 0, geometry.columns > 0, geometry.frames > 0,
            [1, 8, 16, 32].contains(geometry.bitsAllocated), (1...4).contains(geometry.samplesPerPixel)
        else {
            throw DicomError("implausible image geometry \(geometry.rows)x\(geometry.columns), \(geometry.frames) frames, \(geometry.bitsAllocated) bits")
        }
        guard geometry.decodedByteCount <= maximumDecodedImageBytes else {
            throw DicomError("declared image size \(geometry.decodedByteCount) bytes exceeds the \(maximumDecodedImageBytes) byte limit")
        }
        return geometry
    }

    private static func checkWithinTolerance(
        _ expected: [UInt8], _ actual: [UInt8], geometry: ImageGeometry, tolerance: Int
    ) throws(DicomError) {
        guard expected.count == actual.count else { throw DicomError("verification failed: pixel count changed") }
        let step = geometry.bitsAllocated == 16 ? 2 : 1
        for index in stride(from: 0, to: expected.count - step + 1, by: step) {
            let a = step == 2 ? Int(expected[index]) | Int(expected[index + 1]) << 8 : Int(expected[index])
            let b = step == 2 ? Int(actual[index]) | Int(actual[index + 1]) << 8 : Int(actual[index])
            if abs(a - b) > tolerance {
                throw DicomError("verification failed: near-lossless error above \(tolerance)")
            }
        }
    }
}
