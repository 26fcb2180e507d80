import Foundation
import Locking

/// A lower bound on the penalty of every roster of a Curtois instance, at any size: Lagrangian relaxation.
/// Each cover row is priced (what one more person on that shift that day is worth) instead of counted, and
/// so are each employee's counting rules; what remains splits into one shortest path per employee over the
/// rules kept (CurtoisRelaxedRowPlanner) and one small minimum per cover row. For any prices the sum is at
/// most the penalty of any legal roster (weak duality), so the best value seen is a bound whatever the
/// iterations. The prices move by projected subgradient steps (Polyak's rule against a target value), in
/// parallel over employees. Unlike column generation's bound it needs no master and no exact whole-horizon
/// planner: an iteration costs time in proportion to days x staff. It is weaker than column generation's
/// (a row only keeps its counting rules on average here) and, on a year, far from converged within a
/// minute: a bound to print where column generation does not apply, not a target.
struct CurtoisLagrangianBound {
    let instance: CurtoisInstance
    private let planners: [CurtoisRelaxedRowPlanner]
    /// [day * shifts + shift]: employees who may work that shift that day (a cover row never has more).
    private let available: [Int]
    /// The best bound so far.
    private(set) var best = -Double.infinity
    /// Cover prices, [day * shifts + shift], and per employee the prices of its counting rules.
    private var prices: [Double]
    private var rulePrices: [[Double]]
    private var stepScale = 2.0, sinceImproved = 0
    /// How many iterations have run.
    private(set) var iterations = 0
    /// False when some employee has no row keeping even the rules kept here (no legal roster exists).
    private(set) var feasible = true

    init(instance: CurtoisInstance) {
        self.instance = instance
        let planners = instance.employees.indices.map { CurtoisRelaxedRowPlanner(instance: instance, employee: $0) }
        self.planners = planners
        available = (0..<instance.days).flatMap { day in
            instance.shifts.indices.map { shift in
                instance.employees.filter { $0.maxShifts[shift] > 0 && $0.maxConsecutive >= 1 && !$0.daysOff.contains(day) }.count
            }
        }
        // From nothing: the bound is then the requests' least cost, never below zero.
        prices = Array(repeating: 0, count: instance.days * instance.shifts.count)
        rulePrices = planners.map { Array(repeating: 0.0, count: $0.ruleCount) }
    }

    /// A cover row's least penalty plus price times people, over the counts a roster can give it: piecewise
    /// linear and convex, so one of 0, the requirement and everyone available; and that count.
    private func coverTerm(_ row: Int) -> (value: Double, count: Int) {
        let types = instance.shifts.count
        let cover = instance.cover[row / types][row % types], most = available[row], price = prices[row]
        var answer = (value: Double.infinity, count: 0)
        for count in [0, min(cover.requirement, most), most] {
            let value = Double(cover.penalty(count)) + price * Double(count)
            if value < answer.value { answer = (value, count) }
        }
        return answer
    }

    /// The relaxation's value at the current prices, with its subgradient: per cover row the count its
    /// term chose less the people on duty, per employee its rules' excess. Nil when an employee has no row.
    private func evaluate(threads: Int) -> (value: Double, cover: [Double], rules: [[Double]])? {
        let employees = instance.employees.count, types = instance.shifts.count
        let chunk = max(1, (employees + max(1, threads) - 1) / max(1, threads))
        let terms = Locked(Array(repeating: (cost: 0.0, row: [Int]()), count: employees))
        let failed = Locked(false)
        let (planners, prices, rulePrices) = (self.planners, self.prices, self.rulePrices)
        DispatchQueue.concurrentPerform(iterations: (employees + chunk - 1) / chunk) { part in
            var scratch = CurtoisRelaxedRowPlanner.Scratch()
            var found: [(Int, (cost: Double, row: [Int]))] = []
            for e in (part * chunk)..<min(employees, (part + 1) * chunk) {
                guard let term = planners[e].cheapest(coverPrice: prices, shiftCount: types, rulePrices: rulePrices[e], scratch: &scratch) else {
                    failed.withLock { $0 = true }
                    return
                }
                found.append((e, term))
            }
            terms.withLock { all in for (e, term) in found { all[e] = term } }
        }
        if failed.withLock({ $0 }) { return nil }
        let rows = terms.withLock { $0 }
        var value = rows.reduce(0.0) { $0 + $1.cost }
        var cover = Array(repeating: 0.0, count: prices.count)
        for term in rows { for (day, shift) in term.row.enumerated() where shift >= 0 { cover[day * types + shift] -= 1 } }
        for row in cover.indices {
            let term = coverTerm(row)
            value += term.value
            cover[row] += Double(term.count)
        }
        return (value, cover, rows.indices.map { planners[$0].excess(rows[$0].row) })
    }

    /// Iterates until the deadline, `maxIterations`, or the step has shrunk to nothing. `target` is a
    /// penalty some roster reaches (steps aim at it); without one, a little above the best bound.
    /// Projected subgradient with Polyak's step: the prices move along the subgradient by the share of the
    /// gap to the target its norm allows, the share halved after 50 iterations without a better bound.
    mutating func improve(until deadline: UInt64, target: Double? = nil, maxIterations: Int = .max, threads: Int = 1) {
        let types = instance.shifts.count
        while feasible, iterations < maxIterations, stepScale > 1e-4, DispatchTime.now().uptimeNanoseconds < deadline {
            iterations += 1
            guard let evaluated = evaluate(threads: threads) else { feasible = false; return }
            let value = evaluated.value
            var (cover, rules) = (evaluated.cover, evaluated.rules)
            if value > best + 1e-9 {
                (best, sinceImproved) = (value, 0)
            } else {
                sinceImproved += 1
                if sinceImproved >= 50 { (stepScale, sinceImproved) = (stepScale / 2, 0) }
            }
            // Components that would leave the prices' box do not count (a cover price beyond its under weight
            // or below minus its over weight only lowers the bound).
            var norm = 0.0
            for row in cover.indices {
                let weights = instance.cover[row / types][row % types], g = cover[row]
                if (g > 0 && prices[row] >= Double(weights.underWeight)) || (g < 0 && prices[row] <= -Double(weights.overWeight)) {
                    cover[row] = 0
                } else {
                    norm += g * g
                }
            }
            for e in rules.indices {
                for k in rules[e].indices where rulePrices[e][k] <= 0 && rules[e][k] < 0 { rules[e][k] = 0 }
                norm += rules[e].reduce(0.0) { $0 + $1 * $1 }
            }
            if norm < 1e-12 { break }  // no direction left: the relaxation's optimum
            let aim = target ?? (best + max(1, 0.05 * abs(best)))
            let step = stepScale * max(aim - value, 1e-3 * max(1, abs(best))) / norm
            for row in cover.indices {
                let weights = instance.cover[row / types][row % types]
                prices[row] = min(Double(weights.underWeight), max(-Double(weights.overWeight), prices[row] + step * cover[row]))
            }
            for e in rules.indices {
                for k in rules[e].indices { rulePrices[e][k] = max(0, rulePrices[e][k] + step * rules[e][k]) }
            }
        }
    }
}
