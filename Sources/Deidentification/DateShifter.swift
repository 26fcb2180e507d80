import DicomCore
import Foundation

/// Moves DA and DT values back by a number of days, keeping their form: dates, date-times with their time and
/// offset, multiple values and ranges ("A-B"). A value it cannot read gives nil (the caller empties it).
struct DateShifter {
    let days: Int

    func shiftDate(_ value: String) -> String? {
        shiftEach(value, ranges: true) { part in DicomDate(part)?.adding(days: -days).description }
    }

    func shiftDateTime(_ value: String) -> String? {
        // No ranges in date-times: "-" starts a UTC offset there (ranges only occur in queries).
        shiftEach(value, ranges: false) { part in
            // A date-time with only a year or a month is still a real date: it is emptied, not kept.
            guard part.count >= 8, let date = DicomDate(String(part.prefix(8))) else { return nil }
            return date.adding(days: -days).description + part.dropFirst(8)
        }
    }

    /// Applies `shift` to each value of a multi-valued element and to both ends of ranges.
    private func shiftEach(_ value: String, ranges: Bool, _ shift: (String) -> String?) -> String? {
        var values: [String] = []
        for single in value.split(separator: "\\", omittingEmptySubsequences: false) {
            var ends: [String] = []
            let trimmed = single.trimmedPadding
            for end in ranges ? trimmed.split(separator: "-", omittingEmptySubsequences: false) : [Substring(trimmed)] {
                if end.isEmpty { ends.append(""); continue }
                guard let shifted = shift(String(end)) else { return nil }
                ends.append(shifted)
            }
            values.append(ends.joined(separator: "-"))
        }
        return values.joined(separator: "\\")
    }
}
