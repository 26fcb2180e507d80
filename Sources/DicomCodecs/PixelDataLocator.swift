import DicomCore

/// Where the native pixel data value sits in a file's bytes, so the bundle can filter the pixels and still
/// restore the file byte for byte. Only a match that agrees with the object's own geometry is trusted;
/// anything else is stored as plain bytes, which is always correct, just compressed less.
struct PixelDataLocation {
    let offset: Int
    let predictor: PixelPredictor

    static func locate(in bytes: [UInt8], object: DicomObject) -> PixelDataLocation? {
        let syntax = object.transferSyntax
        guard syntax == .explicitLittleEndian || syntax == .implicitLittleEndian,
            let geometry = try? object.imageGeometry(),
            geometry.bitsAllocated == 8 || geometry.bitsAllocated == 16,
            geometry.samplesPerPixel == 1 || (try? object.integer(Tag(0x0028, 0x0006))) == 1
        else { return nil }
        let expected = geometry.decodedByteCount
        guard expected > 0, expected < bytes.count else { return nil }
        let predictor = PixelPredictor(
            rows: geometry.rows, columns: geometry.columns, images: geometry.frames * geometry.samplesPerPixel,
            bytesPerSample: geometry.bitsAllocated / 8, isSigned: geometry.isSigned)
        // The value ends the dataset in practice; search back from the end for (7FE0,0010) with that length.
        var index = bytes.count - expected - 8
        while index >= 0 {
            if bytes[index] == 0xE0, bytes[index + 1] == 0x7F, bytes[index + 2] == 0x10, bytes[index + 3] == 0x00 {
                let explicit = bytes[index + 5] == UInt8(ascii: "W") || bytes[index + 5] == UInt8(ascii: "B")
                if syntax == .explicitLittleEndian, explicit, bytes[index + 4] == UInt8(ascii: "O"),
                    index + 12 + expected <= bytes.count, readUInt32(bytes, index + 8) == expected
                {
                    return PixelDataLocation(offset: index + 12, predictor: predictor)
                }
                if syntax == .implicitLittleEndian, readUInt32(bytes, index + 4) == expected {
                    return PixelDataLocation(offset: index + 8, predictor: predictor)
                }
            }
            index -= 1
        }
        return nil
    }

    static func readUInt32(_ bytes: [UInt8], _ at: Int) -> Int {
        Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
    }
}
