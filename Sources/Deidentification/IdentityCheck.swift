import DicomCore

/// The check of an output for identifying values of its input, in both forms a value can hide in: the
/// decoded text of every element at every depth (case and accents ignored), and the raw bytes in every
/// character set (Deflated datasets inflated first, so compressed bytes hide nothing).
public enum IdentityCheck {
    /// Text values of a decoded object (`decodeText`) that hold an identifying value. Coded strings are left
    /// to the exact byte search: their defined terms ("PERFUSION") may spell a name.
    static func decodedLeaks(in object: DicomObject, scrubber: TextScrubber) throws(DicomError) -> [LeakScanner.Leak] {
        decodedLeaks(in: try object.elements(), scrubber: scrubber)
    }

    static func decodedLeaks<S: Sequence>(in elements: S, scrubber: TextScrubber) -> [LeakScanner.Leak] where S.Element == Element {
        guard !scrubber.isEmpty else { return [] }
        var leaks: [LeakScanner.Leak] = []
        for (offset, element) in elements.enumerated() where !element.inMetaInformation && element.vr != "CS" {
            guard let text = element.text, scrubber.contains(text) else { continue }
            leaks.append(LeakScanner.Leak(source: "\(element.tag) \(element.vr)", offset: offset))
        }
        return leaks
    }

    /// Every identifying value of `scanner` found in an output file's bytes, decoded and raw.
    public static func leaks(inFile bytes: [UInt8], scanner: LeakScanner, assumedCharacterSet: String? = nil) -> [LeakScanner.Leak] {
        guard let object = try? DicomObject(bytes: bytes) else { return scanner.leaks(in: bytes) }
        var raw = bytes
        if object.transferSyntax == .deflatedExplicitLittleEndian, let inflated = try? object.encoded(as: .explicitLittleEndian) {
            raw = inflated
        }
        var leaks = scanner.leaks(in: raw)
        if (try? object.decodeText(assuming: assumedCharacterSet)) != nil,
            let decoded = try? decodedLeaks(in: object, scrubber: TextScrubber(identifyingValues: scanner.values))
        {
            leaks += decoded
        }
        return leaks
    }
}
