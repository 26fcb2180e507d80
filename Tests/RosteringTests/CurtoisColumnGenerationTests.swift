import Testing

@testable import Rostering

/// Column generation on ten-day instances whose legal rows the test enumerates (all 3^10 rows filtered by
/// the rules written in CurtoisRowPlannerTests): the relaxation it converges to must be the one over every
/// legal row (its bound that relaxation's optimum), and the roster it dives to must keep every rule and cost
/// at least that bound.
@Suite struct CurtoisColumnGenerationTests {
    typealias Tiny = CurtoisRowPlannerTests

    /// The relaxation over all legal rows: one row per employee (convexity), cover met up to shortfalls
    /// and surpluses at their weights, built here from the enumeration.
    func fullRelaxation(_ instance: CurtoisInstance) -> Double {
        let people = instance.employees.count, types = instance.shifts.count
        var lp = RevisedSimplex(rightHandSide: Array(repeating: 1, count: people) + instance.cover.flatMap { $0.map { Double($0.requirement) } })
        var basis = (0..<people).map { lp.add(.init(cost: 1e7, rows: [$0], values: [1])) }
        for day in 0..<instance.days {
            for shift in 0..<types {
                let row = people + day * types + shift, cover = instance.cover[day][shift]
                basis.append(lp.add(.init(cost: Double(cover.underWeight), rows: [row], values: [1])))
                lp.add(.init(cost: Double(cover.overWeight), rows: [row], values: [-1]))
            }
        }
        for e in 0..<people {
            for row in Tiny.allRows where Tiny.legal(row, instance.employees[e], instance) {
                let requests = instance.onRequests.filter { $0.employee == e && row[$0.day] != $0.shift }.reduce(0) { $0 + $1.weight }
                    + instance.offRequests.filter { $0.employee == e && row[$0.day] == $0.shift }.reduce(0) { $0 + $1.weight }
                let rows = [e] + row.indices.filter { row[$0] >= 0 }.map { people + $0 * types + row[$0] }
                lp.add(.init(cost: Double(requests), rows: rows, values: Array(repeating: 1, count: rows.count)))
            }
        }
        let started = lp.start(basis: basis)
        #expect(started)
        let status = lp.optimise()
        #expect(status == .optimal)
        return lp.objective
    }

    @Test(arguments: 1...4)
    func theRelaxationIsTheOneOverEveryLegalRowAndTheDiveKeepsTheRules(_ seed: Int) throws {
        let instance = try Tiny.instance(seed: seed)
        var generation = CurtoisColumnGeneration(instance: instance)
        let dived = generation.dive(until: .max)
        let grid = try #require(dived)
        let bound = try #require(generation.rootBound)
        let expected = fullRelaxation(instance)
        // A bound: never above the relaxation's optimum; tight: below it only by the margin kept for the
        // planner's rounded prices (half a ten-thousandth per day and employee).
        #expect(bound <= expected + 1e-6 && bound >= expected - 0.01, "column generation \(bound), all rows \(expected)")
        for e in grid.indices { #expect(Tiny.legal(grid[e], instance.employees[e], instance), "employee \(e): \(grid[e])") }
        let penalty = CurtoisSolver(instance: instance).penalty(grid)
        #expect(Double(penalty) >= expected - 1e-3)
    }
}
