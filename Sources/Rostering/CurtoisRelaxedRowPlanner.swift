/// One employee's cheapest row of a Curtois instance under given prices, with the staff rules split in two:
/// those a shortest path over small states keeps exactly (days off, shift types never allowed, forbidden
/// successions, runs of work and of rest) are kept; the counting rules (per-type maximums, minutes both
/// ways, weekends) are priced instead: each unit a row goes beyond one costs its price, each unit it stays
/// within earns it. Every legal row is among the rows searched and none of them costs more than its
/// requests and cover, so for any prices the cheapest found is a lower bound on the employee's best legal
/// row (the relaxation behind `CurtoisLagrangianBound`); and when the cheapest keeps the counting rules
/// too, it is legal (`legalRow`). States: the shift worked or rest, the length of the current run (up to
/// what a rule needs), and whether that run began on the first day (minimums do not apply to it). A year
/// of 32 shift types takes about a millisecond.
struct CurtoisRelaxedRowPlanner: Sendable {
    let days: Int
    /// The shift types the employee may work at all (global indices); the planner works in their order.
    let types: [Int]
    /// [shift]: its position in `types`, or -1 where the employee may not work it.
    private let localType: [Int]
    /// [previous * types.count + next]: the pair may follow each other.
    private let follows: [Bool]
    private let workCap: Int, workLimited: Bool, restCap: Int
    private let minimumWork: Int, minimumRest: Int
    private let canWork: Bool
    private let dayOff: [Bool]
    /// The requests' cost of working each type each day ([day * types.count + t]), of resting each day.
    private let requestWork: [Double], requestRest: [Double]
    /// The counting rules: the limit of each, in the units its price is per (see `excess`).
    private let limits: [Double]
    /// Per type: minutes in the employee's unit (its mean shift, so that minutes and counts are alike in
    /// scale), and whether its maximum can bind at all.
    private let unitMinutes: [Double], binding: [Bool]
    /// The number of counting rules: one per type, minutes above and below, weekends.
    var ruleCount: Int { types.count + 3 }

    init(instance: CurtoisInstance, employee e: Int) {
        let rules = instance.employees[e]
        days = instance.days
        types = instance.shifts.indices.filter { rules.maxShifts[$0] > 0 }
        let local = types, n = types.count
        var localType = Array(repeating: -1, count: instance.shifts.count)
        for (t, shift) in local.enumerated() { localType[shift] = t }
        self.localType = localType
        follows = local.flatMap { previous in local.map { !instance.shifts[previous].forbiddenNext.contains($0) } }
        canWork = rules.maxConsecutive >= 1 && !types.isEmpty
        // A run's length is tracked exactly up to the maximum when one can bind, else up to the minimum
        // (longer runs all look alike).
        workLimited = rules.maxConsecutive < days
        workCap = workLimited ? max(1, rules.maxConsecutive) : max(1, min(rules.minConsecutive, days))
        restCap = max(1, min(rules.minDaysOff, days))
        (minimumWork, minimumRest) = (rules.minConsecutive, rules.minDaysOff)
        dayOff = (0..<days).map { rules.daysOff.contains($0) }
        var work = Array(repeating: 0.0, count: days * n), rest = Array(repeating: 0.0, count: days)
        for request in instance.onRequests where request.employee == e {
            rest[request.day] += Double(request.weight)
            for t in 0..<n where local[t] != request.shift { work[request.day * n + t] += Double(request.weight) }
        }
        for request in instance.offRequests where request.employee == e {
            if localType[request.shift] >= 0 { work[request.day * n + localType[request.shift]] += Double(request.weight) }
        }
        (requestWork, requestRest) = (work, rest)
        let unit = max(1, Double(local.reduce(0) { $0 + instance.shifts[$1].minutes }) / Double(max(1, n)))
        unitMinutes = local.map { Double(instance.shifts[$0].minutes) / unit }
        binding = local.map { rules.maxShifts[$0] < instance.days }
        limits = local.map { Double(min(rules.maxShifts[$0], instance.days)) }
            + [Double(rules.maxMinutes) / unit, -Double(rules.minMinutes) / unit, Double(rules.maxWeekends)]
    }

    /// What `row`'s requests cost (the employee's share of the penalty).
    func requestCost(_ row: [Int]) -> Double {
        var total = 0.0
        for (day, shift) in row.enumerated() { total += shift < 0 ? requestRest[day] : requestWork[day * types.count + localType[shift]] }
        return total
    }

