import Foundation

/// iCalendar (RFC 5545) files: one event per duty, in UTC (times are French local times converted with the
/// Europe/Paris rules), CRLF line ends, lines folded at 75 octets.
public enum ICalendar {
    /// The calendar of one person, or of everyone when `person` is nil.
    public static func calendar(_ roster: Roster, person: Int?, stamp: Date) -> String {
        let model = roster.model
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Telerad toolkit//rota-plan//FR", "CALSCALE:GREGORIAN",
                     "METHOD:PUBLISH"]
        let name = person.map { "Gardes et astreintes - \(model.people[$0].name)" } ?? "Gardes et astreintes - tous"
        lines.append("X-WR-CALNAME:" + escaped(name))
        let stampText = utc(stamp)
        for (index, slot) in model.slots.enumerated() {
            guard let assignee = roster.assignee[index], person == nil || assignee == person else { continue }
            let duty = model.duties[slot.duty]
            let who = model.people[assignee]
            lines += [
                "BEGIN:VEVENT",
                "UID:\(slot.date)-\(duty.id)-\(index)@rota-plan",
                "DTSTAMP:\(stampText)",
                "DTSTART:\(utc(local(slot.date, minute: duty.startMinute)))",
                "DTEND:\(utc(local(slot.date, minute: duty.startMinute + duty.lengthMinutes)))",
                "SUMMARY:" + escaped(person == nil ? "\(duty.name) - \(who.name)" : duty.name),
                "LOCATION:" + escaped(model.sites[duty.site].name),
                "CATEGORIES:" + escaped(duty.kind.rawValue),
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(folded).joined(separator: "\r\n") + "\r\n"
    }

    static let paris: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        return calendar
    }()

    /// A French local time (`minute` may pass midnight) as an absolute date.
    static func local(_ day: CalendarDay, minute: Int) -> Date {
        let date = day.adding(days: minute / (24 * 60))
        let rest = minute % (24 * 60)
        return paris.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: rest / 60, minute: rest % 60))!
    }

    static func utc(_ date: Date) -> String {
        let parts = CalendarDay.calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int = 2) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.year, 4))\(pad(parts.month))\(pad(parts.day))T\(pad(parts.hour))\(pad(parts.minute))\(pad(parts.second))Z"
    }

    /// TEXT values escape backslashes, semicolons, commas and newlines.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Lines longer than 75 octets continue on lines starting with a space, never inside a UTF-8 character.
    static func folded(_ line: String) -> String {
        var result = "", current = 0
        for character in line {
            let size = String(character).utf8.count
            if current + size > 75 {
                result += "\r\n "
                current = 1
            }
            result.append(character)
            current += size
        }
        return result
    }
}
