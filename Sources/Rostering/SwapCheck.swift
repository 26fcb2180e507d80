/// A proposed exchange of duties between two people of a published rota ("B07 and B12 want to swap their
/// weekends"): whether it is legal for both, and what it does to fairness. With no partner named,
/// `proposals` finds the legal like-for-like exchanges (the same duties on the same weekdays of another
/// week) and ranks them.
public struct SwapCheck: Sendable {
    public let first: Int
    public let second: Int
    /// The slots `first` gives to `second`, and those `second` gives to `first`.
    public let firstGives: [Int]
    public let secondGives: [Int]
    /// Each hard rule the exchange would break: who, which slot, why. Empty: legal.
    public let problems: [String]
    /// Change of the two people's part of the objective (fairness, wishes, spreading): lower is fairer.
    public let costChange: Double
    public let firstCounts: [FairnessChange]
    public let secondCounts: [FairnessChange]

    public var isLegal: Bool { problems.isEmpty }

    public init(roster published: Roster, first: Int, second: Int, firstGives: [Int], secondGives: [Int]) {
        let model = published.model
        (self.first, self.second, self.firstGives, self.secondGives) = (first, second, firstGives, secondGives)
        var roster = published
        for slot in firstGives + secondGives { roster.unassign(slot) }
        var problems: [String] = []
        for (slots, taker) in [(firstGives, second), (secondGives, first)] {
            for slot in slots {
                if let reason = roster.violation(taker, slot) {
                    let s = model.slots[slot]
                    problems.append("\(model.people[taker].id) cannot take \(s.date) \(model.duties[s.duty].id): \(Explanation.describe(reason, model: model))")
                } else {
                    roster.assign(slot, to: taker)
                }
            }
        }
        self.problems = problems
        costChange = roster.cost(of: first) + roster.cost(of: second) - published.cost(of: first) - published.cost(of: second)
        let categories = RotaModel.Category.allCases.filter { category in
            (firstGives + secondGives).contains { model.categories(of: model.slots[$0]).contains(category) }
        }
        firstCounts = FairnessChange.of(first, in: categories, before: published, after: roster)
        secondCounts = FairnessChange.of(second, in: categories, before: published, after: roster)
    }

    /// The slots `person` holds on `days`.
    public static func slots(of person: Int, on days: ClosedRange<Int>, in roster: Roster) -> [Int] {
        roster.slots(of: person).filter { days.contains(roster.model.slots[$0].day) }
    }

    /// Legal exchanges of `person`'s slots on `days` for the same duties on the same weekdays some weeks away,
    /// with anyone; the fairest first, at most `limit`.
    public static func proposals(roster: Roster, person: Int, days: ClosedRange<Int>, limit: Int = 5) -> [SwapCheck] {
        let model = roster.model
        let gives = slots(of: person, on: days, in: roster)
        guard !gives.isEmpty else { return [] }
        let duties = gives.map { model.slots[$0].duty }.sorted()
        var found: [SwapCheck] = []
        for weeks in 1...(model.days / 7 + 1) {
            for shift in [-weeks * 7, weeks * 7] {
                let other = (days.lowerBound + shift)...(days.upperBound + shift)
                guard other.lowerBound >= 0, other.upperBound < model.days else { continue }
                for partner in model.people.indices where partner != person {
                    let takes = slots(of: partner, on: other, in: roster)
                    guard takes.map({ model.slots[$0].duty }).sorted() == duties else { continue }
                    let check = SwapCheck(roster: roster, first: person, second: partner, firstGives: gives, secondGives: takes)
                    if check.isLegal { found.append(check) }
                }
            }
        }
        return Array(found.sorted { ($0.costChange, $0.second, $0.secondGives.first ?? 0) < ($1.costChange, $1.second, $1.secondGives.first ?? 0) }.prefix(limit))
    }
}

extension Roster {
    /// The published rota as it stands (its assignments taken as they are, legal or not).
    public init(model: RotaModel, published: [Int?]) {
        self.init(model: model)
        for (slot, person) in published.enumerated() { if let person { assign(slot, to: person) } }
    }
}
