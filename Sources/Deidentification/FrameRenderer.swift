import DicomCore
import TextRecognition

/// Each frame of an image as 8-bit gray, as a screen would show it: colour by luminance, 16-bit samples
/// stretched from their darkest to their brightest, MONOCHROME1 turned the right way round.
enum FrameRenderer {
    static func frames(of object: DicomObject, geometry: ImageGeometry) throws(DicomError) -> [GrayImage] {
        guard geometry.bitsAllocated == 8 || geometry.bitsAllocated == 16, geometry.samplesPerPixel == 1 || geometry.samplesPerPixel == 3
        else { throw DicomError("cannot read text in pixels of \(geometry.bitsAllocated) bits, \(geometry.samplesPerPixel) samples") }
        let bytes = try object.decodedPixelData()
        let planar = (try object.integer(Tag(0x0028, 0x0006)) ?? 0) == 1
        let inverted = try object.string(Tag(0x0028, 0x0004))?.trimmingCharacters(in: .whitespaces) == "MONOCHROME1"
        let bytesPerSample = geometry.bitsAllocated / 8, pixels = geometry.rows * geometry.columns
        let frameBytes = pixels * geometry.samplesPerPixel * bytesPerSample
        guard bytes.count >= frameBytes * geometry.frames else { throw DicomError("pixel data shorter than its geometry") }
        return (0..<geometry.frames).map { frame in
            let base = frame * frameBytes
            func sample(_ pixel: Int, _ channel: Int) -> Int {
                let index = planar ? channel * pixels + pixel : pixel * geometry.samplesPerPixel + channel
                let offset = base + index * bytesPerSample
                if bytesPerSample == 1 { return Int(bytes[offset]) }
                let raw = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
                return geometry.isSigned ? Int(Int16(bitPattern: raw)) : Int(raw)
            }
            var values = [Int](repeating: 0, count: pixels)
            for pixel in 0..<pixels {
                values[pixel] = geometry.samplesPerPixel == 3
                    ? (299 * sample(pixel, 0) + 587 * sample(pixel, 1) + 114 * sample(pixel, 2)) / 1000 : sample(pixel, 0)
            }
            let low = values.min() ?? 0, high = values.max() ?? 0
            let span = max(1, high - low)
            var gray = values.map { UInt8(bytesPerSample == 1 && geometry.samplesPerPixel == 3 ? $0 : ($0 - low) * 255 / span) }
            if inverted { gray = gray.map { 255 - $0 } }
            return GrayImage(width: geometry.columns, height: geometry.rows, pixels: gray)
        }
    }
}
