import DicomCore
import Foundation

/// Which objects go first: `Keyword=value` (the value, trimmed, equal regardless of case) or
/// `Keyword~pattern` (a regular expression found in the value, regardless of case), e.g. `Modality=CT`,
/// `StudyDescription~AVC|STROKE`, `SeriesDescription~SANS INJECTION`. Keywords are the data dictionary's;
/// `(gggg,eeee)` works too. `CallingAETitle` is the peer that sent the object to our receiver, which notes
/// it in the file meta information as the Sending Application Entity Title (0002,0017): `CallingAETitle=CT_URG`
/// puts the emergency scanner's images first. (dcm-anon removes it with the other site identifiers.)
public struct UrgentRule: Sendable, CustomStringConvertible {
    public let tag: Tag
    public let value: String
    public let isPattern: Bool
    public let description: String
    private let pattern: NSRegularExpression?

    public init?(_ text: String) {
        guard let separator = text.firstIndex(where: { $0 == "=" || $0 == "~" }) else { return nil }
        let keyword = String(text[..<separator]).trimmingCharacters(in: .whitespaces)
        guard let tag = keyword == "CallingAETitle" ? Self.sendingAETitle : Tag(keyword: keyword) else { return nil }
        let value = String(text[text.index(after: separator)...])
        isPattern = text[separator] == "~"
        if isPattern {
            guard let regex = try? NSRegularExpression(pattern: value, options: [.caseInsensitive]) else { return nil }
            pattern = regex
        } else {
            pattern = nil
        }
        (self.tag, self.value, description) = (tag, value, text)
    }

    /// Sending Application Entity Title, in the file meta information.
    static let sendingAETitle = Tag(0x0002, 0x0017)

    public func matches(_ object: DicomObject) -> Bool {
        guard let text = (try? object.string(tag)).flatMap({ $0 })?.trimmingCharacters(in: .whitespaces) else { return false }
        if let pattern {
            return pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        return text.caseInsensitiveCompare(value.trimmingCharacters(in: .whitespaces)) == .orderedSame
    }
}