    /// How far `row` goes beyond each counting rule (negative: within it), in the rules' units.
    func excess(_ row: [Int]) -> [Double] {
        var counts = Array(repeating: 0.0, count: types.count), minutes = 0.0, weekends = 0.0
        for shift in row where shift >= 0 {
            let t = localType[shift]
            counts[t] += 1
            minutes += unitMinutes[t]
        }
        for saturday in stride(from: 5, to: days, by: 7) where row[saturday] >= 0 || (saturday + 1 < days && row[saturday + 1] >= 0) {
            weekends += 1
        }
        return types.indices.map { binding[$0] ? counts[$0] - limits[$0] : 0 }
            + [minutes - limits[types.count], -minutes - limits[types.count + 1], weekends - limits[types.count + 2]]
    }

    /// The cheapest row with its priced cost: requests, less `coverPrice[day * shifts + shift]` for each
    /// shift worked, plus `rulePrices` (one per counting rule, non-negative) times the row's excess.
    func cheapest(coverPrice: [Double], shiftCount: Int, rulePrices mu: [Double], scratch: inout Scratch) -> (cost: Double, row: [Int])? {
        let n = types.count, minutePrice = mu[n] - mu[n + 1]
        var work = requestWork
        for day in 0..<days {
            for t in 0..<n {
                work[day * n + t] += (binding[t] ? mu[t] : 0) + minutePrice * unitMinutes[t] - coverPrice[day * shiftCount + types[t]]
            }
        }
        guard let (cost, row) = shortestPath(workCost: work, weekendPrice: mu[n + 2], scratch: &scratch) else { return nil }
        var constant = 0.0
        for k in 0..<ruleCount where k >= n || binding[k] { constant -= mu[k] * limits[k] }
        return (cost + constant, row)
    }

    /// A legal row, cheap under `coverPrice`: the counting rules' prices rise while the cheapest row breaks
    /// them (each its own step, doubled while the same rule stays broken, halved when its excess changes
    /// sign); then, since the first prices to give a legal row are often higher than needed (the row works
    /// less than it may), the prices are scaled down by bisection, keeping the legal row that costs least.
    /// Prices can settle where a row too long and a row too short tie, with the legal rows between them
    /// never cheapest: after a while the cover prices get a growing random jitter, which breaks the tie
    /// another way each time. Nil when none was found within `attempts` shortest paths.
    func legalRow(coverPrice: [Double], shiftCount: Int, attempts: Int = 100, scratch: inout Scratch) -> [Int]? {
        var mu = Array(repeating: 0.0, count: ruleCount), steps = Array(repeating: 0.5, count: ruleCount)
        var last = Array(repeating: 0.0, count: ruleCount)
        var random = SplitMix(seed: UInt64(days &* 31 &+ types.count)), jittered = coverPrice
        func cost(_ row: [Int]) -> Double {
            var total = requestCost(row)
            for (day, shift) in row.enumerated() where shift >= 0 { total -= coverPrice[day * shiftCount + shift] }
            return total
        }
        for attempt in 0..<attempts {
            if attempt >= attempts / 4 {
                let amplitude = Double(attempt - attempts / 4 + 1) / Double(attempts) * (1 + mu.max()!)
                for index in jittered.indices { jittered[index] = coverPrice[index] + amplitude * (random.unit() - 0.5) }
            }
            guard let row = cheapest(coverPrice: jittered, shiftCount: shiftCount, rulePrices: mu, scratch: &scratch)?.row else { return nil }
            let over = excess(row)
            if over.allSatisfy({ $0 <= 1e-9 }) {
                var best = (row: row, cost: cost(row)), (low, high) = (0.0, 1.0)
                for _ in 0..<8 {
                    let scale = (low + high) / 2
                    guard let row = cheapest(coverPrice: coverPrice, shiftCount: shiftCount, rulePrices: mu.map { $0 * scale }, scratch: &scratch)?.row else { break }
                    if excess(row).allSatisfy({ $0 <= 1e-9 }) {
                        high = scale
                        let value = cost(row)
                        if value < best.cost { best = (row, value) }
                    } else {
                        low = scale
                    }
                }
                return best.row
            }
            for k in 0..<ruleCount {
                if over[k] > 1e-9 {
                    steps[k] = last[k] > 1e-9 ? steps[k] * 2 : steps[k] / 2
                    mu[k] += steps[k]
                } else if mu[k] > 0 && last[k] > 1e-9 {
                    // Kept now after being broken: ease back a little, so the row does not swing the other way.
                    steps[k] /= 2
                    mu[k] = max(0, mu[k] - steps[k])
                }
                last[k] = over[k]
            }
        }
        return nil
    }

