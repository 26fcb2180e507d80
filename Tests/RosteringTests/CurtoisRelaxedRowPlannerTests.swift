import Testing

@testable import Rostering

/// The relaxed row planner against exhaustive enumeration (the ten-day instances of CurtoisRowPlannerTests,
/// every one of the 3^10 rows): under any prices its cheapest row costs what the cheapest row keeping the
/// sequence rules costs, counting rules priced by their excess computed here again; so it never costs more
/// than the cheapest legal row. And the rows `legalRow` returns keep every rule.
@Suite struct CurtoisRelaxedRowPlannerTests {
    /// Days off, forbidden successions, runs of work and of rest: the rules the planner keeps exactly.
    static func keepsSequenceRules(_ row: [Int], _ rules: CurtoisInstance.Employee, _ instance: CurtoisInstance) -> Bool {
        var relaxed = rules
        relaxed.maxShifts = relaxed.maxShifts.map { $0 > 0 ? Int.max : 0 }
        let free = CurtoisInstance.Employee(id: rules.id, maxShifts: relaxed.maxShifts, maxMinutes: Int.max, minMinutes: 0,
                                            maxConsecutive: rules.maxConsecutive, minConsecutive: rules.minConsecutive,
                                            minDaysOff: rules.minDaysOff, maxWeekends: Int.max, daysOff: rules.daysOff)
        return CurtoisRowPlannerTests.legal(row, free, instance)
    }

    /// Requests less cover prices plus rule prices times the excess, written from the format's rules: the
    /// minute unit is the employee's mean shift (E 480 and L 600 minutes: 540).
    static func pricedCost(_ row: [Int], _ e: Int, _ instance: CurtoisInstance, coverPrice: [Double], rulePrices mu: [Double]) -> Double {
        let rules = instance.employees[e]
        var cost = 0.0, counts = [0.0, 0.0], minutes = 0.0
        for r in instance.onRequests where r.employee == e && row[r.day] != r.shift { cost += Double(r.weight) }
        for r in instance.offRequests where r.employee == e && row[r.day] == r.shift { cost += Double(r.weight) }
        for (day, shift) in row.enumerated() where shift >= 0 {
            cost -= coverPrice[day * 2 + shift]
            counts[shift] += 1
            minutes += Double(instance.shifts[shift].minutes)
        }
        let weekends = Double(stride(from: 5, to: 10, by: 7).filter { row[$0] >= 0 || row[$0 + 1] >= 0 }.count)
        for shift in 0..<2 where rules.maxShifts[shift] < 10 { cost += mu[shift] * (counts[shift] - Double(rules.maxShifts[shift])) }
        cost += mu[2] * (minutes - Double(rules.maxMinutes)) / 540 + mu[3] * (Double(rules.minMinutes) - minutes) / 540
        return cost + mu[4] * (weekends - Double(rules.maxWeekends))
    }

    static func prices(seed: Int, count: Int, scale: Double) -> [Double] {
        var state = UInt64(seed) &* 0xD1B5_4A32_D192_ED03 &+ 1
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 40) / Double(1 << 24) * scale
        }
    }

    @Test(arguments: 1...6)
    func theCheapestRowIsTheCheapestKeepingTheSequenceRules(_ seed: Int) throws {
        let instance = try CurtoisRowPlannerTests.instance(seed: seed)
        for e in 0..<3 {
            let planner = CurtoisRelaxedRowPlanner(instance: instance, employee: e)
            let kept = CurtoisRowPlannerTests.allRows.filter { Self.keepsSequenceRules($0, instance.employees[e], instance) }
            let legal = kept.filter { CurtoisRowPlannerTests.legal($0, instance.employees[e], instance) }
            for round in 0..<4 {
                let cover = Self.prices(seed: seed * 10 + round, count: 20, scale: 60).map { $0 - 20 }
                let mu = round == 0 ? [0, 0, 0, 0, 0] : Self.prices(seed: seed * 100 + round, count: 5, scale: 15)
                var scratch = CurtoisRelaxedRowPlanner.Scratch()
                let found = try #require(planner.cheapest(coverPrice: cover, shiftCount: 2, rulePrices: mu, scratch: &scratch))
                let cheapest = kept.map { Self.pricedCost($0, e, instance, coverPrice: cover, rulePrices: mu) }.min()!
                #expect(Self.keepsSequenceRules(found.row, instance.employees[e], instance), "employee \(e): \(found.row)")
                #expect(abs(found.cost - cheapest) < 1e-6, "employee \(e): \(found.cost) against \(cheapest)")
                #expect(abs(Self.pricedCost(found.row, e, instance, coverPrice: cover, rulePrices: mu) - found.cost) < 1e-6)
                // The relaxation: never above the cheapest legal row's requests less cover prices.
                let legalCheapest = legal.map { Self.pricedCost($0, e, instance, coverPrice: cover, rulePrices: [0, 0, 0, 0, 0]) }.min()!
                #expect(found.cost <= legalCheapest + 1e-6)
            }
        }
    }

    @Test(arguments: 1...6)
    func legalRowsKeepEveryRule(_ seed: Int) throws {
        let instance = try CurtoisRowPlannerTests.instance(seed: seed)
        var scratch = CurtoisRelaxedRowPlanner.Scratch()
        for e in 0..<3 {
            let planner = CurtoisRelaxedRowPlanner(instance: instance, employee: e)
            for round in 0..<6 {
                // Cover worth high enough that the unpriced cheapest row would work too much.
                let cover = Self.prices(seed: seed * 7 + round, count: 20, scale: 100)
                let row = try #require(planner.legalRow(coverPrice: cover, shiftCount: 2, scratch: &scratch), "employee \(e)")
                #expect(CurtoisRowPlannerTests.legal(row, instance.employees[e], instance), "employee \(e): \(row)")
            }
        }
    }

    /// On the published instances, by the solver's own count of broken rules: every employee's row is legal,
    /// and most employees get one (tight minute windows can leave a few to the construction's beams).
    @Test(arguments: 1...10)
    func legalRowsOnThePublishedInstances(_ number: Int) throws {
        let path = SolverChainsTests.repository.appendingPathComponent("Tests/Fixtures/rota/curtois/Instance\(number).txt").path
        let instance = try CurtoisInstance(text: try String(contentsOfFile: path, encoding: .utf8), file: path)
        let solver = CurtoisSolver(instance: instance)
        var scratch = CurtoisRelaxedRowPlanner.Scratch()
        let cover = Self.prices(seed: number, count: instance.days * instance.shifts.count, scale: 200).map { $0 - 50 }
        var found = 0
        for e in instance.employees.indices {
            guard let row = CurtoisRelaxedRowPlanner(instance: instance, employee: e).legalRow(coverPrice: cover, shiftCount: instance.shifts.count, scratch: &scratch) else { continue }
            found += 1
            #expect(solver.hardUnits(row, e) == 0, "instance \(number), employee \(e): \(row)")
        }
        #expect(found * 4 >= instance.employees.count * 3, "instance \(number): legal rows for \(found) of \(instance.employees.count)")
    }
}
