import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The bytes a text can take in the character sets DICOM objects declare (PS3.3 C.12.1.1.2): UTF-8, the
/// ISO 8859 family, Thai, the Japanese, Korean and Chinese sets (ISO 2022 code extensions as the bytes between
/// their escape sequences) and GB18030. A leak check that searches raw bytes searches each of them.
enum TextEncodings {
    /// iconv names of the character sets besides UTF-8.
    static let names = [
        "ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5", "ISO-8859-6", "ISO-8859-7", "ISO-8859-8",
        "ISO-8859-9", "ISO-8859-15", "TIS-620", "SHIFT_JIS", "ISO-2022-JP", "EUC-JP", "EUC-KR", "GB18030", "EUC-CN",
    ]

    /// Every distinct byte form of `text` (UTF-8 first); ASCII text has one.
    static func variants(of text: String) -> [[UInt8]] {
        let utf8 = Array(text.utf8)
        guard utf8.contains(where: { $0 >= 0x80 }) else { return [utf8] }
        var result = [utf8]
        for name in names {
            guard var bytes = convert(text, to: name) else { continue }
            if name.hasPrefix("ISO-2022") { bytes = withoutEscapes(bytes) }
            if bytes.count >= 2 && !result.contains(bytes) { result.append(bytes) }
        }
        return result
    }

    /// The text in the character set, or nil when a character does not exist there.
    static func convert(_ text: String, to name: String) -> [UInt8]? {
        let converter = iconv_open(name, "UTF-8")
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 4 + 16)
        let written: Int? = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                var inPointer = inputBuffer.baseAddress, outPointer = outputBuffer.baseAddress
                var inLeft = inputBuffer.count, outLeft = outputBuffer.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else { return nil }
                // Stateful sets end in their initial state (ISO 2022's escape back to ASCII).
                guard iconv(converter, nil, nil, &outPointer, &outLeft) != -1 else { return nil }
                return outputBuffer.count - outLeft
            }
        }
        return written.map { output.prefix($0).map { UInt8(bitPattern: $0) } }
    }

    /// ISO 2022 bytes without their escape sequences (ESC, intermediate bytes 0x20-0x2F, a final byte).
    static func withoutEscapes(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x1B {
                index += 1
                while index < bytes.count && (0x20...0x2F).contains(bytes[index]) { index += 1 }
                index += 1
                continue
            }
            result.append(bytes[index])
            index += 1
        }
        return result
    }
}
