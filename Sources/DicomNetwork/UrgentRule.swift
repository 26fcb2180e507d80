import DicomCore
import Foundation

/// Which objects go first: `Keyword=value` (the value, trimmed, equal regardless of case) or
/// `Keyword~pattern` (a regular expression found in the value, regardless of case), e.g. `Modality=CT`,
/// `StudyDescription~AVC|STROKE`, `SeriesDescription~SANS INJECTION`. Keywords are the data dictionary's;
/// `(gggg,eeee)` works too.
public struct UrgentRule: Sendable, CustomStringConvertible {
    public let tag: Tag
    public let value: String
    public let isPattern: Bool
    public let description: String
    private let pattern: NSRegularExpression?

    public init?(_ text: String) {
        guard let separator = text.firstIndex(where: { $0 == "=" || $0 == "~" }),
            let tag = Tag(keyword: String(text[..<separator]).trimmingCharacters(in: .whitespaces))
        else { return nil }
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

    public func matches(_ object: DicomObject) -> Bool {
        guard let text = (try? object.string(tag)).flatMap({ $0 })?.trimmingCharacters(in: .whitespaces) else { return false }
        if let pattern {
            return pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        return text.caseInsensitiveCompare(value.trimmingCharacters(in: .whitespaces)) == .orderedSame
    }
}
