import Crypto
import DicomCore
import Foundation
import Locking

/// The transport bundle (.dcmz): a study or series in one stream for links where both ends run the toolkit.
///
///     bundle  := "DCMZ" 0x01, chunk*, 0x00
///     chunk   := 0x01, u32 file count, u64 length, zstd frame of the chunk's headers,
///                then per file: u64 length, zstd frame of its filtered pixels (length 0: none)
///     header  := u16 path length, path, u64 file size, SHA-256 of the file, u8 pixel kind
///                [kind 1: u32 rows, u32 columns, u32 images, u8 bytes per sample, u8 signed, u64 pixel offset],
///                then the file's bytes without the pixel value
///
/// The headers of a chunk share one zstd frame (a series' headers are nearly identical: tens of bytes each);
/// pixels go through `PixelPredictor` and their own frame, compressed in parallel. Every frame carries zstd's
/// checksum and every file its SHA-256, so unpacking restores files byte for byte or says which one broke.
public enum TransportBundle {
    static let magic: [UInt8] = Array("DCMZ".utf8) + [1]
    /// The most files in a chunk. The first chunks are smaller (1, 2, 4... files): a chunk is restored when
    /// it has arrived whole, and the stroke reader waits for the first slice, not for the first 64.
    static let filesPerChunk = 64

    /// Files in the chunk after `written` chunks.
    static func chunkSize(after written: Int) -> Int { written >= 6 ? filesPerChunk : min(filesPerChunk, 1 << written) }
    static let maximumPathBytes = 4096
    static let maximumFilesPerChunk = 100_000
    /// A chunk's headers (and files stored without a pixel filter) stay below this, so a reader never has
    /// to hold more; the packer starts a new chunk before it.
    static let maximumHeaderBytes = 4 << 30
    static let chunkHeaderBudget = 256 << 20

    /// One file restored from a bundle, or why it could not be.
    public struct Restored {
        public let path: String
        public let result: Result<[UInt8], DicomError>
    }
}

// MARK: Packing

public final class BundlePacker {
    public struct Statistics: Sendable {
        public var files = 0
        public var bytesIn = 0
        public var bytesOut = 0
        public var filteredFiles = 0
    }

    private let sink: ([UInt8]) throws(DicomError) -> Void
    private let jobs: Int
    private let level: Int32
    public private(set) var statistics = Statistics()
    /// Chunks written so far: the next chunk's size grows with them.
    private var chunksWritten = 0

    /// `sink` receives the bundle's bytes in order (a file stream or standard output).
    public init(jobs: Int, level: Int32 = 1, sink: @escaping ([UInt8]) throws(DicomError) -> Void) throws(DicomError) {
        self.sink = sink
        self.jobs = max(1, jobs)
        self.level = level
        try sink(TransportBundle.magic)
        statistics.bytesOut += TransportBundle.magic.count
    }

    /// Packs files (path in the bundle, contents). Returns per-file failures; the other files are packed.
    public func add(_ files: [(path: String, url: URL)]) throws(DicomError) -> [(path: String, error: DicomError)] {
        var failures: [(String, DicomError)] = []
        var start = 0
        while start < files.count {
            let chunk = Array(files[start..<min(files.count, start + TransportBundle.chunkSize(after: chunksWritten))])
            start += chunk.count
            var pending: [PreparedFile] = []
            var headerBytes = 0
            for (file, result) in zip(chunk, prepare(chunk)) {
                switch result {
                case .success(let entry):
                    if headerBytes + entry.header.count > TransportBundle.chunkHeaderBudget, !pending.isEmpty {
                        try writeChunk(pending)
                        (pending, headerBytes) = ([], 0)
                    }
                    pending.append(entry)
                    headerBytes += entry.header.count
                case .failure(let error): failures.append((file.path, error))
                }
            }
            if !pending.isEmpty { try writeChunk(pending) }
        }
        return failures
    }

