/// Repairs a published rota: keeps every assignment that is still legal, then searches with each change
/// from the published rota costing more than any fairness gain, so only what must move moves.
public enum RotaRepair {
    public static func repair(model: RotaModel, published: [Int?], options: RotaSolver.Options) -> (RotaSolver.Outcome, kept: Int) {
        var roster = Roster(model: model)
        var kept = 0
        for slot in model.slots.indices.sorted(by: { model.slots[$0].start < model.slots[$1].start }) {
            guard let person = published[slot], roster.violation(person, slot) == nil else { continue }
            roster.assign(slot, to: person)
            kept += 1
        }
        var options = options
        options.published = published
        return (RotaSolver(options: options).solve(roster), kept)
    }

    /// The assignments that differ from the published rota: (slot, before, after).
    public static func changes(published: [Int?], roster: Roster) -> [(slot: Int, before: Int?, after: Int?)] {
        published.indices.compactMap { slot in
            published[slot] == roster.assignee[slot] ? nil : (slot, published[slot], roster.assignee[slot])
        }
    }
}

extension RotaModel {
    /// Adds leave: "PERSON:DATE" or "PERSON:DATE..DATE".
    public mutating func markUnavailable(_ text: String) throws(RotaError) {
        guard let colon = text.firstIndex(of: ":") else { throw RotaError("write PERSON:DATE or PERSON:DATE..DATE") }
        let id = String(text[..<colon])
        guard let person = people.firstIndex(where: { $0.id == id }) else { throw RotaError("unknown person '\(id)'") }
        guard let range = Self.parseRange(String(text[text.index(after: colon)...])) else {
            throw RotaError("'\(text[text.index(after: colon)...])' is not a date or a range")
        }
        for day in range.0.dayNumber...range.1.dayNumber { people[person].unavailableDays.insert(day - start.dayNumber) }
    }
}
