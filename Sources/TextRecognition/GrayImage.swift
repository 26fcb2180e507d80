/// An 8-bit grayscale image, rows top to bottom.
public struct GrayImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height, "pixels do not match the size")
        (self.width, self.height, self.pixels) = (width, height, pixels)
    }

    /// Each pixel `factor` times wider and higher: OCR reads small text far better enlarged.
    public func enlarged(by factor: Int) -> GrayImage {
        guard factor > 1 else { return self }
        var result = [UInt8](repeating: 0, count: width * height * factor * factor)
        let wide = width * factor
        for y in 0..<height {
            for x in 0..<width {
                let value = pixels[y * width + x]
                for dy in 0..<factor {
                    let row = (y * factor + dy) * wide + x * factor
                    for dx in 0..<factor { result[row + dx] = value }
                }
            }
        }
        return GrayImage(width: wide, height: height * factor, pixels: result)
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
