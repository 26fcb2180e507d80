/// A rota being built: who takes each slot, with the per-person state the hard rules and the objective
/// need, kept up to date on every change.
public struct Roster: Sendable {
    public let model: RotaModel
    public private(set) var assignee: [Int?]
    /// Each person's slots, sorted by start.
    private(set) var slotsOf: [[Int]]
    private var counts: [[Double]]
    private var monthCounts: [[Int]]
    private var windowHours: [[Double]]
    private var dutyDays: [[Int]]  // per person, per day: number of duties starting that day
    private let targets: [[Double]]
    private let hoursLimit: [[Double]]

    /// Why a person cannot take a slot.
    public enum Reason: Sendable, Equatable {
        case notQualified, onLeave, monthlyMaximum, weeklyHours
        case overlaps(Int), resting(after: Int), dayAfterGarde(Int), consecutiveDays(Int), nightsTooClose(Int)
        /// The slot asked about is night work, and this later duty would start before its rest is over.
        case noRestBefore(Int)
        /// The slot asked about is a garde, and this duty falls the day it ends.
        case onDutyTheDayAfter(Int)
    }

    public init(model: RotaModel) {
        self.model = model
        let people = model.people.count
        assignee = Array(repeating: nil, count: model.slots.count)
        slotsOf = Array(repeating: [], count: people)
        counts = Array(repeating: Array(repeating: 0, count: RotaModel.Category.allCases.count), count: people)
        let months = (model.slots.map(\.month).max() ?? 0) + 1
        monthCounts = Array(repeating: Array(repeating: 0, count: months), count: people)
        let windows = Self.windowCount(model)
        windowHours = Array(repeating: Array(repeating: 0, count: windows), count: people)
        dutyDays = Array(repeating: Array(repeating: 0, count: model.days + 1), count: people)
        // Pro-rata targets with history: the share of each category's total (slots plus everyone's history)
        // among the people who can take at least one duty of that category.
        var targets = Array(repeating: Array(repeating: 0.0, count: RotaModel.Category.allCases.count), count: people)
        for category in RotaModel.Category.allCases {
            let slots = model.slots.filter { model.categories(of: $0).contains(category) }
            let dutiesInCategory = Set(slots.map(\.duty))
            let eligible = (0..<people).filter { !model.people[$0].duties.isDisjoint(with: dutiesInCategory) }
            let fte = eligible.reduce(0.0) { $0 + model.people[$1].fte }
            let total = Double(slots.count) + eligible.reduce(0.0) { $0 + (model.people[$1].history[category] ?? 0) }
            for person in eligible { targets[person][category.rawValue] = total * model.people[person].fte / max(fte, 1e-9) }
        }
        self.targets = targets
        // Hours allowed per averaging window: the weekly maximum over the window, minus regular hours.
        let weeksPerWindow = Double(max(1, model.rules.averagingWeeks))
        hoursLimit = model.people.map { person in
            (0..<windows).map { window in
                let firstDay = window * Int(weeksPerWindow) * 7
                let lastDay = window == windows - 1 ? model.days : firstDay + Int(weeksPerWindow) * 7
                let weeks = Double(max(0, lastDay - firstDay)) / 7
                return max(0, model.rules.maxHoursPerWeek - person.regularHours) * max(weeks, 1.0 / 7)
            }
        }
    }

    public var filled: Int { assignee.lazy.filter { $0 != nil }.count }
    public func slots(of person: Int) -> [Int] { slotsOf[person] }
    public func count(_ person: Int, _ category: RotaModel.Category) -> Double { counts[person][category.rawValue] }
    public func target(_ person: Int, _ category: RotaModel.Category) -> Double { targets[person][category.rawValue] }

    /// The averaging windows: whole reference periods from the start; a remainder shorter than a period joins
    /// the last one (a window of the year's last two days would allow a few hours and no night at all).
    static func windowCount(_ model: RotaModel) -> Int { max(1, (model.days / 7) / max(1, model.rules.averagingWeeks)) }

    private func window(_ day: Int) -> Int { min((day / 7) / max(1, model.rules.averagingWeeks), Self.windowCount(model) - 1) }

    // MARK: Hard rules

