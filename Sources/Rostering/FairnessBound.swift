import Foundation

/// A lower bound on the rota's objective: no rota, however long the search, can cost less. The fairness
/// terms are relaxed to a convex problem: how many slots of each kind (duty, weekend or not, holiday or not)
/// each person takes, any real number between 0 and the slots of that kind on their available days,
/// every slot taken by someone; the other hard rules, the wishes and the spreading are left out (they only
/// add). The relaxation is solved by accelerated projected gradient, and its bound read from the
/// Frank-Wolfe gap (convexity: f(x*) >= f(x) + min over s of f'(x)(s - x)), so the figure is a bound
/// whatever the iterations. Slots nobody can take count as unfilled.
public struct FairnessBound: Sendable {
    public let value: Double
    /// Slots nobody is qualified and available for (they stay empty in every rota).
    public let unfillable: Int
    /// The relaxation's answer: per person and category, the count of this period's slots the fairest rota
    /// the availabilities allow would give them (history taken into account). What a person takes beyond it
    /// is what the next period should even out (`LedgerFile`).
    public let fairCounts: [[Double]]

    public init(model: RotaModel, iterations: Int = 4_000) {
        // The kinds of slots: (duty, weekend, holiday), with their counts and fairness categories.
        struct Kind: Hashable { let duty: Int, weekend: Bool, holiday: Bool }
        var kinds: [Kind] = [], kindIndex: [Kind: Int] = [:], slotKind: [Int] = []
        for slot in model.slots {
            let kind = Kind(duty: slot.duty, weekend: slot.isWeekend, holiday: slot.isHoliday)
            if kindIndex[kind] == nil { kindIndex[kind] = kinds.count; kinds.append(kind) }
            slotKind.append(kindIndex[kind]!)
        }
        let people = model.people.count, kindCount = kinds.count
        let categories = RotaModel.Category.allCases
        let weights = [model.weights.nights, model.weights.weekends, model.weights.holidays, model.weights.duties]
        // Available slots per person and kind; the number of slots of each kind someone can take.
        var available = Array(repeating: Array(repeating: 0.0, count: kindCount), count: people)
        var needed = Array(repeating: 0.0, count: kindCount)
        var unfillable = 0
        for (index, slot) in model.slots.enumerated() {
            var anyone = false
            for person in 0..<people where model.qualifies(person, for: slot.duty) && !model.people[person].unavailableDays.contains(slot.day) {
                available[person][slotKind[index]] += 1
                anyone = true
            }
            if anyone { needed[slotKind[index]] += 1 } else { unfillable += 1 }
        }
        self.unfillable = unfillable
        let inCategory = kinds.map { kind in
            model.categories(of: RotaModel.Slot(day: 0, date: model.start, duty: kind.duty, start: 0, end: 0, isWeekend: kind.weekend,
                                                isHoliday: kind.holiday, month: 0)).map(\.rawValue)
        }
        // The targets and history exactly as the roster counts them.
        let roster = Roster(model: model)
        var offset = Array(repeating: Array(repeating: 0.0, count: categories.count), count: people)  // history - target
        var counted = Array(repeating: Array(repeating: false, count: categories.count), count: people)
        for person in 0..<people {
            for category in categories {
                let target = roster.target(person, category)
                offset[person][category.rawValue] = (model.people[person].history[category] ?? 0) - target
                counted[person][category.rawValue] = target > 0
            }
        }
        func objective(_ x: [[Double]]) -> (value: Double, gradient: [[Double]]) {
            var value = 0.0
            var gradient = Array(repeating: Array(repeating: 0.0, count: kindCount), count: people)
            for person in 0..<people {
                var totals = offset[person]
                for kind in 0..<kindCount where x[person][kind] != 0 { for category in inCategory[kind] { totals[category] += x[person][kind] } }
                var slope = Array(repeating: 0.0, count: categories.count)
                for category in 0..<categories.count where counted[person][category] {
                    value += weights[category] * totals[category] * totals[category]
                    slope[category] = 2 * weights[category] * totals[category]
                }
                for kind in 0..<kindCount { gradient[person][kind] = inCategory[kind].reduce(0) { $0 + slope[$1] } }
            }
            return (value, gradient)
        }
        // Each kind's column onto {sum = needed, 0 <= x <= available}: x = clamp(y - lambda), lambda by bisection.
        func project(_ y: inout [[Double]]) {
            for kind in 0..<kindCount {
                var low = -1e6, high = 1e6
                for _ in 0..<100 {
                    let lambda = (low + high) / 2
                    var sum = 0.0
                    for person in 0..<people { sum += min(max(y[person][kind] - lambda, 0), available[person][kind]) }
                    if sum > needed[kind] { low = lambda } else { high = lambda }
                }
                let lambda = (low + high) / 2
                for person in 0..<people { y[person][kind] = min(max(y[person][kind] - lambda, 0), available[person][kind]) }
            }
        }
        // Lipschitz constant of the gradient: per person, 2 sum_c w_c |kinds in c|.
        var lipschitz = 1e-9
        for category in 0..<categories.count {
            lipschitz = max(lipschitz, 2 * weights[category] * Double(inCategory.filter { $0.contains(category) }.count))
        }
        lipschitz *= Double(categories.count)
        var x = Array(repeating: Array(repeating: 0.0, count: kindCount), count: people)
        project(&x)
        var momentum = x, previous = x, t = 1.0
        var best = -Double.infinity
        for iteration in 0..<iterations {
            let (_, gradient) = objective(momentum)
            var next = momentum
            for person in 0..<people { for kind in 0..<kindCount { next[person][kind] -= gradient[person][kind] / lipschitz } }
            project(&next)
            let tNext = (1 + (1 + 4 * t * t).squareRoot()) / 2
            for person in 0..<people {
                for kind in 0..<kindCount { momentum[person][kind] = next[person][kind] + (t - 1) / tNext * (next[person][kind] - previous[person][kind]) }
            }
            (previous, t) = (next, tNext)
            if iteration % 200 == 199 || iteration == iterations - 1 { best = max(best, Self.frankWolfeBound(objective(next), next, needed, available)) }
        }
        value = max(0, best) + Double(unfillable) * Roster.unfilledCost
        fairCounts = (0..<people).map { person in
            categories.map { category in (0..<kindCount).reduce(0.0) { $0 + (inCategory[$1].contains(category.rawValue) ? previous[person][$1] : 0) } }
        }
    }

    /// f(x) + min over the feasible set of f'(x)(s - x): per kind, its slots go to the people with the
    /// smallest slope first, each up to what they can take.
    static func frankWolfeBound(_ evaluation: (value: Double, gradient: [[Double]]), _ x: [[Double]], _ needed: [Double], _ available: [[Double]]) -> Double {
        var bound = evaluation.value
        for kind in needed.indices {
            var left = needed[kind]
            for person in x.indices.sorted(by: { evaluation.gradient[$0][kind] < evaluation.gradient[$1][kind] }) where left > 0 {
                let take = min(left, available[person][kind])
                bound += evaluation.gradient[person][kind] * take
                left -= take
            }
            for person in x.indices { bound -= evaluation.gradient[person][kind] * x[person][kind] }
        }
        return bound
    }

    /// How far an objective may be above the best possible: objective / bound - 1 (nil when the bound is 0).
    public func gap(_ objective: Double) -> Double? { value > 1e-9 ? max(0, objective / value - 1) : nil }
}
