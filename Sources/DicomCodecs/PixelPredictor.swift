/// A reversible filter that makes CT/MR pixels compress well with a general-purpose compressor: each sample
/// is replaced by its difference from the LOCO-I median edge detector (MED) prediction, the difference is
/// zigzag-coded, and 16-bit results are split into a low-byte plane and a high-byte plane (most high bytes
/// are then zero). Arithmetic is modulo 2^bits, so any input reverses exactly; the sign setting only changes
/// how well predictions work around zero.
public struct PixelPredictor: Hashable, Sendable {
    public let rows: Int
    public let columns: Int
    /// Frames (and planes): images predicted independently.
    public let images: Int
    public let bytesPerSample: Int  // 1 or 2
    public let isSigned: Bool

    public init(rows: Int, columns: Int, images: Int, bytesPerSample: Int, isSigned: Bool) {
        precondition(bytesPerSample == 1 || bytesPerSample == 2)
        (self.rows, self.columns, self.images, self.bytesPerSample, self.isSigned) =
            (rows, columns, images, bytesPerSample, isSigned)
    }

    public var byteCount: Int { rows * columns * images * bytesPerSample }

    /// MED is the median of (a, b, a + b - c); computed with conditional moves, since on noisy CT the
    /// branches of the textbook form are mispredicted about half the time.
    @inline(__always)
    static func med(_ a: Int32, _ b: Int32, _ c: Int32) -> Int32 {
        let low = a < b ? a : b, high = a < b ? b : a
        let gradient = a &+ b &- c
        let capped = gradient < high ? gradient : high
        return capped > low ? capped : low
    }

    /// Filters little-endian samples (exactly `byteCount` bytes).
    public func encode(_ input: [UInt8]) -> [UInt8] {
        eachImage(of: input) { source, target, base, total in
            if bytesPerSample == 2 { encode16(source, target, base: base, total: total) } else { encode8(source, target, base: base) }
        }
    }

    /// Reverses `encode`.
    public func decode(_ input: [UInt8]) -> [UInt8] {
        eachImage(of: input) { source, target, base, total in
            if bytesPerSample == 2 { decode16(source, target, base: base, total: total) } else { decode8(source, target, base: base) }
        }
    }

