import Foundation

/// Column generation for Curtois instances: the roster as a choice of one legal row per employee (a column)
/// so that the cover rows' shortfalls and surpluses cost least. The linear relaxation over the rows found
/// so far is solved by RevisedSimplex; the row planner, given the cover rows' dual prices, finds each
/// employee's row of least reduced cost (the pricing problem is exactly the planner's shortest path).
/// Diving turns the relaxation into a roster: fix the rows the relaxation nearly chose, price again for
/// the others, repeat.
struct CurtoisColumnGeneration {
    let instance: CurtoisInstance
    /// Request costs in ten-thousandths, so that rounded dual prices lose little in the planner's integers.
    private let pricing: CurtoisRowPlanner
    private let exact: CurtoisRowPlanner
    private static let scale = 10_000.0, artificialCost = 1e7
    /// Rows found so far, per employee.
    private var pool: [[[Int]]]
    private var known: [Set<[Int]>]
    /// The best lower bound on the penalty seen at the root (see `lagrangianBound`), once known.
    private(set) var rootBound: Double?

    /// Whether the master stays small enough for a dense basis inverse and whole-horizon pricing.
    static func applies(to instance: CurtoisInstance) -> Bool {
        instance.employees.count + instance.days * instance.shifts.count <= 1_000 && instance.days <= 112
    }

    init(instance: CurtoisInstance) {
        self.instance = instance
        exact = CurtoisRowPlanner(instance: instance)
        var scaled = exact
        scaled.requestCost = exact.requestCost.map { $0.map { $0.map { $0 * Int(Self.scale) } } }
        pricing = scaled
        pool = Array(repeating: [], count: instance.employees.count)
        known = Array(repeating: [], count: instance.employees.count)
    }

    /// Each free employee's rows of least reduced cost under the cover rows' prices, the best first, and the
    /// planner's cost of the best in the rounded prices (none past the deadline, or if the planner's beam
    /// dropped states). Several rows per employee:
    /// few employees left in a dive would otherwise bring few columns per round.
    private func priced(_ free: [Int], _ prices: [Double], _ coverRow: (Int, Int) -> Int,
                        until deadline: UInt64) -> [(rows: [[Int]], roundedCost: Int?)] {
        let days = instance.days, types = instance.shifts.count
        let workCost = (0..<days * types).map { Int((-prices[coverRow($0 / types, $0 % types)] * Self.scale).rounded()) }
        let count = max(1, 40 / free.count)
        return free.map { e in
            guard DispatchTime.now().uptimeNanoseconds < deadline else { return ([], nil) }
            let (rows, exact) = pricing.plans(employee: e, row: Array(repeating: -1, count: days), window: 0...(days - 1),
                                              workCost: workCost, count: count)
            let cost = rows.first.flatMap { row in exact ? row : nil }.map { row in
                row.indices.reduce(0) { $0 + pricing.requestCost[e][$1][row[$1] + 1] + (row[$1] >= 0 ? workCost[$1 * types + row[$1]] : 0) }
            }
            return (rows, cost)
        }
    }

    /// A lower bound on any roster from the root's dual prices (Lagrangian): the prices times the right-hand
    /// side, plus each employee's least reduced cost when below zero. The planner minimised in rounded
    /// prices, each day off by at most half a unit, so a row's true reduced cost is at least the planner's
    /// least less that margin. Valid whether or not pricing has converged; nil if some employee's least is
    /// unknown.
    private func lagrangianBound(_ lp: RevisedSimplex, _ prices: [Double], _ priced: [(rows: [[Int]], roundedCost: Int?)]) -> Double? {
        var bound = lp.dualObjective(prices)
        for (position, entry) in priced.enumerated() {
            guard let cost = entry.roundedCost else { return nil }
            bound += min(0, (Double(cost) - 0.5 * Double(instance.days)) / Self.scale - prices[position])
        }
        return bound
    }

    private func requestCost(_ e: Int, _ row: [Int]) -> Double {
        Double(row.indices.reduce(0) { $0 + exact.requestCost[e][$1][row[$1] + 1] })
    }

    /// A roster by diving: each round solves the relaxation for the employees still free, then fixes the
    /// row of largest value and every row valued above 0.75 (with 0.9, instance 8 ended 8% off the best
    /// known for four seeds of five; with 0.75, within 1.1% for all five). At the deadline, the free
    /// employees take the row they value most. Nil when some employee has no legal row at all. The
    /// relaxations have many optima: another `order` of the employees (rows of the master) leads to
    /// others, so to another dive.
    mutating func dive(until deadline: UInt64, order: [Int]? = nil) -> [[Int]]? {
        let days = instance.days
        var grid = Array(repeating: [Int](), count: instance.employees.count)
        var free = order ?? Array(instance.employees.indices)
        var residual = instance.cover.map { $0.map(\.requirement) }
        var preferred: [Int: Int] = [:]
        while !free.isEmpty {
            guard let values = relax(free: free, residual: residual, preferred: preferred, until: deadline) else { return nil }
            let late = DispatchTime.now().uptimeNanoseconds >= deadline
            var fix = Set<Int>()
            var top = (employee: -1, value: -1.0)
            preferred = [:]
            for e in free {
                guard let (index, value) = values[e]?.enumerated().max(by: { $0.element < $1.element }) else { return nil }
                preferred[e] = index
                if value > 0.75 || late { fix.insert(e) }
                if value > top.value { top = (e, value) }
            }
            fix.insert(top.employee)
            for e in fix {
                grid[e] = pool[e][preferred[e]!]
                for day in 0..<days where grid[e][day] >= 0 { residual[day][grid[e][day]] -= 1 }
            }
            free.removeAll { fix.contains($0) }
        }
        return grid
    }

