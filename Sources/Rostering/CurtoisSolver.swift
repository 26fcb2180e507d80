import Foundation

/// Solver for Curtois & Qu instances: a portfolio over the cores. Even chains anneal for 90% of the time
/// (CurtoisAnnealing) and polish the result by large neighbourhood search; odd chains construct a roster and
/// search from it (CurtoisNeighbourhoodSearch). Staff rules are hard; the best legal grid wins.
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
            let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeLimitSeconds * 1e9)
            let start = chain % 2 == 0 ? anneal(&random, seconds: timeLimitSeconds * 0.9) : nil
            let grid = search(from: start, until: deadline, &random)
            let hard = grid.indices.reduce(0.0) { $0 + hardUnits(grid[$1], $1) }
            results.set(chain, CurtoisResults.Entry(grid: grid, penalty: penalty(grid), hard: hard))
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
