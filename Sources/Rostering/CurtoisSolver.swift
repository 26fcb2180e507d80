import Foundation

/// Simulated annealing for Curtois & Qu instances: staff rules as heavily weighted penalties the search
/// drives to zero, the format's penalty as the objective. Moves: change one day of one employee, swap two
/// employees' days, swap two employees' blocks of days. Chains run on the cores; the best feasible grid wins.
public struct CurtoisSolver: Sendable {
    public let instance: CurtoisInstance
    public var seed: UInt64 = 1
    public var timeLimitSeconds = 60.0
    public var chains = ProcessInfo.processInfo.activeProcessorCount
    /// Bounds of the weight of one unit of a broken staff rule (adapted while searching).
    static let hardFirst = 50.0, hardLast = 5_000.0

    public init(instance: CurtoisInstance) { self.instance = instance }

    public struct Result: Sendable {
        public let grid: [[Int]]
        public let penalty: Int
        public let hardViolations: Double
    }

    public func solve() -> Result {
        let results = CurtoisResults(chains)
        DispatchQueue.concurrentPerform(iterations: max(1, chains)) { chain in
            var random = SplitMix(seed: seed &+ UInt64(chain) &* 0xD1B5_4A32_D192_ED03)
            results.set(chain, anneal(&random))
        }
        return results.best()
    }

    // MARK: Cost

    /// Broken staff rules of one employee, in units (days, shifts, hours...).
    func hardUnits(_ row: [Int], _ e: Int) -> Double {
        let rules = instance.employees[e]
        var units = 0.0
        var counts = Array(repeating: 0, count: instance.shifts.count)
        var minutes = 0
        var weekends = 0
        for day in 0..<instance.days {
            let shift = row[day]
            if shift >= 0 {
                counts[shift] += 1
                minutes += instance.shifts[shift].minutes
                if rules.daysOff.contains(day) { units += 1 }
                if day + 1 < instance.days, row[day + 1] >= 0, instance.shifts[shift].forbiddenNext.contains(row[day + 1]) { units += 1 }
            }
        }
        for week in stride(from: 5, to: instance.days, by: 7) where row[week] >= 0 || (week + 1 < instance.days && row[week + 1] >= 0) {
            weekends += 1
        }
        for shift in counts.indices where counts[shift] > rules.maxShifts[shift] { units += Double(counts[shift] - rules.maxShifts[shift]) }
        if minutes > rules.maxMinutes { units += Double(minutes - rules.maxMinutes) / 240 }
        if minutes < rules.minMinutes { units += Double(rules.minMinutes - minutes) / 240 }
        if weekends > rules.maxWeekends { units += Double(weekends - rules.maxWeekends) }
        // Runs of work and of rest; minimums do not apply to runs touching either end of the horizon.
        var start = 0
        while start < instance.days {
            let working = row[start] >= 0
            var end = start
            while end + 1 < instance.days && (row[end + 1] >= 0) == working { end += 1 }
            let length = end - start + 1
            let inner = start > 0 && end < instance.days - 1
            if working {
                if length > rules.maxConsecutive { units += Double(length - rules.maxConsecutive) }
                if inner && length < rules.minConsecutive { units += Double(rules.minConsecutive - length) }
            } else if inner && length < rules.minDaysOff {
                units += Double(rules.minDaysOff - length)
            }
            start = end + 1
        }
        return units
    }

    func requestCost(_ row: [Int], _ e: Int, on: [[CurtoisInstance.Request]], off: [[CurtoisInstance.Request]]) -> Double {
        var cost = 0
        for request in on[e] where row[request.day] != request.shift { cost += request.weight }
        for request in off[e] where row[request.day] == request.shift { cost += request.weight }
        return Double(cost)
    }

    func coverCost(_ count: Int, _ cover: CurtoisInstance.Cover) -> Double {
        Double(count < cover.requirement ? (cover.requirement - count) * cover.underWeight : (count - cover.requirement) * cover.overWeight)
    }

    // MARK: Search

    func anneal(_ random: inout SplitMix) -> CurtoisResults.Entry {
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
                let elapsed = Date().timeIntervalSince(start) / timeLimitSeconds
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
        let hard = (0..<people).reduce(0.0) { $0 + hardUnits(best[$1], $1) }
        return CurtoisResults.Entry(grid: best, penalty: penalty(best), hard: hard)
    }

    /// The format's penalty of a grid (requests and cover), staff rules aside.
    public func penalty(_ grid: [[Int]]) -> Int {
        var cost = 0
        for request in instance.onRequests where grid[request.employee][request.day] != request.shift { cost += request.weight }
        for request in instance.offRequests where grid[request.employee][request.day] == request.shift { cost += request.weight }
        for day in 0..<instance.days {
            for shift in instance.shifts.indices {
                let count = instance.employees.indices.filter { grid[$0][day] == shift }.count
                cost += Int(coverCost(count, instance.cover[day][shift]))
            }
        }
        return cost
    }
}

final class CurtoisResults: @unchecked Sendable {
    struct Entry {
        let grid: [[Int]]
        let penalty: Int
        let hard: Double
    }

    private let lock = NSLock()
    private var entries: [Entry?]

    init(_ count: Int) { entries = Array(repeating: nil, count: max(1, count)) }

    func set(_ chain: Int, _ entry: Entry) { lock.withLock { entries[chain] = entry } }

    func best() -> CurtoisSolver.Result {
        lock.withLock {
            let all = entries.compactMap { $0 }
            let winner = all.min { ($0.hard, $0.penalty) < ($1.hard, $1.penalty) }!
            return CurtoisSolver.Result(grid: winner.grid, penalty: winner.penalty, hardViolations: winner.hard)
        }
    }
}
