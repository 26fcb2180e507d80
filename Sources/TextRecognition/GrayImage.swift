/// An 8-bit grayscale image, rows top to bottom.
public struct GrayImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height, "pixels do not match the size")
        (self.width, self.height, self.pixels) = (width, height, pixels)
    }

    /// The image `factor` times wider and higher, interpolated bilinearly: OCR reads small text far better
    /// enlarged, and smooth edges better than blocky ones.
    public func enlarged(by factor: Int) -> GrayImage {
        guard factor > 1, width > 0, height > 0 else { return self }
        let wide = width * factor, high = height * factor
        var result = [UInt8](repeating: 0, count: wide * high)
        // Source coordinates in 1/256 pixel: (target + 0.5) / factor - 0.5, clamped to the image.
        func source(_ target: Int, _ limit: Int) -> (Int, Int, Int) {
            let position = max(0, ((2 * target + 1) * 256 / (2 * factor)) - 128)
            let low = min(position >> 8, limit - 1)
            return (low, min(low + 1, limit - 1), position & 255)
        }
        let columns = (0..<wide).map { source($0, width) }
        for y in 0..<high {
            let (y0, y1, fy) = source(y, height)
            let row0 = y0 * width, row1 = y1 * width, out = y * wide
            for x in 0..<wide {
                let (x0, x1, fx) = columns[x]
                let top = Int(pixels[row0 + x0]) * (256 - fx) + Int(pixels[row0 + x1]) * fx
                let bottom = Int(pixels[row1 + x0]) * (256 - fx) + Int(pixels[row1 + x1]) * fx
                result[out + x] = UInt8((top * (256 - fy) + bottom * fy) >> 16)
            }
        }
        return GrayImage(width: wide, height: high, pixels: result)
    }

    /// Dark text on light and light text on dark read alike once both are tried.
    public var inverted: GrayImage { GrayImage(width: width, height: height, pixels: pixels.map { 255 - $0 }) }
}

/// A word Tesseract read, its box in the image's pixels and its confidence (0-100).
public struct RecognizedWord: Sendable, Equatable {
    public let text: String
    public let box: PixelBox
    public let confidence: Float

    public init(text: String, box: PixelBox, confidence: Float) { (self.text, self.box, self.confidence) = (text, box, confidence) }
}

/// A rectangle in pixels: x, y of the top left corner, width, height.
public struct PixelBox: Sendable, Hashable {
    public let x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) { (self.x, self.y, self.width, self.height) = (x, y, width, height) }

    /// The box grown by `horizontal` left and right and `vertical` above and below, clipped to `width` x `height`.
    public func padded(horizontal: Int, vertical: Int, within width: Int, _ height: Int) -> PixelBox {
        let x0 = max(0, x - horizontal), y0 = max(0, y - vertical)
        return PixelBox(x: x0, y: y0, width: min(width, x + self.width + horizontal) - x0, height: min(height, y + self.height + vertical) - y0)
    }
}
