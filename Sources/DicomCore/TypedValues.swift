import Foundation

/// Typed views of the value representations users touch. DICOM values are stored as text (string VRs, and
/// DCMTK renders binary numbers US/SS/UL/SL/FL/FD as text too), so each type parses and formats its text.

/// DA: a calendar date, "YYYYMMDD".
public struct DicomDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...DicomDate.daysIn(month, year)).contains(day)
        else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// Accepts "YYYYMMDD" and the ACR-NEMA form "YYYY.MM.DD" that old files still carry.
    public init?(_ text: String) {
        let digits = text.trimmingCharacters(in: .whitespaces).filter { $0 != "." }
        guard digits.count == 8, digits.allSatisfy(\.isASCIIDigit), let value = Int(digits) else { return nil }
        self.init(year: value / 10000, month: value / 100 % 100, day: value % 100)
    }

    public var description: String { pad(year, 4) + pad(month, 2) + pad(day, 2) }

    /// Days since 1970-01-01 (proleptic Gregorian), for date arithmetic.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    public init(dayNumber: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        (self.year, self.month, self.day) = (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public func adding(days: Int) -> DicomDate { DicomDate(dayNumber: dayNumber + days) }

    /// 0 Monday ... 6 Sunday.
    public var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 }

    public static func < (lhs: DicomDate, rhs: DicomDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// TM: a time of day, "HHMMSS.FFFFFF" with every part after the hour optional.
public struct DicomTime: Hashable, Sendable, CustomStringConvertible {
    public let hour: Int, minute: Int, second: Int, microsecond: Int

    public init?(hour: Int, minute: Int = 0, second: Int = 0, microsecond: Int = 0) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
            (0...999_999).contains(microsecond)
        else { return nil }
        (self.hour, self.minute, self.second, self.microsecond) = (hour, minute, second, microsecond)
    }

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).filter { $0 != ":" }
        let parts = trimmed.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        guard [2, 4, 6].contains(whole.count), whole.allSatisfy(\.isASCIIDigit) else { return nil }
        let digits = Array(whole).map { Int(String($0))! }
        func pair(_ index: Int) -> Int { index + 1 < digits.count ? digits[index] * 10 + digits[index + 1] : 0 }
        var micro = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...6).contains(fraction.count), fraction.allSatisfy(\.isASCIIDigit) else { return nil }
            micro = Int(fraction.padding(toLength: 6, withPad: "0", startingAt: 0))!
        }
        self.init(hour: pair(0), minute: pair(2), second: pair(4), microsecond: micro)
    }

    public var description: String {
        pad(hour, 2) + pad(minute, 2) + pad(second, 2) + (microsecond > 0 ? "." + pad(microsecond, 6) : "")
    }
}

/// DT: a date and optional time with an optional UTC offset, "YYYYMMDDHHMMSS.FFFFFF&ZZXX".
public struct DicomDateTime: Hashable, Sendable, CustomStringConvertible {
    public let date: DicomDate
    public let time: DicomTime?
    /// "+0100" style offset, kept as written.
    public let offset: String?

    public init(date: DicomDate, time: DicomTime?, offset: String? = nil) {
        (self.date, self.time, self.offset) = (date, time, offset)
    }

    public init?(_ text: String) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        var offset: String?
        if let sign = body.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            offset = String(body[sign...])
            guard offset!.count == 5, offset!.dropFirst().allSatisfy(\.isASCIIDigit) else { return nil }
            body = body[..<sign]
        }
        guard body.count >= 8, let date = DicomDate(String(body.prefix(8))) else { return nil }
        let rest = body.dropFirst(8)
        var time: DicomTime?
        if !rest.isEmpty {
            guard let parsed = DicomTime(String(rest)) else { return nil }
            time = parsed
        }
        self.init(date: date, time: time, offset: offset)
    }

    public var description: String { date.description + (time?.description ?? "") + (offset ?? "") }
}

/// PN: a person name, "Family^Given^Middle^Prefix^Suffix", possibly with ideographic and phonetic groups
/// after "=". Only the first (alphabetic) group is split into components.
public struct PersonName: Hashable, Sendable, CustomStringConvertible {
    public let components: [String]
    public let otherGroups: [String]

    public init(family: String, given: String = "", middle: String = "", prefix: String = "", suffix: String = "") {
        var parts = [family, given, middle, prefix, suffix]
        while parts.count > 1, parts.last!.isEmpty { parts.removeLast() }
        components = parts
        otherGroups = []
    }

    public init(_ text: String) {
        let groups = text.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
        components = groups[0].split(separator: "^", omittingEmptySubsequences: false).map(String.init)
        otherGroups = Array(groups.dropFirst())
    }

    public var family: String { components.first ?? "" }
    public var given: String { components.count > 1 ? components[1] : "" }
    public var description: String { ([components.joined(separator: "^")] + otherGroups).joined(separator: "=") }
}

extension DicomObject {
    /// The first value of an integer element (IS, US, SS, UL, SL...).
    public func integer(_ tag: Tag) throws(DicomError) -> Int? { try integers(ElementPath(tag)).first }

    public func integers(_ path: ElementPath) throws(DicomError) -> [Int] {
        guard let text = try string(path) else { return [] }
        return text.split(separator: "\\").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The values of a decimal element (DS, FL, FD).
    public func decimals(_ path: ElementPath) throws(DicomError) -> [Double] {
        guard let text = try string(path) else { return [] }
        return text.split(separator: "\\").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }

    public func date(_ tag: Tag) throws(DicomError) -> DicomDate? { try string(tag).flatMap(DicomDate.init) }
    public func time(_ tag: Tag) throws(DicomError) -> DicomTime? { try string(tag).flatMap(DicomTime.init) }
    public func personName(_ tag: Tag) throws(DicomError) -> PersonName? { try string(tag).map(PersonName.init) }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
