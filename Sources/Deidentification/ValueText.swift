extension StringProtocol {
    /// The value without the leading and trailing spaces (and NULs, which pad UIDs) DICOM pads values with.
    /// Foundation's trimmingCharacters goes through NSString: this runs on every value of every object.
    var trimmedPadding: String {
        let bytes = Array(utf8)
        var start = 0, end = bytes.count
        while start < end && (bytes[start] == 0x20 || bytes[start] == 0) { start += 1 }
        while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