    /// Why `person` cannot take `slot` beside their other slots (`ignoring` one of them, for swaps); nil when
    /// they can.
    public func violation(_ person: Int, _ slot: Int, ignoring: Int? = nil) -> Reason? {
        let s = model.slots[slot]
        let duty = model.duties[s.duty]
        let who = model.people[person]
        if !model.qualifies(person, for: s.duty) { return .notQualified }
        if who.unavailableDays.contains(s.day) { return .onLeave }
        let ignored = ignoring.map { model.slots[$0] }
        if let maximum = who.maxPerMonth {
            let taken = monthCounts[person][s.month] - (ignored?.month == s.month ? 1 : 0)
            if taken >= maximum { return .monthlyMaximum }
        }
        let hours = windowHours[person][window(s.day)] - (ignored.map { window($0.day) == window(s.day) ? model.duties[$0.duty].hours : 0 } ?? 0)
        if duty.hours > 0 && hours + duty.hours > hoursLimit[person][window(s.day)] + 1e-9 { return .weeklyHours }
        let rest = Int(model.rules.restAfterNightHours * 60)
        let gap = model.rules.minDaysBetweenNights
        for other in slotsOf[person] where other != ignoring && other != slot {
            let o = model.slots[other]
            if o.start >= s.end + rest + 24 * 60 && o.day > s.day + gap { break }
            if o.end + rest + 24 * 60 <= s.start && o.day + gap < s.day { continue }
            if o.start < s.end && s.start < o.end { return .overlaps(other) }
            let otherDuty = model.duties[o.duty]
            if otherDuty.needsRest && o.start < s.start && s.start < o.end + rest { return .resting(after: other) }
            if duty.needsRest && s.start < o.start && o.start < s.end + rest { return .noRestBefore(other) }
            // A garde forbids any duty the day it ends (the next day).
            if otherDuty.kind == .garde && o.start < s.start && s.day == o.end / (24 * 60) { return .dayAfterGarde(other) }
            if duty.kind == .garde && s.start < o.start && o.day == s.end / (24 * 60) { return .onDutyTheDayAfter(other) }
            if duty.isNight && otherDuty.isNight && abs(o.day - s.day) < gap { return .nightsTooClose(other) }
        }
        // Days in a row with a duty, this one included.
        let days = dutyDays[person]
        let skip = ignored?.day
        func works(_ day: Int) -> Bool { day >= 0 && day < model.days && days[day] - (day == skip ? 1 : 0) > 0 }
        if days[s.day] - (s.day == skip ? 1 : 0) == 0 {
            var run = 1
            var day = s.day - 1
            while works(day) { run += 1; day -= 1 }
            day = s.day + 1
            while works(day) { run += 1; day += 1 }
            if run > model.rules.maxConsecutiveDays { return .consecutiveDays(run) }
        }
        return nil
    }

    // MARK: Changes

    public mutating func assign(_ slot: Int, to person: Int) {
        precondition(assignee[slot] == nil, "slot already taken")
        assignee[slot] = person
        let s = model.slots[slot]
        var list = slotsOf[person]
        let position = list.firstIndex { model.slots[$0].start > s.start } ?? list.count
        list.insert(slot, at: position)
        slotsOf[person] = list
        for category in model.categories(of: s) { counts[person][category.rawValue] += 1 }
        monthCounts[person][s.month] += 1
        windowHours[person][window(s.day)] += model.duties[s.duty].hours
        dutyDays[person][s.day] += 1
    }

    public mutating func unassign(_ slot: Int) {
        guard let person = assignee[slot] else { return }
        assignee[slot] = nil
        let s = model.slots[slot]
        slotsOf[person].removeAll { $0 == slot }
        for category in model.categories(of: s) { counts[person][category.rawValue] -= 1 }
        monthCounts[person][s.month] -= 1
        windowHours[person][window(s.day)] -= model.duties[s.duty].hours
        dutyDays[person][s.day] -= 1
    }

    // MARK: Objective

    /// The person's part of the objective: fairness against the pro-rata targets (squared deviations,
    /// history included), unmet wishes, and duties too close together.
    public func cost(of person: Int) -> Double {
        let who = model.people[person]
        let weights = model.weights
        let categoryWeights = [weights.nights, weights.weekends, weights.holidays, weights.duties]
        var total = 0.0
        for category in RotaModel.Category.allCases where targets[person][category.rawValue] > 0 || counts[person][category.rawValue] > 0 {
            let deviation = counts[person][category.rawValue] + (who.history[category] ?? 0) - targets[person][category.rawValue]
            total += categoryWeights[category.rawValue] * deviation * deviation
        }
        var previousDay: Int?
        for slot in slotsOf[person] {
            let s = model.slots[slot]
            if let weight = who.dayOffWishes[s.day] { total += weights.wishes * weight }
            if let previous = previousDay, s.day - previous < 4 { total += weights.spread * Double(4 - (s.day - previous)) }
            previousDay = s.day
        }
        for (day, weight) in who.dayOnWishes where dutyDays[person][day] == 0 { total += weights.wishes * weight }
        for (wish, weight) in who.dutyWishes where !model.slots(day: wish.day, duty: wish.duty).contains(where: { assignee[$0] == person }) {
            total += weights.wishes * weight
        }
        return total
    }

    /// Weight of an empty slot: above anything the soft objective can reach.
    public static let unfilledCost = 1_000_000.0

    public var totalCost: Double {
        (0..<model.people.count).reduce(0.0) { $0 + cost(of: $1) } + Double(assignee.filter { $0 == nil }.count) * Self.unfilledCost
    }
}