    /// Writes the end marker. A bundle without it is reported as truncated when unpacked.
    public func finish() throws(DicomError) {
        try sink([0])
        statistics.bytesOut += 1
    }

    struct PreparedFile {
        let header: [UInt8]
        let pixelFrame: [UInt8]
        let size: Int
        let filtered: Bool
    }

    private func prepare(_ chunk: [(path: String, url: URL)]) -> [Result<PreparedFile, DicomError>] {
        let results = ResultSlots<PreparedFile>(count: chunk.count)
        let level = self.level
        let workers = min(jobs, chunk.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: chunk.count, by: workers) {
                results.set(index, Result { () throws(DicomError) -> PreparedFile in
                    try Self.prepareFile(path: chunk[index].path, url: chunk[index].url, level: level)
                })
            }
        }
        return results.values
    }

    static func prepareFile(path: String, url: URL, level: Int32) throws(DicomError) -> PreparedFile {
        let pathBytes = Array(path.utf8)
        guard !pathBytes.isEmpty, pathBytes.count <= TransportBundle.maximumPathBytes else {
            throw DicomError("path too long for a bundle")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw DicomError("cannot read the file") }
        let bytes = [UInt8](data)
        // Only DICOM objects are packed: reading one also gives the geometry the pixel filter needs.
        let object = try DicomObject(bytes: bytes)
        var header = ByteWriter()
        header.u16(pathBytes.count)
        header.raw(pathBytes)
        header.u64(bytes.count)
        header.raw(Array(SHA256.hash(data: bytes)))
        guard let location = PixelDataLocation.locate(in: bytes, object: object) else {
            header.u8(0)
            header.raw(bytes)
            return PreparedFile(header: header.bytes, pixelFrame: [], size: bytes.count, filtered: false)
        }
        let predictor = location.predictor
        let end = location.offset + predictor.byteCount
        header.u8(1)
        header.u32(predictor.rows)
        header.u32(predictor.columns)
        header.u32(predictor.images)
        header.u8(UInt8(predictor.bytesPerSample))
        header.u8(predictor.isSigned ? 1 : 0)
        header.u64(location.offset)
        header.raw(bytes[..<location.offset])
        header.raw(bytes[end...])
        let filtered = predictor.encode(Array(bytes[location.offset..<end]))
        return PreparedFile(header: header.bytes, pixelFrame: try Zstd.compress(filtered, level: level), size: bytes.count, filtered: true)
    }

    private func writeChunk(_ files: [PreparedFile]) throws(DicomError) {
        let headers = try Zstd.compress(files.flatMap(\.header), level: 9)
        var record = ByteWriter()
        record.u8(1)
        record.u32(files.count)
        record.u64(headers.count)
        record.raw(headers)
        try sink(record.bytes)
        statistics.bytesOut += record.bytes.count
        for file in files {
            var frame = ByteWriter()
            frame.u64(file.pixelFrame.count)
            frame.raw(file.pixelFrame)
            try sink(frame.bytes)
            statistics.bytesOut += frame.bytes.count
            statistics.files += 1
            statistics.bytesIn += file.size
            if file.filtered { statistics.filteredFiles += 1 }
        }
        chunksWritten += 1
    }
}

// MARK: Unpacking

public enum BundleUnpacker {
    /// What a bundle from another site may make us write: at most `maximumOutputBytes` in all, and at most
    /// `maximumRatio` times the bundle's bytes read so far (past a first `ratioFloorBytes`), so that a small
    /// bundle cannot expand into a full disk or exhaust memory. Checked before anything is decompressed.
    public struct Limits: Sendable {
        public var maximumOutputBytes = 64 << 30
        public var maximumRatio = 200
        public var ratioFloorBytes = 64 << 20

        public init() {}

        func allowance(read: Int, restored: Int) -> Int {
            let byRatio = read.multipliedReportingOverflow(by: maximumRatio)
            let budget = min(maximumOutputBytes, max(ratioFloorBytes, byRatio.overflow ? Int.max : byRatio.partialValue))
            return budget - restored
        }
    }

