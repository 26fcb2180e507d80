import CZstd
import DicomCore

/// One-shot zstd frames: the building block of the transport bundle.
public enum Zstd {
    /// Compresses into one frame that declares its size and carries a checksum of the content, so that
    /// corruption in transit is detected on decompression.
    public static func compress(_ input: [UInt8], level: Int32 = 3) throws(DicomError) -> [UInt8] {
        guard let context = ZSTD_createCCtx() else { throw DicomError("zstd: out of memory") }
        defer { ZSTD_freeCCtx(context) }
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let written = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { target in
                ZSTD_compress2(context, target.baseAddress, target.count, source.baseAddress, source.count)
            }
        }
        if ZSTD_isError(written) != 0 { throw DicomError("zstd: \(String(cString: ZSTD_getErrorName(written)))") }
        output.removeSubrange(written...)
        return output
    }

    /// Decompresses one frame; refuses frames that do not declare their size or declare more than `limit`.
    public static func decompress(_ input: [UInt8], limit: Int = 4 << 30) throws(DicomError) -> [UInt8] {
        let declared = input.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        guard declared != ZSTD_CONTENTSIZE_ERROR, declared != ZSTD_CONTENTSIZE_UNKNOWN else {
            throw DicomError("zstd: not a zstd frame with a declared size")
        }
        guard declared <= UInt64(limit) else { throw DicomError("zstd: frame declares \(declared) bytes, over the limit") }
        // A block yields at most 128 KiB from at least 4 bytes (an RLE block): a larger claim is a lie, and
        // must not reserve gigabytes for a few hundred bytes of input.
        guard declared <= UInt64(input.count) * 32_768 else {
            throw DicomError("zstd: frame declares \(declared) bytes, more than \(input.count) bytes can hold")
        }
        // Uninitialized: a hostile frame that declares gigabytes and fails early touches only what it decoded.
        var failure: String?
        let output = [UInt8](unsafeUninitializedCapacity: Int(declared)) { target, count in
            let written = input.withUnsafeBytes { source in
                ZSTD_decompress(target.baseAddress, target.count, source.baseAddress, source.count)
            }
            if ZSTD_isError(written) != 0 {
                failure = "zstd: \(String(cString: ZSTD_getErrorName(written)))"
            } else if written != Int(declared) {
                failure = "zstd: frame shorter than declared"
            } else {
                count = written
            }
        }
        if let failure { throw DicomError(failure) }
        return output
    }
}
