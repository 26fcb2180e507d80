import CDcmtkShim

extension DicomObject {
    /// Converts every text value, at every depth, from the object's Specific Character Set to UTF-8, so that
    /// `elements()`, `string` and `set` work with real characters. `assumed` is used when the object declares
    /// no character set (nil: ASCII only). Returns the declared character set ("" for none) to convert back to
    /// with `encodeText(as:)`. Throws, naming the character set, when the text cannot be decoded by it.
    @discardableResult
    public func decodeText(assuming assumed: String? = nil) throws(DicomError) -> String {
        var original: UnsafeMutablePointer<CChar>?
        try Shim.check { error in dsh_text_to_utf8(handle, assumed, &original, &error) }
        defer { dsh_free(original) }
        return original.map { String(cString: $0) } ?? ""
    }

    /// Converts the text back from UTF-8 to `characterSet` where DCMTK can write it and every character fits;
    /// otherwise the text stays UTF-8, declared ISO_IR 192. Returns the character set written.
    @discardableResult
    public func encodeText(as characterSet: String) throws(DicomError) -> String {
        var written: UnsafeMutablePointer<CChar>?
        try Shim.check { error in dsh_text_from_utf8(handle, characterSet, &written, &error) }
        defer { dsh_free(written) }
        return written.map { String(cString: $0) } ?? "ISO_IR 192"
    }
}