    /// Reads a bundle from `handle` and hands each restored file (or its failure) to `restored`, chunk by
    /// chunk, decoding a chunk's files in parallel. Throws when the stream itself is broken (bad magic,
    /// truncation, a corrupt header frame) or would restore more than `limits` allow; files already handed
    /// over stay valid.
    public static func unpack(
        from handle: FileHandle, jobs: Int, limits: Limits = Limits(), restored: (TransportBundle.Restored) -> Void
    ) throws(DicomError) {
        try unpack(from: FileHandleReader(handle: handle), jobs: jobs, limits: limits, restored: restored)
    }

    /// The same from a bundle in memory.
    public static func unpack(
        bytes: [UInt8], jobs: Int, limits: Limits = Limits(), restored: (TransportBundle.Restored) -> Void
    ) throws(DicomError) {
        try unpack(from: ByteArraySource(bytes: bytes), jobs: jobs, limits: limits, restored: restored)
    }

    static func unpack(
        from source: FileHandleLike, jobs: Int, limits: Limits = Limits(), restored: (TransportBundle.Restored) -> Void
    ) throws(DicomError) {
        let stream = StreamReader(handle: source)
        guard (try? stream.exactly(TransportBundle.magic.count)) == TransportBundle.magic else {
            throw DicomError("not a DICOM transport bundle (.dcmz)")
        }
        var read = TransportBundle.magic.count, written = 0
        while true {
            let kind = try stream.integer(1)
            if kind == 0 { return }
            guard kind == 1 else { throw DicomError("bundle: unknown record type \(kind)") }
            let count = try stream.integer(4)
            guard (1...TransportBundle.maximumFilesPerChunk).contains(count) else { throw DicomError("bundle: absurd file count") }
            let headerLength = try stream.integer(8)
            guard headerLength <= TransportBundle.maximumHeaderBytes else { throw DicomError("bundle: absurd header length") }
            let headerFrame = try stream.exactly(headerLength)
            read += 13 + headerLength
            let allowance = limits.allowance(read: read, restored: written)
            guard allowance > 0 else { throw overLimit(limits) }
            let headers: [UInt8]
            do { headers = try Zstd.decompress(headerFrame, limit: min(TransportBundle.maximumHeaderBytes, allowance)) } catch {
                throw error.message.contains("over the limit") ? overLimit(limits) : error
            }
            var pixelFrames: [[UInt8]] = []
            for _ in 0..<count {
                let length = try stream.integer(8)
                guard length <= maximumDecodedImageBytes else { throw DicomError("bundle: absurd pixel frame length") }
                pixelFrames.append(try stream.exactly(length))
                read += 8 + length
            }
            let entries = try parseChunk(headers: headers, files: count)
            let size = entries.reduce(0) { $0 + $1.size }
            guard size <= limits.allowance(read: read, restored: written) else { throw overLimit(limits) }
            written += size
            for item in decodeChunk(entries, pixelFrames: pixelFrames, jobs: jobs) { restored(item) }
        }
    }

    static func overLimit(_ limits: Limits) -> DicomError {
        DicomError("bundle: would restore more than its limits allow (\(limits.maximumOutputBytes) bytes in all, \(limits.maximumRatio) times its own size): refused as a decompression bomb")
    }

    struct Entry {
        let path: String
        let size: Int
        let checksum: [UInt8]
        let predictor: PixelPredictor?
        let pixelOffset: Int
        let rest: ArraySlice<UInt8>
    }

