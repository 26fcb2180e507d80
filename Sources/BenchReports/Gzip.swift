import CZlib
import Foundation

/// gzip files (RFC 1952) through Debian's zlib: what `gzip -d`, Python's gzip module and flent read.
public enum Gzip {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `data` compressed as one gzip member.
    public static func compress(_ data: Data) throws(Failure) -> Data {
        var stream = z_stream()
        // 15 + 16: a zlib window of 32 KB with a gzip header and trailer.
        guard deflateInit2_(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "zlib: cannot start compressing")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(data.count))) + 32)
        var input = [UInt8](data)
        let status = input.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                stream.next_in = input.baseAddress
                stream.avail_in = UInt32(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = UInt32(output.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw Failure(description: "zlib: compression did not finish (\(status))") }
        return Data(output.prefix(Int(stream.total_out)))
    }

    /// The content of a gzip file; at most `limit` bytes (a record is small; a hostile file claims any size).
    public static func decompress(_ data: Data, limit: Int = 256 << 20) throws(Failure) -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "zlib: cannot start decompressing")
        }
        defer { inflateEnd(&stream) }
        var input = [UInt8](data)
        var result = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let outcome: Int32 = input.withUnsafeMutableBufferPointer { input in
            stream.next_in = input.baseAddress
            stream.avail_in = UInt32(input.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { chunk in
                    stream.next_out = chunk.baseAddress
                    stream.avail_out = UInt32(chunk.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                result.append(contentsOf: chunk.prefix(chunk.count - Int(stream.avail_out)))
                if status == Z_STREAM_END { return Z_OK }
                if status != Z_OK || result.count > limit { return status == Z_OK ? Z_MEM_ERROR : status }
                if stream.avail_in == 0 { return Z_DATA_ERROR }
            }
        }
        guard outcome == Z_OK else {
            throw Failure(description: outcome == Z_MEM_ERROR ? "larger than \(limit >> 20) MB once decompressed" : "not a gzip file, or cut short")
        }
        return result
    }
}
