import Foundation

/// French public holidays (jours fériés), with the Alsace-Moselle additions.
public struct CalendarDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init(_ year: Int, _ month: Int, _ day: Int) { (self.year, self.month, self.day) = (year, month, day) }

    /// Days since 1970-01-01 (Foundation's Gregorian calendar in UTC, so no day is 23 or 25 hours long).
    public var dayNumber: Int {
        let date = Self.calendar.date(from: DateComponents(year: year, month: month, day: day))!
        return Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    public init(dayNumber: Int) {
        let parts = Self.calendar.dateComponents(
            [.year, .month, .day], from: Date(timeIntervalSince1970: Double(dayNumber) * 86_400))
        self.init(parts.year!, parts.month!, parts.day!)
    }

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    public func adding(days: Int) -> CalendarDay { CalendarDay(dayNumber: dayNumber + days) }
    /// 0 Monday ... 6 Sunday.
    public var weekday: Int { ((dayNumber % 7) + 10) % 7 }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.dayNumber < rhs.dayNumber }
}

public enum FrenchCalendar {
    /// Easter Sunday of the Gregorian calendar (anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
    public static func easter(_ year: Int) -> CalendarDay {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDay(year, month, day)
    }

    /// The public holidays of `year`, sorted, with their French names.
    public static func holidays(_ year: Int, alsaceMoselle: Bool = false) -> [(day: CalendarDay, name: String)] {
        let easter = easter(year)
        var days: [(CalendarDay, String)] = [
            (CalendarDay(year, 1, 1), "Jour de l'an"),
            (easter.adding(days: 1), "Lundi de Pâques"),
            (CalendarDay(year, 5, 1), "Fête du Travail"),
            (CalendarDay(year, 5, 8), "Victoire 1945"),
            (easter.adding(days: 39), "Ascension"),
            (easter.adding(days: 50), "Lundi de Pentecôte"),
            (CalendarDay(year, 7, 14), "Fête nationale"),
            (CalendarDay(year, 8, 15), "Assomption"),
            (CalendarDay(year, 11, 1), "Toussaint"),
            (CalendarDay(year, 11, 11), "Armistice 1918"),
            (CalendarDay(year, 12, 25), "Noël"),
        ]
        if alsaceMoselle {
            days.append((easter.adding(days: -2), "Vendredi saint"))
            days.append((CalendarDay(year, 12, 26), "Saint Étienne"))
        }
        return days.sorted { $0.0 < $1.0 }.map { (day: $0.0, name: $0.1) }
    }
}
