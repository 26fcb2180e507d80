import Foundation

/// Cleans free text (the profile's C): the text keeps its words, minus every identifying value of the
/// object (names and name parts, IDs, dates, accession, institution...), each replaced by asterisks.
struct TextScrubber: Sendable {
    /// Longest first, so that a whole name goes before its parts.
    private let values: [String]

    init<S: Sequence>(identifyingValues: S) where S.Element == String {
        values = Set(identifyingValues.filter { $0.count >= 3 }).sorted { ($0.count, $0) > ($1.count, $1) }
    }

    func scrub(_ text: String) -> String {
        var result = text
        for value in values where result.range(of: value, options: .caseInsensitive) != nil {
            result = result.replacingOccurrences(of: value, with: "***", options: .caseInsensitive)
        }
        return result
    }
}