    /// The entries of a chunk's header frame, every size and geometry checked.
    static func parseChunk(headers: [UInt8], files: Int) throws(DicomError) -> [Entry] {
        var reader = ByteReader(headers)
        var parsed: [Entry] = []
        for _ in 0..<files {
            let pathLength = try reader.u16()
            guard let path = String(bytes: try reader.raw(pathLength), encoding: .utf8) else { throw DicomError("bundle: path is not UTF-8") }
            let size = try reader.u64()
            let checksum = Array(try reader.raw(32))
            let kind = try reader.u8()
            var predictor: PixelPredictor?
            var offset = 0
            if kind == 1 {
                let rows = try reader.u32(), columns = try reader.u32(), images = try reader.u32()
                let bytesPerSample = Int(try reader.u8()), signed = try reader.u8() == 1
                offset = try reader.u64()
                guard [1, 2].contains(bytesPerSample), (1...65535).contains(rows), (1...65535).contains(columns),
                    (1...65535).contains(images), rows * columns * images * bytesPerSample <= maximumDecodedImageBytes
                else { throw DicomError("bundle: absurd image geometry for \(path)") }
                predictor = PixelPredictor(rows: rows, columns: columns, images: images, bytesPerSample: bytesPerSample, isSigned: signed)
            } else if kind != 0 {
                throw DicomError("bundle: unknown pixel kind for \(path)")
            }
            let pixelBytes = predictor?.byteCount ?? 0
            guard size >= pixelBytes, offset <= size - pixelBytes else { throw DicomError("bundle: inconsistent sizes for \(path)") }
            parsed.append(Entry(path: path, size: size, checksum: checksum, predictor: predictor, pixelOffset: offset,
                                 rest: try reader.raw(size - pixelBytes)))
        }
        guard reader.isAtEnd else { throw DicomError("bundle: trailing bytes in a header frame") }
        return parsed
    }

    static func decodeChunk(_ entries: [Entry], pixelFrames: [[UInt8]], jobs: Int) -> [TransportBundle.Restored] {
        let results = ResultSlots<[UInt8]>(count: entries.count)
        let workers = max(1, min(jobs, entries.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: entries.count, by: workers) {
                results.set(index, Result { () throws(DicomError) -> [UInt8] in
                    try restore(entries[index], pixelFrame: pixelFrames[index])
                })
            }
        }
        return zip(entries, results.values).map { TransportBundle.Restored(path: $0.path, result: $1) }
    }

    static func restore(_ entry: Entry, pixelFrame: [UInt8]) throws(DicomError) -> [UInt8] {
        var bytes: [UInt8]
        if let predictor = entry.predictor {
            let filtered = try Zstd.decompress(pixelFrame, limit: predictor.byteCount)
            guard filtered.count == predictor.byteCount else { throw DicomError("pixel frame has the wrong size") }
            bytes = Array(entry.rest[entry.rest.startIndex..<(entry.rest.startIndex + entry.pixelOffset)])
            bytes += predictor.decode(filtered)
            bytes += entry.rest[(entry.rest.startIndex + entry.pixelOffset)...]
        } else {
            bytes = Array(entry.rest)
        }
        guard bytes.count == entry.size, Array(SHA256.hash(data: bytes)) == entry.checksum else {
            throw DicomError("checksum mismatch: the restored file differs from the packed one")
        }
        return bytes
    }
}

struct FileHandleReader: FileHandleLike {
    let handle: FileHandle
    func read(upTo count: Int) -> [UInt8] { [UInt8]((try? handle.read(upToCount: count)) ?? Data()) }
}

final class ByteArraySource: FileHandleLike {
    let bytes: [UInt8]
    var position = 0
    init(bytes: [UInt8]) { self.bytes = bytes }
    func read(upTo count: Int) -> [UInt8] {
        let end = min(bytes.count, position + count)
        defer { position = end }
        return Array(bytes[position..<end])
    }
}

/// Results written by parallel workers into their own slots.
final class ResultSlots<Value: Sendable>: Sendable {
    private let slots: Locked<[Result<Value, DicomError>?]>

    init(count: Int) { slots = Locked(Array(repeating: nil, count: count)) }

    func set(_ index: Int, _ value: Result<Value, DicomError>) { slots.withLock { $0[index] = value } }

    var values: [Result<Value, DicomError>] { slots.withLock { $0.map { $0 ?? .failure(DicomError("not processed")) } } }
}