    /// Runs `body` once per image (its first sample and the sample count of all images), into a new buffer.
    private func eachImage(
        of input: [UInt8],
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeMutableBufferPointer<UInt8>, _ base: Int, _ total: Int) -> Void
    ) -> [UInt8] {
        precondition(input.count == byteCount)
        var output = [UInt8](repeating: 0, count: input.count)
        let pixels = rows * columns
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for image in 0..<images { body(source, target, image * pixels, pixels * images) }
            }
        }
        return output
    }

    /// Sign handling without a branch per sample: a 16-bit pattern maps to the predictor's value as
    /// ((pattern ^ flip) - flip), with flip 0x8000 for signed samples and 0 for unsigned ones.
    private var flip: Int32 { isSigned ? 0x8000 : 0 }

    private func encode16(_ source: UnsafeBufferPointer<UInt8>, _ target: UnsafeMutableBufferPointer<UInt8>, base: Int, total: Int) {
        let count = rows &* columns
        let values = UnsafeMutableBufferPointer<Int32>.allocate(capacity: count)
        defer { values.deallocate() }
        let flip = self.flip
        let bytes = source.baseAddress! + 2 &* base
        for index in 0..<count {
            let pattern = Int32(bytes[2 &* index]) | Int32(bytes[2 &* index &+ 1]) << 8
            values[index] = (pattern ^ flip) &- flip
        }
        let low = target.baseAddress! + base, high = target.baseAddress! + total + base
        @inline(__always) func put(_ index: Int, _ residual32: Int32) {
            let residual = Int16(truncatingIfNeeded: residual32)
            let zigzag = UInt16(bitPattern: (residual &<< 1) ^ (residual >> 15))
            low[index] = UInt8(truncatingIfNeeded: zigzag)
            high[index] = UInt8(truncatingIfNeeded: zigzag >> 8)
        }
        let v = values.baseAddress!
        put(0, v[0])
        for column in 1..<max(1, columns) { put(column, v[column] &- v[column &- 1]) }
        for row in 1..<max(1, rows) {
            let line = row &* columns
            put(line, v[line] &- v[line &- columns])
            var left = v[line], upLeft = v[line &- columns]
            var index = line &+ 1
            let end = line &+ columns
            while index < end {
                let up = v[index &- columns]
                let value = v[index]
                put(index, value &- Self.med(left, up, upLeft))
                left = value
                upLeft = up
                index &+= 1
            }
        }
    }

    private func decode16(_ source: UnsafeBufferPointer<UInt8>, _ target: UnsafeMutableBufferPointer<UInt8>, base: Int, total: Int) {
        // Specialised on the sample type: wrapping to 16 bits is then one sign- or zero-extending move on the
        // loop's critical path (each sample's prediction needs the previous sample).
        if isSigned {
            decode16(source, target, base: base, total: total, as: Int16.self)
        } else {
            decode16(source, target, base: base, total: total, as: UInt16.self)
        }
    }

    @inline(__always)
    private func decode16<Sample: FixedWidthInteger>(
        _ source: UnsafeBufferPointer<UInt8>, _ target: UnsafeMutableBufferPointer<UInt8>, base: Int, total: Int,
        as _: Sample.Type
    ) {
        let low = source.baseAddress! + base, high = source.baseAddress! + total + base
        // The output holds each decoded sample's 16-bit pattern (little endian, as this machine's words are
        // read), so the row above is read back from it rather than kept in a second buffer.
        let output = UnsafeMutableRawPointer(target.baseAddress! + 2 &* base)
        @inline(__always) func load(_ index: Int) -> Int32 {
            Int32(Sample(truncatingIfNeeded: UInt16(littleEndian: output.load(fromByteOffset: 2 &* index, as: UInt16.self))))
        }
        @inline(__always) func take(_ index: Int, _ predicted: Int32) -> Int32 {
            let zigzag = Int32(low[index]) | Int32(high[index]) << 8
            let residual = (zigzag >> 1) ^ (0 &- (zigzag & 1))
            let value = Int32(Sample(truncatingIfNeeded: predicted &+ residual))
            output.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, toByteOffset: 2 &* index, as: UInt16.self)
            return value
        }
        var previous = take(0, 0)
        for column in 1..<max(1, columns) { previous = take(column, previous) }
        for row in 1..<max(1, rows) {
            let line = row &* columns
            var upLeft = load(line &- columns)
            var left = take(line, upLeft)
            var index = line &+ 1
            let end = line &+ columns
            while index < end {
                let up = load(index &- columns)
                left = take(index, Self.med(left, up, upLeft))
                upLeft = up
                index &+= 1
            }
        }
    }

    @inline(__always)
    private func prediction8(_ at: (Int) -> Int32, row: Int, column: Int, index: Int) -> Int32 {
        if row == 0 { return column == 0 ? 0 : at(index &- 1) }
        if column == 0 { return at(index &- columns) }
        return Self.med(at(index &- 1), at(index &- columns), at(index &- columns &- 1))
    }

    @inline(__always)
    private func sample8(_ value: UInt8) -> Int32 { isSigned ? Int32(Int8(bitPattern: value)) : Int32(value) }

    private func encode8(_ source: UnsafeBufferPointer<UInt8>, _ target: UnsafeMutableBufferPointer<UInt8>, base: Int) {
        for row in 0..<rows {
            for column in 0..<columns {
                let index = base &+ row &* columns &+ column
                let predicted = prediction8({ sample8(source[$0]) }, row: row, column: column, index: index)
                let residual = Int8(truncatingIfNeeded: sample8(source[index]) &- predicted)
                target[index] = UInt8(bitPattern: (residual &<< 1) ^ (residual >> 7))
            }
        }
    }

    private func decode8(_ source: UnsafeBufferPointer<UInt8>, _ target: UnsafeMutableBufferPointer<UInt8>, base: Int) {
        for row in 0..<rows {
            for column in 0..<columns {
                let index = base &+ row &* columns &+ column
                let predicted = prediction8({ sample8(target[$0]) }, row: row, column: column, index: index)
                let zigzag = source[index]
                let residual = Int8(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1)))
                target[index] = UInt8(truncatingIfNeeded: predicted &+ Int32(residual))
            }
        }
    }
}
