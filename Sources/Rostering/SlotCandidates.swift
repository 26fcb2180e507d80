/// Who could take a slot of a published rota instead of its holder ("who can take Dr B03's night on
/// 3 March?"): every person who can without breaking a hard rule, ranked by what it does to fairness, and the
/// reason each of the others cannot.
public struct SlotCandidates: Sendable {
    public struct Candidate: Sendable {
        public let person: Int
        /// Change of the person's part of the objective (fairness, wishes, spreading): lower is fairer.
        public let costChange: Double
        /// Their counts in the slot's categories: before, after, target.
        public let counts: [FairnessChange]
    }

    public struct Refusal: Sendable {
        public let person: Int
        public let reason: String
    }

    public let slot: Int
    public let holder: Int?
    public let candidates: [Candidate]
    public let refusals: [Refusal]

    /// `roster` is the published rota; `slot` is freed from its holder and offered to everyone else.
    public init(roster published: Roster, slot: Int) {
        var roster = published
        let model = roster.model
        holder = roster.assignee[slot]
        self.slot = slot
        roster.unassign(slot)
        var candidates: [Candidate] = [], refusals: [Refusal] = []
        for person in model.people.indices where person != holder {
            if !model.people[person].duties.contains(model.slots[slot].duty) {
                refusals.append(Refusal(person: person, reason: "does not hold this duty"))
            } else if let reason = roster.violation(person, slot) {
                refusals.append(Refusal(person: person, reason: Explanation.describe(reason, model: model)))
            } else {
                let before = roster.cost(of: person)
                var taken = roster
                taken.assign(slot, to: person)
                candidates.append(Candidate(
                    person: person, costChange: taken.cost(of: person) - before,
                    counts: FairnessChange.of(person, in: model.categories(of: model.slots[slot]), before: roster, after: taken)))
            }
        }
        self.candidates = candidates.sorted { ($0.costChange, $0.person) < ($1.costChange, $1.person) }
        self.refusals = refusals
    }
}

/// A person's count in one fairness category before and after a change, with their pro-rata target
/// (history included).
public struct FairnessChange: Sendable {
    public let category: RotaModel.Category
    public let before: Double
    public let after: Double
    public let target: Double

    static func of(_ person: Int, in categories: [RotaModel.Category], before: Roster, after: Roster) -> [FairnessChange] {
        let history = before.model.people[person].history
        return categories.map { category in
            FairnessChange(category: category, before: before.count(person, category) + (history[category] ?? 0),
                           after: after.count(person, category) + (history[category] ?? 0), target: before.target(person, category))
        }
    }

    /// "nights 50 -> 51 (target 49.3)"
    public var description: String {
        func number(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value) }
        return "\(category.name) \(number(before)) -> \(number(after)) (target \(number(target)))"
    }
}
