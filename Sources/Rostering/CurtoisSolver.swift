import Foundation
import Locking

/// Solver for Curtois & Qu instances, one chain per core. Each chain dives to a roster by column
/// generation (CurtoisColumnGeneration; the first in the file's order of employees, the others in a
/// shuffled order, which leads to other dives), dive after dive for 75% of the time, and polishes its
/// best roster by large neighbourhood search (CurtoisNeighbourhoodSearch). Where the master would be too
/// large or a dive finds no roster, a portfolio instead: on horizons up to eight weeks even chains anneal
/// for 90% of the time left (CurtoisAnnealing) and then search; other chains construct a roster and search
/// from it. Staff rules are hard; the best legal grid wins. Where column generation does not apply, and on
/// horizons over eight weeks (where its bound is often far off: pricing rarely converges in time), the last
/// tenth of the time computes a Lagrangian bound (CurtoisLagrangianBound) aimed at the best penalty. The
/// bound printed is the best of the bounds computed.
public struct CurtoisSolver: Sendable {
    public let instance: CurtoisInstance
    public var seed: UInt64 = 1
    public var timeLimitSeconds = 60.0
    public var chains = ProcessInfo.processInfo.activeProcessorCount
    /// Bounds of the weight of one unit of a broken staff rule (adapted while searching).
    static let hardFirst = 50.0, hardLast = 5_000.0
    /// The share of the time for diving; the rest polishes the best dive.
    static let divingShare = 0.75
    /// The longest horizon annealing is tried on.
    static let annealingDays = 56

    public init(instance: CurtoisInstance) { self.instance = instance }

    public struct Result: Sendable {
        public let grid: [[Int]]
        public let penalty: Int
        public let hardViolations: Double
        /// A lower bound: no roster costs less.
        public let lowerBound: Double?
        public let boundSource: BoundSource
    }

    /// Where a bound comes from, strongest first.
    public enum BoundSource: String, Sendable {
        /// Column generation's root relaxation, priced exactly over the whole horizon.
        case columnGeneration = "linear relaxation"
        /// Cover and counting rules priced (CurtoisLagrangianBound): any size, weaker.
        case lagrangian = "Lagrangian relaxation"
        /// The shortfalls the staff cannot cover whatever the rules (`coverBound`).
        case cover = "cover the staff cannot reach"
    }

    /// The share of the time for the Lagrangian bound where column generation does not apply.
    static let boundShare = 0.1

    public func solve() -> Result {
        let started = DispatchTime.now().uptimeNanoseconds
        let end = started + UInt64(timeLimitSeconds * 1e9)
        let lagrangianRuns = !CurtoisColumnGeneration.applies(to: instance) || instance.days > Self.annealingDays
        let deadline = lagrangianRuns ? started + UInt64(timeLimitSeconds * (1 - Self.boundShare) * 1e9) : end
        let results = CurtoisResults(chains)
        DispatchQueue.concurrentPerform(iterations: max(1, chains)) { chain in
            var random = SplitMix(seed: seed &+ UInt64(chain) &* 0xD1B5_4A32_D192_ED03)
            var start: [[Int]]?, bound: Double?
            if CurtoisColumnGeneration.applies(to: instance) {
                // Dive after dive (each in another order of the employees) while the diving time lasts; the
                // rows found stay in the pool, so later dives go faster.
                var generation = CurtoisColumnGeneration(instance: instance)
                var order = Array(instance.employees.indices), best = Int.max
                if chain > 0 { order = shuffled(order, &random) }
                let diving = started + UInt64(timeLimitSeconds * Self.divingShare * 1e9)
                while DispatchTime.now().uptimeNanoseconds < diving, let grid = generation.dive(until: diving, order: order) {
                    let cost = penalty(grid)
                    if cost < best { (start, best) = (grid, cost) }
                    order = shuffled(order, &random)
                }
                bound = generation.rootBound
            }
            // Annealing crosses illegal rosters, which on long horizons it seldom leaves within the time: there
            // every chain constructs (fast, legal) and searches.
            if start == nil, chain % 2 == 0, instance.days <= Self.annealingDays {
                let left = Double(deadline - min(deadline, DispatchTime.now().uptimeNanoseconds)) / 1e9
                start = anneal(&random, seconds: left * 0.9)
            }
            let grid = search(from: start, until: deadline, &random)
            let hard = grid.indices.reduce(0.0) { $0 + hardUnits(grid[$1], $1) }
            results.set(chain, CurtoisResults.Entry(grid: grid, penalty: penalty(grid), hard: hard, bound: bound))
        }
        let best = results.best()
        var (bound, source) = (coverBound, BoundSource.cover)
        if let columns = best.lowerBound, columns > bound { (bound, source) = (columns, .columnGeneration) }
        if lagrangianRuns {
            var lagrangian = CurtoisLagrangianBound(instance: instance)
            lagrangian.improve(until: end, target: best.hardViolations == 0 ? Double(best.penalty) : nil, threads: chains)
            if lagrangian.best > bound { (bound, source) = (lagrangian.best, .lagrangian) }
        }
        return Result(grid: best.grid, penalty: best.penalty, hardViolations: best.hardViolations, lowerBound: bound, boundSource: source)
    }

    /// Shortfalls no roster avoids, day by day, staff rules aside: a shift needing more people than are
    /// allowed it and free that day, or a day needing more people than are free (each works one shift),
    /// the larger of the two each day. Weak, but valid at any size.
    public var coverBound: Double {
        var bound = 0.0
        for day in 0..<instance.days {
            let free = instance.employees.indices.filter { !instance.employees[$0].daysOff.contains(day) }
            var perShift = 0.0, needed = 0, cheapest = Int.max
            for shift in instance.shifts.indices {
                let cover = instance.cover[day][shift]
                let able = free.filter { instance.employees[$0].maxShifts[shift] > 0 }.count
                perShift += Double(max(0, cover.requirement - able) * cover.underWeight)
                needed += cover.requirement
                if cover.requirement > 0 { cheapest = min(cheapest, cover.underWeight) }
            }
            let perDay = cheapest == Int.max ? 0 : Double(max(0, needed - free.count) * cheapest)
            bound += max(perShift, perDay)
        }
        return bound
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

    func coverCost(_ count: Int, _ cover: CurtoisInstance.Cover) -> Double { Double(cover.penalty(count)) }

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

final class CurtoisResults: Sendable {
    struct Entry {
        let grid: [[Int]]
        let penalty: Int
        let hard: Double
        let bound: Double?
    }

    private let entries: Locked<[Entry?]>

    init(_ count: Int) { entries = Locked(Array(repeating: nil, count: max(1, count))) }

    func set(_ chain: Int, _ entry: Entry) { entries.withLock { $0[chain] = entry } }

    func best() -> CurtoisSolver.Result {
        entries.withLock { entries in
            let all = entries.compactMap { $0 }
            let winner = all.min { ($0.hard, $0.penalty) < ($1.hard, $1.penalty) }!
            return CurtoisSolver.Result(grid: winner.grid, penalty: winner.penalty, hardViolations: winner.hard,
                                        lowerBound: all.compactMap(\.bound).max(), boundSource: .columnGeneration)
        }
    }
}
