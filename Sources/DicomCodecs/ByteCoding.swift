import DicomCore

/// Little-endian integers into a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: Int) { append(UInt64(value), count: 2) }
    mutating func u32(_ value: Int) { append(UInt64(value), count: 4) }
    mutating func u64(_ value: Int) { append(UInt64(value), count: 8) }
    mutating func raw(_ data: [UInt8]) { bytes += data }
    mutating func raw(_ data: ArraySlice<UInt8>) { bytes += data }

    private mutating func append(_ value: UInt64, count: Int) {
        for shift in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(shift)))) }
    }
}

/// Bounds-checked little-endian reads: a malformed bundle is an error, never a crash.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position == bytes.count }

    mutating func u8() throws(DicomError) -> UInt8 { UInt8(try integer(1)) }
    mutating func u16() throws(DicomError) -> Int { try integer(2) }
    mutating func u32() throws(DicomError) -> Int { try integer(4) }
    mutating func u64() throws(DicomError) -> Int { try integer(8) }

    mutating func raw(_ count: Int) throws(DicomError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else { throw DicomError("bundle: entry runs past its end") }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    private mutating func integer(_ count: Int) throws(DicomError) -> Int {
        let slice = try raw(count)
        var value: UInt64 = 0
        for (shift, byte) in slice.enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
        guard value <= UInt64(Int.max) else { throw DicomError("bundle: absurd length") }
        return Int(value)
    }
}

/// Reads exact byte counts from a stream (a bundle file or standard input).
struct StreamReader {
    let handle: FileHandleLike

    func exactly(_ count: Int) throws(DicomError) -> [UInt8] {
        var result: [UInt8] = []
        // A declared length is a claim: memory grows with the bytes that actually arrive.
        result.reserveCapacity(min(count, 1 << 22))
        while result.count < count {
            let chunk = handle.read(upTo: min(count - result.count, 1 << 22))
            if chunk.isEmpty { throw DicomError("bundle: truncated (ends inside a record)") }
            result += chunk
        }
        return result
    }

    func integer(_ count: Int) throws(DicomError) -> Int {
        var reader = ByteReader(try exactly(count))
        return count == 1 ? Int(try reader.u8()) : count == 4 ? try reader.u32() : try reader.u64()
    }
}

/// The part of a file handle the reader needs (a protocol so tests can feed broken streams).
protocol FileHandleLike {
    func read(upTo count: Int) -> [UInt8]
}
