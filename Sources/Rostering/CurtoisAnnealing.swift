import Foundation

extension CurtoisSolver {
    /// Simulated annealing with the staff rules as penalties: their weight grows while some are broken and
    /// shrinks once none is (strategic oscillation), so the search crosses infeasible rosters to reach others.
    /// Moves: change one day of one employee, swap one or a block of days between two employees.
    /// Returns the best grid that keeps every rule, or nil if none was met within `seconds`.
    func anneal(_ random: inout SplitMix, seconds: Double) -> [[Int]]? {
        let days = instance.days, people = instance.employees.count, types = instance.shifts.count
        let on = (0..<people).map { e in instance.onRequests.filter { $0.employee == e } }
        let off = (0..<people).map { e in instance.offRequests.filter { $0.employee == e } }
        var grid = Array(repeating: Array(repeating: -1, count: days), count: people)
        var counts = Array(repeating: Array(repeating: 0, count: types), count: days)
        var hardWeight = Self.hardFirst
        var employeeCost = (0..<people).map { e in hardWeight * hardUnits(grid[e], e) + requestCost(grid[e], e, on: on, off: off) }
        var employeeHard = (0..<people).map { hardUnits(grid[$0], $0) }
        var hardSum = employeeHard.reduce(0, +)
        var total = 0.0
        var best = grid, bestTotal = Double.infinity
        func rowCost(_ e: Int) -> (cost: Double, hard: Double) {
            let hard = hardUnits(grid[e], e)
            return (hardWeight * hard + requestCost(grid[e], e, on: on, off: off), hard)
        }
        let start = Date()
        let hot = 60.0, cold = 0.3
        var temperature = hot
        var iteration = 0
        while true {
            if iteration & 4095 == 0 {
                let elapsed = Date().timeIntervalSince(start) / seconds
                if elapsed >= 1 { break }
                temperature = hot * pow(cold / hot, elapsed)
                // Strategic oscillation: rules weigh more while some are broken, less once none is, so the
                // search keeps to the edge of feasibility where the best rosters are.
                hardWeight = hardSum > 1e-6 ? min(Self.hardLast, hardWeight * 1.05) : max(Self.hardFirst, hardWeight / 1.03)
                for e in 0..<people { employeeCost[e] = rowCost(e).cost }
                total = employeeCost.reduce(0, +)
                for day in 0..<days { for shift in 0..<types { total += coverCost(counts[day][shift], instance.cover[day][shift]) } }
            }
            iteration += 1
            let kind = random.below(10)
            let e = random.below(people)
            if kind < 5 {
                // Change one day.
                let day = random.below(days)
                let old = grid[e][day]
                let new = random.below(types + 1) - 1
                if new == old { continue }
                grid[e][day] = new
                let after = rowCost(e)
                var delta = after.cost - employeeCost[e]
                if old >= 0 { delta += coverCost(counts[day][old] - 1, instance.cover[day][old]) - coverCost(counts[day][old], instance.cover[day][old]) }
                if new >= 0 { delta += coverCost(counts[day][new] + 1, instance.cover[day][new]) - coverCost(counts[day][new], instance.cover[day][new]) }
                if delta <= 0 || random.unit() < exp(-delta / temperature) {
                    if old >= 0 { counts[day][old] -= 1 }
                    if new >= 0 { counts[day][new] += 1 }
                    hardSum += after.hard - employeeHard[e]
                    (employeeCost[e], employeeHard[e]) = after
                    total += delta
                } else {
                    grid[e][day] = old
                }
            } else {
                // Swap a block of days with another employee (cover unchanged).
                let other = random.below(people)
                if other == e { continue }
                let length = kind < 8 ? 1 : 2 + random.below(4)
                let first = random.below(days)
                let last = min(days - 1, first + length - 1)
                var same = true
                for day in first...last where grid[e][day] != grid[other][day] { same = false }
                if same { continue }
                for day in first...last { (grid[e][day], grid[other][day]) = (grid[other][day], grid[e][day]) }
                let a = rowCost(e), b = rowCost(other)
                let delta = a.cost + b.cost - employeeCost[e] - employeeCost[other]
                if delta <= 0 || random.unit() < exp(-delta / temperature) {
                    hardSum += a.hard + b.hard - employeeHard[e] - employeeHard[other]
                    (employeeCost[e], employeeHard[e]) = a
                    (employeeCost[other], employeeHard[other]) = b
                    total += delta
                } else {
                    for day in first...last { (grid[e][day], grid[other][day]) = (grid[other][day], grid[e][day]) }
                }
            }
            // The best grid that breaks no staff rule (hardSum drifts by rounding: 1e-6 is zero).
            if hardSum < 1e-6 && total < bestTotal - 1e-9 {
                bestTotal = total
                best = grid
            }
        }
        return bestTotal.isFinite ? best : nil
    }
}
