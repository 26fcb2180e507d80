import Foundation

extension CurtoisSolver {
    /// Seconds of windowed search between two polishes on long horizons.
    static let polishInterval: UInt64 = 5_000_000_000

    /// Whole-row best responses and request trades (`swapBlocks`), alternately while the penalty falls.
    func polish(_ start: [[Int]], until deadline: UInt64, _ random: inout SplitMix) -> [[Int]] {
        var grid = start, previous = Int.max, current = penalty(start)
        while current < previous, DispatchTime.now().uptimeNanoseconds < deadline {
            grid = swapBlocks(respond(grid, until: deadline, &random), until: deadline, &random)
            (previous, current) = (current, penalty(grid))
        }
        return grid
    }

    /// Whole-row best responses on long horizons: each employee in turn, given everyone else, is planned
    /// again over the whole horizon by the relaxed planner (its counting rules priced until they hold), the
    /// cover priced exactly for one person more (a shortfall's weight where the others leave one, minus the
    /// surplus weight where they do not); the new row replaces the old when legal and cheaper. A pass over
    /// 150 employees of a year takes seconds, where the windowed search reaches each employee-day a few
    /// times a minute. Passes repeat while they improve and time lasts; returns the improved grid.
    func respond(_ start: [[Int]], until deadline: UInt64, _ random: inout SplitMix) -> [[Int]] {
        let days = instance.days, types = instance.shifts.count
        let planners = instance.employees.indices.map { CurtoisRelaxedRowPlanner(instance: instance, employee: $0) }
        var grid = start
        var counts = Array(repeating: 0, count: days * types)
        for row in grid { for (day, shift) in row.enumerated() where shift >= 0 { counts[day * types + shift] += 1 } }
        var scratch = CurtoisRelaxedRowPlanner.Scratch()
        var worth = Array(repeating: 0.0, count: days * types)
        var improved = true
        while improved {
            improved = false
            for e in shuffled(Array(grid.indices), &random) {
                guard DispatchTime.now().uptimeNanoseconds < deadline else { return grid }
                for (day, shift) in grid[e].enumerated() where shift >= 0 { counts[day * types + shift] -= 1 }
                for index in worth.indices {
                    let cover = instance.cover[index / types][index % types]
                    worth[index] = Double(cover.penalty(counts[index]) - cover.penalty(counts[index] + 1))
                }
                func cost(_ row: [Int]) -> Double {
                    var total = planners[e].requestCost(row)
                    for (day, shift) in row.enumerated() where shift >= 0 { total -= worth[day * types + shift] }
                    return total
                }
                if let row = planners[e].legalRow(coverPrice: worth, shiftCount: types, scratch: &scratch),
                    cost(row) <= cost(grid[e]) + 1e-9, row != grid[e], hardUnits(row, e) == 0 {
                    if cost(row) < cost(grid[e]) - 1e-9 { improved = true }
                    grid[e] = row
                }
                for (day, shift) in grid[e].enumerated() where shift >= 0 { counts[day * types + shift] += 1 }
            }
        }
        return grid
    }
}
