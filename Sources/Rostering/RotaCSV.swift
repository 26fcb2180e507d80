/// The rota as CSV (date, duty, site, person, with times and names), and back (for repair).
public enum RotaCSV {
    public static let header = "date,duty,site,person,start,end,person_name,duty_name"

    public static func write(_ roster: Roster) -> String {
        let model = roster.model
        var lines = [header]
        for (index, slot) in model.slots.enumerated() {
            let duty = model.duties[slot.duty]
            let person = roster.assignee[index].map { model.people[$0] }
            let fields = [slot.date.description, duty.id, model.sites[duty.site].id, person?.id ?? "",
                          time(duty.startMinute), time((duty.startMinute + duty.lengthMinutes) % (24 * 60)),
                          person?.name ?? "UNFILLED", duty.name]
            lines.append(fields.map(quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func time(_ minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { ",\"\n".contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The published assignments: slot -> person, matched by date, duty and order; errors name the line.
    public static func read(_ text: String, file: String, model: RotaModel) throws(RotaError) -> [Int?] {
        var published = [Int?](repeating: nil, count: model.slots.count)
        let people = Dictionary(model.people.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let duties = Dictionary(model.duties.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var used: [RotaModel.DayDuty: Int] = [:]
        for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() where number > 0 {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4 else { throw RotaError("\(file):\(number + 1): expected date,duty,site,person") }
            guard let date = RotaModel.parseDate(fields[0]) else { throw RotaError("\(file):\(number + 1): '\(fields[0])' is not a date") }
            guard let duty = duties[fields[1]] else { throw RotaError("\(file):\(number + 1): unknown duty '\(fields[1])'") }
            let key = RotaModel.DayDuty(day: model.dayIndex(date), duty: duty)
            let slots = model.slots(day: key.day, duty: duty)
            let position = used[key, default: 0]
            guard position < slots.count else { throw RotaError("\(file):\(number + 1): \(fields[1]) does not run that often on \(fields[0])") }
            used[key] = position + 1
            if fields[3].isEmpty { continue }
            guard let person = people[fields[3]] else { throw RotaError("\(file):\(number + 1): unknown person '\(fields[3])'") }
            published[slots[position]] = person
        }
        return published
    }
}