    /// Solves the relaxation for `free` employees against the cover left to them, generating columns until
    /// none improves or the deadline passes. Returns, per employee, the value of each of its pool rows.
    private mutating func relax(free: [Int], residual: [[Int]], preferred: [Int: Int], until deadline: UInt64) -> [Int: [Double]]? {
        let days = instance.days, types = instance.shifts.count, people = free.count
        let coverRow = { (day: Int, shift: Int) in people + day * types + shift }
        var rightHandSide = Array(repeating: 1.0, count: people)
        for day in 0..<days { for shift in 0..<types { rightHandSide.append(Double(residual[day][shift])) } }
        var lp = RevisedSimplex(rightHandSide: rightHandSide)
        for position in 0..<people { lp.add(.init(cost: Self.artificialCost, rows: [position], values: [1])) }
        for day in 0..<days {
            for shift in 0..<types {
                let cover = instance.cover[day][shift]
                lp.add(.init(cost: Double(cover.underWeight), rows: [coverRow(day, shift)], values: [1]))
                lp.add(.init(cost: Double(cover.overWeight), rows: [coverRow(day, shift)], values: [-1]))
            }
        }
        var owner: [(employee: Int, index: Int)] = Array(repeating: (-1, -1), count: lp.columns.count)
        func addColumn(_ position: Int, _ index: Int) -> Int {
            let e = free[position], row = pool[e][index]
            var rows = [position]
            for day in 0..<days where row[day] >= 0 { rows.append(coverRow(day, row[day])) }
            owner.append((e, index))
            return lp.add(.init(cost: requestCost(e, row), rows: rows, values: Array(repeating: 1, count: rows.count)))
        }
        var startBasis = Array(0..<people), left = residual
        for (position, e) in free.enumerated() {
            // Any row of the employee starts a feasible basis with the cover slacks: the preferred one,
            // else its first.
            let starter = preferred[e] ?? 0
            for index in pool[e].indices {
                let column = addColumn(position, index)
                if starter == index {
                    startBasis[position] = column
                    for day in 0..<days where pool[e][index][day] >= 0 { left[day][pool[e][index][day]] -= 1 }
                }
            }
        }
        for day in 0..<days {
            for shift in 0..<types { startBasis.append(people + 2 * (day * types + shift) + (left[day][shift] >= 0 ? 0 : 1)) }
        }
        guard lp.start(basis: startBasis) else { return nil }
        var rounds = 0, checkpoint = Double.infinity
        while true {
            // A pivot limit leaves a feasible basis whose prices still lead somewhere: go on pricing.
            let status = lp.optimise(maxPivots: 50 * rightHandSide.count)
            guard status == .optimal || status == .pivotLimit else { return nil }
            if DispatchTime.now().uptimeNanoseconds >= deadline { break }
            let prices = lp.duals()
            let candidates = priced(free, prices, coverRow, until: deadline)
            if people == instance.employees.count, status == .optimal, let bound = lagrangianBound(lp, prices, candidates) {
                rootBound = max(rootBound ?? -.infinity, bound)
            }
            var added = 0
            for (position, entry) in candidates.enumerated() {
                let e = free[position]
                for row in entry.rows {
                    var reduced = requestCost(e, row) - prices[position]
                    for day in 0..<days where row[day] >= 0 { reduced -= prices[coverRow(day, row[day])] }
                    if reduced < -1e-6, known[e].insert(row).inserted {
                        pool[e].append(row)
                        _ = addColumn(position, pool[e].count - 1)
                        added += 1
                    }
                }
            }
            if added == 0 { break }
            // Below the root, a relaxation that has stopped moving, or had 20 rounds, is good enough to dive
            // on (the last columns of column generation improve it least and cost most).
            rounds += 1
            if people < instance.employees.count, rounds % 5 == 0 {
                if lp.objective > checkpoint - 0.01 || rounds >= 20 { break }
                checkpoint = lp.objective
            }
        }
        var values: [Int: [Double]] = [:]
        for e in free { values[e] = Array(repeating: 0, count: pool[e].count) }
        for column in owner.indices where owner[column].employee >= 0 {
            values[owner[column].employee]![owner[column].index] = lp.value(column)
        }
        return values
    }
}

