/// Why slots stay empty: for each, every person who holds the duty and the rule that keeps them out.
/// `2027-02-14 night garde CHU: 1 needed, 0 eligible: A on leave, B resting after 2027-02-13 night, ...`
public enum Explanation {
    public static func unfilled(_ roster: Roster) -> [String] {
        let model = roster.model
        var lines: [String] = []
        var seen = Set<RotaModel.DayDuty>()
        for slot in model.slots.indices where roster.assignee[slot] == nil {
            let s = model.slots[slot]
            let key = RotaModel.DayDuty(day: s.day, duty: s.duty)
            guard seen.insert(key).inserted else { continue }
            let all = model.slots(day: s.day, duty: s.duty)
            let empty = all.filter { roster.assignee[$0] == nil }.count
            let duty = model.duties[s.duty]
            let holders = model.people.indices.filter { model.people[$0].duties.contains(s.duty) }
            let reasons = holders.compactMap { person -> String? in
                guard let reason = roster.violation(person, slot) else { return nil }
                return "\(model.people[person].id) \(describe(reason, model: model))"
            }
            let eligible = holders.count - reasons.count
            var line = "\(s.date) \(duty.name) (\(duty.id)): \(all.count) needed, \(empty) unfilled, \(eligible) eligible"
            if holders.isEmpty { line += ": nobody holds this duty" } else if !reasons.isEmpty { line += ": " + reasons.joined(separator: ", ") }
            lines.append(line)
        }
        return lines
    }

    public static func describe(_ reason: Roster.Reason, model: RotaModel) -> String {
        func slot(_ index: Int) -> String {
            let s = model.slots[index]
            return "\(s.date) \(model.duties[s.duty].id)"
        }
        switch reason {
        case .notQualified: return "not qualified"
        case .onLeave: return "on leave"
        case .monthlyMaximum: return "at the monthly maximum"
        case .weeklyHours: return "over \(Int(model.rules.maxHoursPerWeek)) h a week on average"
        case .overlaps(let other): return "already on \(slot(other))"
        case .resting(let after): return "resting after \(slot(after))"
        case .dayAfterGarde(let garde): return "off the day after \(slot(garde))"
        case .consecutiveDays(let run): return "would work \(run) days in a row"
        case .nightsTooClose(let other): return "night too close to \(slot(other))"
        case .noRestBefore(let other): return "would not have 11 h of rest before \(slot(other))"
        case .onDutyTheDayAfter(let other): return "on \(slot(other)), the day this garde ends"
        }
    }
}