    /// Buffers reused from one call to the next (one per thread).
    struct Scratch {
        var current: [Double] = [], next: [Double] = [], parents: [Int32] = []
    }

    private var stateCount: Int { 2 * (types.count * workCap + restCap) }

    /// States: first-run flag, then work (type, run) or rest (run).
    private func work(_ first: Int, _ type: Int, _ run: Int) -> Int { first * (types.count * workCap + restCap) + type * workCap + run - 1 }
    private func rest(_ first: Int, _ run: Int) -> Int { first * (types.count * workCap + restCap) + types.count * workCap + run - 1 }

    /// The cheapest row and its cost: `workCost[day * types.count + t]` for working `types[t]` that day,
    /// the requests' cost for resting, `weekendPrice` once per weekend worked (Saturday or Sunday). Rows
    /// hold global shift indices, -1 for rest. Nil when no row keeps the rules kept here.
    private func shortestPath(workCost: [Double], weekendPrice: Double, scratch: inout Scratch) -> (cost: Double, row: [Int])? {
        let restCost = requestRest
        let n = types.count, states = stateCount
        if scratch.current.count != states {
            scratch.current = Array(repeating: 0, count: states)
            scratch.next = Array(repeating: 0, count: states)
        }
        if scratch.parents.count < days * states { scratch.parents = Array(repeating: -1, count: days * states) }
        let infinity = Double.infinity
        for s in 0..<states { scratch.current[s] = infinity }
        // Day 0 (a Monday): a first run begins.
        scratch.current[rest(1, 1)] = restCost[0]
        if canWork && !dayOff[0] {
            for t in 0..<n { scratch.current[work(1, t, 1)] = workCost[t] }
        }
        for day in 1..<max(1, days) {
            let sunday = day % 7 == 6, lastSaturday = day % 7 == 5 && day == days - 1
            let workWeekend = sunday || lastSaturday ? weekendPrice : 0
            let restAfterWorkWeekend = sunday ? weekendPrice : 0
            let base = day * states
            scratch.next.withUnsafeMutableBufferPointer { next in
                scratch.parents.withUnsafeMutableBufferPointer { parents in
                    scratch.current.withUnsafeBufferPointer { current in
                        for s in 0..<states { next[s] = infinity; parents[base + s] = -1 }
                        func relax(_ target: Int, _ source: Int, _ extra: Double) {
                            let value = current[source] + extra
                            if value < next[target] { next[target] = value; parents[base + target] = Int32(source) }
                        }
                        // Rest: a rest run goes on; a work run may end (its minimum met, or the first run).
                        for first in 0...1 {
                            for run in 1...restCap { relax(rest(first, min(run + 1, restCap)), rest(first, run), restCost[day]) }
                        }
                        if canWork {
                            for first in 0...1 {
                                for run in 1...workCap where first == 1 || run >= minimumWork {
                                    for t in 0..<n { relax(rest(0, 1), work(first, t, run), restCost[day] + restAfterWorkWeekend) }
                                }
                            }
                        }
                        guard canWork && !dayOff[day] else { return }
                        for t in 0..<n {
                            let cost = workCost[day * n + t] + workWeekend
                            // A work run goes on with an allowed successor, within the maximum.
                            for first in 0...1 {
                                for run in 1...workCap where !workLimited || run + 1 <= workCap {
                                    let target = work(first, t, min(run + 1, workCap))
                                    for previous in 0..<n where follows[previous * n + t] { relax(target, work(first, previous, run), cost) }
                                }
                            }
                            // A rest run ends (its minimum met, or the first run).
                            for first in 0...1 {
                                for run in 1...restCap where first == 1 || run >= minimumRest { relax(work(0, t, 1), rest(first, run), cost) }
                            }
                        }
                    }
                }
            }
            swap(&scratch.current, &scratch.next)
        }
        var end = -1
        for s in 0..<states where scratch.current[s] < infinity && (end < 0 || scratch.current[s] < scratch.current[end]) { end = s }
        guard end >= 0 else { return nil }
        var row = Array(repeating: -1, count: days), state = end
        for day in stride(from: days - 1, through: 0, by: -1) {
            let inFirst = state % (n * workCap + restCap)
            row[day] = inFirst < n * workCap ? types[inFirst / workCap] : -1
            if day > 0 { state = Int(scratch.parents[day * states + state]) }
        }
        return (scratch.current[end], row)
    }
}
