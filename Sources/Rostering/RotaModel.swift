import Foundation

/// The rota problem compiled from its file: every slot of every duty over the period, with times in minutes
/// from the period's first midnight, and who may take what.
public struct RotaModel: Sendable {
    public enum Kind: String, Sendable { case garde, astreinte, remoteReading = "remote-reading" }

    public struct Duty: Sendable {
        public let id: String
        public let name: String
        public let site: Int
        public let kind: Kind
        public let startMinute: Int  // within the day
        public let lengthMinutes: Int
        public let qualification: String?
        public let hours: Double
        /// Spans midnight: a night duty (counts as a night, calls for rest when it is work).
        public var isNight: Bool { startMinute + lengthMinutes > 24 * 60 }
        /// Night work that calls for the 11 h rest (repos de sécurité).
        public var needsRest: Bool { isNight && kind != .astreinte }
    }

    public struct Slot: Sendable {
        public let day: Int  // index from the period's start
        public let date: CalendarDay
        public let duty: Int
        public let start: Int  // minutes from the period's start
        public let end: Int
        public let isWeekend: Bool
        public let isHoliday: Bool
        public let month: Int  // index of the month in the period
    }

    public struct Person: Sendable {
        public let id: String
        public let name: String
        public let site: Int
        public let fte: Double
        public let maxPerMonth: Int?
        public let regularHours: Double
        public let duties: Set<Int>
        public let qualifications: Set<String>
        public var unavailableDays: Set<Int>
        /// Day index -> weight of the wished day off.
        public var dayOffWishes: [Int: Double]
        /// Slot-less wishes for a duty on a day: (day, duty) -> weight.
        public var dutyWishes: [DayDuty: Double]
        /// Day index -> weight of the wish to be on duty that day, any of their duties (a wishes file).
        public var dayOnWishes: [Int: Double] = [:]
        public var history: [Category: Double]
    }

    public struct DayDuty: Hashable, Sendable {
        public let day: Int
        public let duty: Int
    }

    /// What fairness counts.
    public enum Category: Int, CaseIterable, Sendable {
        case nights, weekends, holidays, duties
        public var name: String { ["nights", "weekends", "holidays", "duties"][rawValue] }
    }

    public let start: CalendarDay
    public let days: Int
    public let sites: [(id: String, name: String, colour: String)]
    public let duties: [Duty]
    public var people: [Person]
    public let slots: [Slot]
    public let rules: RotaInput.Rules
    public let weights: RotaInput.Weights
    public let pinned: [Int: Int]  // slot -> person
    public let holidayNames: [Int: String]

    /// Slots of one duty on one day, in order (to map published rotas back to slots).
    public func slots(day: Int, duty: Int) -> [Int] { slotIndex[DayDuty(day: day, duty: duty)] ?? [] }
    private let slotIndex: [DayDuty: [Int]]

    public func categories(of slot: Slot) -> [Category] {
        var list: [Category] = [.duties]
        if duties[slot.duty].isNight { list.append(.nights) }
        if slot.isWeekend { list.append(.weekends) }
        if slot.isHoliday { list.append(.holidays) }
        return list
    }

    /// Whether `person` has the duty and its qualification (leave and rules aside).
    public func qualifies(_ person: Int, for duty: Int) -> Bool {
        people[person].duties.contains(duty) && (duties[duty].qualification.map { people[person].qualifications.contains($0) } ?? true)
    }

    public func dayIndex(_ date: CalendarDay) -> Int { date.dayNumber - start.dayNumber }

    // MARK: Compiling

    public static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    static let maximumDays = 1_096

