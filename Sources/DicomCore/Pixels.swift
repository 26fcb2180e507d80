/// Image geometry and decoded pixel access.
public struct ImageGeometry: Hashable, Sendable {
    public let rows: Int
    public let columns: Int
    public let frames: Int
    public let samplesPerPixel: Int
    public let bitsAllocated: Int
    public let bitsStored: Int
    public let isSigned: Bool

    /// Bytes of the decoded pixel data (bit-packed for 1-bit images).
    public var decodedByteCount: Int {
        let samples = rows * columns * frames * samplesPerPixel
        return bitsAllocated == 1 ? (samples + 7) / 8 : samples * (bitsAllocated / 8)
    }
}

extension DicomObject {
    /// The image geometry, nil for objects without pixel data.
    public func imageGeometry() throws(DicomError) -> ImageGeometry? {
        guard let rows = try integer(.rows), let columns = try integer(.columns),
            let bitsAllocated = try integer(.bitsAllocated)
        else { return nil }
        return ImageGeometry(
            rows: rows, columns: columns, frames: max(1, try integer(.numberOfFrames) ?? 1),
            samplesPerPixel: try integer(.samplesPerPixel) ?? 1, bitsAllocated: bitsAllocated,
            bitsStored: try integer(.bitsStored) ?? bitsAllocated,
            isSigned: (try integer(.pixelRepresentation) ?? 0) == 1)
    }

    /// The pixel data decoded to native little-endian samples, whatever the transfer syntax. The object itself
    /// is left as it is.
    public func decodedPixelData() throws(DicomError) -> [UInt8] {
        let source = transferSyntax.isEncapsulated || transferSyntax == .explicitBigEndian ? copy() : self
        if source !== self { try source.changeTransferSyntax(to: .explicitLittleEndian) }
        guard let bytes = try source.bytes(.pixelData) else { throw DicomError("no pixel data") }
        return bytes
    }
}
