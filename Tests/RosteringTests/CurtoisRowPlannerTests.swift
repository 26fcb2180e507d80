import Testing

@testable import Rostering

/// The row planner against exhaustive enumeration: on a ten-day instance every possible row of an employee
/// (3^10) is checked by the format's rules written here again, and the cheapest legal one must cost what
/// the planner's plan costs, over the whole horizon and over windows with the rest of the row fixed.
@Suite struct CurtoisRowPlannerTests {
    /// Three employees with different rules; requests and cover drawn from `seed`, heavy enough that an
    /// illegal row would often be the cheaper one.
    static func instance(seed: Int) throws -> CurtoisInstance {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
        func draw(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var lines = [
            "SECTION_HORIZON", "10", "", "SECTION_SHIFTS", "E,480,", "L,600,E", "",
            "SECTION_STAFF", "A,E=10|L=3,4320,1920,4,2,2,1", "B,E=10|L=10,4800,0,3,1,1,2", "C,E=6|L=10,4000,960,4,3,1,0", "",
            "SECTION_DAYS_OFF", "A,3", "", "SECTION_SHIFT_ON_REQUESTS",
        ]
        for _ in 0..<12 { lines.append("\(["A", "B", "C"][draw(3)]),\(draw(10)),\(["E", "L"][draw(2)]),\(1 + draw(30))") }
        lines += ["", "SECTION_SHIFT_OFF_REQUESTS"]
        for _ in 0..<5 { lines.append("\(["A", "B", "C"][draw(3)]),\(draw(10)),\(["E", "L"][draw(2)]),\(1 + draw(30))") }
        lines += ["", "SECTION_COVER"]
        for day in 0..<10 {
            for shift in ["E", "L"] { lines.append("\(day),\(shift),\(draw(3)),\(1 + draw(60)),\(1 + draw(5))") }
        }
        return try CurtoisInstance(text: lines.joined(separator: "\n") + "\n", file: "tiny\(seed).txt")
    }

    static func legal(_ row: [Int], _ rules: CurtoisInstance.Employee, _ instance: CurtoisInstance) -> Bool {
        let days = row.count
        var minutes = 0, counts = [0, 0]
        for (day, shift) in row.enumerated() where shift >= 0 {
            if rules.daysOff.contains(day) { return false }
            if day + 1 < days, row[day + 1] >= 0, instance.shifts[shift].forbiddenNext.contains(row[day + 1]) { return false }
            minutes += instance.shifts[shift].minutes
            counts[shift] += 1
        }
        if counts[0] > rules.maxShifts[0] || counts[1] > rules.maxShifts[1] { return false }
        if minutes > rules.maxMinutes || minutes < rules.minMinutes { return false }
        let weekends = stride(from: 5, to: days, by: 7).filter { row[$0] >= 0 || ($0 + 1 < days && row[$0 + 1] >= 0) }.count
        if weekends > rules.maxWeekends { return false }
        var start = 0
        while start < days {
            var end = start
            while end + 1 < days && (row[end + 1] >= 0) == (row[start] >= 0) { end += 1 }
            let length = end - start + 1, inner = start > 0 && end < days - 1
            if row[start] >= 0 && (length > rules.maxConsecutive || (inner && length < rules.minConsecutive)) { return false }
            if row[start] < 0 && inner && length < rules.minDaysOff { return false }
            start = end + 1
        }
        return true
    }

    /// The format's penalty of `row` for employee `e` with `others` on duty: its requests plus all cover.
    static func cost(_ row: [Int], _ e: Int, others: [[Int]], _ instance: CurtoisInstance) -> Int {
        var cost = 0
        for r in instance.onRequests where r.employee == e && row[r.day] != r.shift { cost += r.weight }
        for r in instance.offRequests where r.employee == e && row[r.day] == r.shift { cost += r.weight }
        for day in 0..<instance.days {
            for shift in 0..<instance.shifts.count {
                let count = others[day][shift] + (row[day] == shift ? 1 : 0), cover = instance.cover[day][shift]
                cost += count < cover.requirement ? (cover.requirement - count) * cover.underWeight : (count - cover.requirement) * cover.overWeight
            }
        }
        return cost
    }

    static let allRows: [[Int]] = (0..<59_049).map { code in
        var code = code
        return (0..<10).map { _ in defer { code /= 3 }; return code % 3 - 1 }
    }

    @Test(arguments: 1...6)
    func aWholeRowIsTheCheapestLegalOne(_ seed: Int) throws {
        let instance = try Self.instance(seed: seed)
        for e in 0..<3 { try checkWholeRow(instance, e) }
    }

    func checkWholeRow(_ instance: CurtoisInstance, _ e: Int) throws {
        let rules = instance.employees[e]
        // Someone else already works early shifts on even days.
        let others = (0..<10).map { $0 % 2 == 0 ? [1, 0] : [0, 1] }
        let planner = CurtoisRowPlanner(instance: instance)
        let planned = try #require(planner.plan(employee: e, row: Array(repeating: -1, count: 10), window: 0...9, others: others))
        let legalRows = Self.allRows.filter { Self.legal($0, rules, instance) }
        let cheapest = legalRows.map { Self.cost($0, e, others: others, instance) }.min()
        #expect(!legalRows.isEmpty)
        let legal = Self.legal(planned, rules, instance)
        #expect(legal, "employee \(e): \(planned)")
        #expect(Self.cost(planned, e, others: others, instance) == cheapest)
    }

    /// Column generation takes several rows per call: each legal, distinct, cheapest first, the first the
    /// cheapest of all (costs under the cover duals column generation would pass: working costs `workCost`).
    @Test(arguments: 1...3)
    func theNextCheapestPlansAreLegalAndInOrder(_ seed: Int) throws {
        let instance = try Self.instance(seed: seed)
        let planner = CurtoisRowPlanner(instance: instance)
        let workCost = (0..<20).map { ($0 * 37 + seed * 11) % 50 - 35 }
        for e in 0..<3 {
            let (plans, exact) = planner.plans(employee: e, row: Array(repeating: -1, count: 10), window: 0...9, workCost: workCost, count: 6)
            #expect(exact)
            func cost(_ row: [Int]) -> Int {
                row.indices.reduce(0) { $0 + planner.requestCost[e][$1][row[$1] + 1] + (row[$1] >= 0 ? workCost[$1 * 2 + row[$1]] : 0) }
            }
            let legalRows = Self.allRows.filter { Self.legal($0, instance.employees[e], instance) }
            #expect(plans.count > 1 && Set(plans).count == plans.count)
            for plan in plans { #expect(Self.legal(plan, instance.employees[e], instance), "employee \(e): \(plan)") }
            #expect(plans.map(cost) == plans.map(cost).sorted())
            #expect(plans.first.map(cost) == legalRows.map(cost).min())
        }
    }

    @Test(arguments: 1...6)
    func aWindowIsTheCheapestLegalChangeOfThatWindow(_ seed: Int) throws {
        let instance = try Self.instance(seed: seed)
        let others = (0..<10).map { $0 % 3 == 0 ? [0, 1] : [1, 0] }
        let planner = CurtoisRowPlanner(instance: instance)
        let windows = [0...3, 2...5, 4...8, 6...9, 3...3, 5...5, 6...6, 1...7]
        for e in 0..<3 {
            let rules = instance.employees[e]
            let legalRows = Self.allRows.filter { Self.legal($0, rules, instance) }
            // Around many legal rows: the plan may change only the window and must stay legal.
            for (number, current) in stride(from: seed, to: legalRows.count, by: max(1, legalRows.count / 40)).map({ legalRows[$0] }).enumerated() {
                let window = windows[number % windows.count]
                let values = try #require(planner.plan(employee: e, row: current, window: window, others: others), "\(current)")
                var planned = current
                planned.replaceSubrange(window, with: values)
                let sameOutside = legalRows.filter { row in (0..<10).allSatisfy { window.contains($0) || row[$0] == current[$0] } }
                let cheapest = sameOutside.map { Self.cost($0, e, others: others, instance) }.min()
                let legal = Self.legal(planned, rules, instance)
                #expect(legal, "employee \(e): \(current) -> \(planned)")
                #expect(Self.cost(planned, e, others: others, instance) == cheapest, "employee \(e): \(current) -> \(planned)")
            }
        }
    }

    @Test func aShiftTypeMaximumIsKeptWhenThePlanWouldBreakIt() throws {
        // A wants late shifts everywhere, may take three: the planner must notice and track that count.
        let text = ["SECTION_HORIZON", "10", "SECTION_SHIFTS", "E,480,", "L,600,E", "SECTION_STAFF", "A,E=10|L=3,4320,1920,4,2,2,1",
                    "SECTION_DAYS_OFF", "A,3", "SECTION_SHIFT_ON_REQUESTS"] + (0..<10).filter { $0 != 3 }.map { "A,\($0),L,9" }
        let instance = try CurtoisInstance(text: text.joined(separator: "\n"), file: "greedy.txt")
        let others = Array(repeating: [0, 0], count: 10)
        let planned = try #require(CurtoisRowPlanner(instance: instance).plan(employee: 0, row: Array(repeating: -1, count: 10),
                                                                                window: 0...9, others: others))
        #expect(planned.filter { $0 == 1 }.count == 3)
        let legal = Self.legal(planned, instance.employees[0], instance)
        #expect(legal)
        let cheapest = Self.allRows.filter { Self.legal($0, instance.employees[0], instance) }.map { Self.cost($0, 0, others: others, instance) }.min()
        #expect(Self.cost(planned, 0, others: others, instance) == cheapest)
    }
}