    /// Compiles the input; references that do not resolve are errors naming their line.
    public init(_ input: RotaInput, yaml: String, file: String) throws(RotaError) {
        let locator = YAMLLocator(yaml: yaml)
        func fail(_ path: String, _ message: String) -> RotaError {
            RotaError("\(file):\(locator.line(of: path).map { "\($0):" } ?? "") \(path): \(message)")
        }
        guard let first = Self.parseDate(input.period.start) else { throw fail("period.start", "not a date (2027-01-01)") }
        guard let last = Self.parseDate(input.period.end), last >= first else { throw fail("period.end", "not a date on or after the start") }
        // A rota is planned a year at a time; a typo like 6027 must not build millions of slots.
        guard last.dayNumber - first.dayNumber < Self.maximumDays else {
            throw fail("period.end", "at most \(Self.maximumDays) days (three years) after the start")
        }
        start = first
        days = last.dayNumber - first.dayNumber + 1
        rules = input.rules ?? RotaInput.Rules()
        weights = input.weights ?? RotaInput.Weights()
        let palette = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948"]
        sites = input.sites.enumerated().map { ($1.id, $1.name ?? $1.id, $1.colour ?? palette[$0 % palette.count]) }
        let siteIndex = Dictionary(sites.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })

        var duties: [Duty] = []
        var dutyDays: [Set<String>] = []
        var needed: [Int] = []
        for (index, duty) in input.duties.enumerated() {
            let path = "duties[\(index)]"
            guard let site = siteIndex[duty.site] else { throw fail("\(path).site", "unknown site '\(duty.site)'") }
            guard let kind = Kind(rawValue: duty.kind) else { throw fail("\(path).kind", "'\(duty.kind)' is not garde, astreinte or remote-reading") }
            guard let begin = Self.parseTime(duty.start) else { throw fail("\(path).start", "not a time (18:30)") }
            guard let finish = Self.parseTime(duty.end) else { throw fail("\(path).end", "not a time (08:30)") }
            let length = finish > begin ? finish - begin : finish + 24 * 60 - begin
            let on = Set(duty.days ?? Self.weekdayNames + ["holiday"])
            if let wrong = on.sorted().first(where: { !(Self.weekdayNames + ["holiday"]).contains($0) }) {
                throw fail("\(path).days", "'\(wrong)' is not mon...sun or holiday")
            }
            guard (1...50).contains(duty.needed ?? 1) else { throw fail("\(path).needed", "from 1 to 50") }
            duties.append(Duty(
                id: duty.id, name: duty.name ?? duty.id, site: site, kind: kind, startMinute: begin, lengthMinutes: length,
                qualification: duty.qualification, hours: duty.hours ?? (kind == .astreinte ? 0 : Double(length) / 60)))
            dutyDays.append(on)
            needed.append(duty.needed ?? 1)
        }
        self.duties = duties
        let dutyIndex = Dictionary(duties.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })

        var holidays: [Int: String] = [:]
        for year in first.year...last.year {
            for holiday in FrenchCalendar.holidays(year, alsaceMoselle: input.alsaceMoselle ?? false) {
                let day = holiday.day.dayNumber - first.dayNumber
                if day >= 0 && day < days { holidays[day] = holiday.name }
            }
        }
        holidayNames = holidays

        var slots: [Slot] = []
        var index: [DayDuty: [Int]] = [:]
        for day in 0..<days {
            let date = first.adding(days: day)
            let weekday = date.weekday
            let month = (date.year - first.year) * 12 + date.month - first.month
            for (dutyNumber, duty) in duties.enumerated() {
                let on = dutyDays[dutyNumber]
                // A holiday runs the holiday schedule if the duty has one, whatever the weekday.
                let runs = holidays[day] != nil && on.contains("holiday") ? true : on.contains(Self.weekdayNames[weekday])
                guard runs else { continue }
                for _ in 0..<needed[dutyNumber] {
                    index[DayDuty(day: day, duty: dutyNumber), default: []].append(slots.count)
                    let begin = day * 24 * 60 + duty.startMinute
                    slots.append(Slot(day: day, date: date, duty: dutyNumber, start: begin, end: begin + duty.lengthMinutes,
                                      isWeekend: weekday >= 5, isHoliday: holidays[day] != nil, month: month))
                }
            }
        }
        self.slots = slots
        slotIndex = index

        var people: [Person] = []
        var personIndex: [String: Int] = [:]
        for (number, person) in input.people.enumerated() {
            let path = "people[\(number)]"
            guard personIndex[person.id] == nil else { throw fail("\(path).id", "'\(person.id)' appears twice") }
            guard let site = siteIndex[person.site] else { throw fail("\(path).site", "unknown site '\(person.site)'") }
            var allowed = Set<Int>()
            for (position, duty) in person.duties.enumerated() {
                guard let found = dutyIndex[duty] else { throw fail("\(path).duties[\(position)]", "unknown duty '\(duty)'") }
                allowed.insert(found)
            }
            let fte = (person.fte ?? 100) / 100
            guard fte > 0 && fte <= 1 else { throw fail("\(path).fte", "a percentage from 1 to 100") }
            var unavailable = Set<Int>()
            for (position, text) in (person.unavailable ?? []).enumerated() {
                guard let range = Self.parseRange(text) else { throw fail("\(path).unavailable[\(position)]", "not a date or a range (2027-02-01..2027-02-14)") }
                for dayNumber in range.0.dayNumber...range.1.dayNumber { unavailable.insert(dayNumber - first.dayNumber) }
            }
            var offWishes: [Int: Double] = [:], dutyWishes: [DayDuty: Double] = [:]
            for (position, wish) in (person.wishes ?? []).enumerated() {
                guard let date = Self.parseDate(wish.date) else { throw fail("\(path).wishes[\(position)].date", "not a date") }
                let day = date.dayNumber - first.dayNumber
                if let duty = wish.duty {
                    guard let found = dutyIndex[duty] else { throw fail("\(path).wishes[\(position)].duty", "unknown duty '\(duty)'") }
                    dutyWishes[DayDuty(day: day, duty: found)] = wish.weight ?? 1
                } else {
                    offWishes[day] = wish.weight ?? 1
                }
            }
            let past = input.history?[person.id]
            let history: [Category: Double] = [.nights: past?.nights ?? 0, .weekends: past?.weekends ?? 0,
                                               .holidays: past?.holidays ?? 0, .duties: past?.duties ?? 0]
            personIndex[person.id] = people.count
            people.append(Person(
                id: person.id, name: person.name ?? person.id, site: site, fte: fte, maxPerMonth: person.maxPerMonth,
                regularHours: person.regularHours ?? 0, duties: allowed, qualifications: Set(person.qualifications ?? []),
                unavailableDays: unavailable, dayOffWishes: offWishes, dutyWishes: dutyWishes, history: history))
        }
        self.people = people
        for id in (input.history ?? [:]).keys where personIndex[id] == nil { throw fail("history.\(id)", "unknown person '\(id)'") }

        var pinned: [Int: Int] = [:]
        for (number, pin) in (input.pinned ?? []).enumerated() {
            let path = "pinned[\(number)]"
            guard let date = Self.parseDate(pin.date) else { throw fail("\(path).date", "not a date") }
            guard let duty = dutyIndex[pin.duty] else { throw fail("\(path).duty", "unknown duty '\(pin.duty)'") }
            guard let person = personIndex[pin.person] else { throw fail("\(path).person", "unknown person '\(pin.person)'") }
            let candidates = (index[DayDuty(day: date.dayNumber - first.dayNumber, duty: duty)] ?? []).filter { pinned[$0] == nil }
            guard let slot = candidates.first else { throw fail(path, "\(pin.duty) does not run on \(pin.date), or is already pinned") }
            pinned[slot] = person
        }
        self.pinned = pinned
    }

    static func parseDate(_ text: String) -> CalendarDay? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        // Years of the Gregorian calendar with four digits: a year like 2027027 overflowed the day number.
        guard parts.count == 3, (1583...9999).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        let day = CalendarDay(parts[0], parts[1], parts[2])
        return CalendarDay(dayNumber: day.dayNumber) == day ? day : nil
    }

    /// A date or a range of dates, `2027-03-06` or `2027-03-06..2027-03-07`.
    public static func parseDates(_ text: String) -> (CalendarDay, CalendarDay)? { parseRange(text) }

    static func parseRange(_ text: String) -> (CalendarDay, CalendarDay)? {
        let ends = text.components(separatedBy: "..")
        guard let from = parseDate(ends[0]) else { return nil }
        guard ends.count == 2 else { return ends.count == 1 ? (from, from) : nil }
        guard let to = parseDate(ends[1]), to >= from else { return nil }
        return (from, to)
    }

    static func parseTime(_ text: String) -> Int? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0...24).contains(parts[0]), (0...59).contains(parts[1]) else { return nil }
        return parts[0] * 60 + parts[1]
    }
}
