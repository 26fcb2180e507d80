import Foundation

extension CurtoisSolver {
    /// Large neighbourhood search: take two to six employees off a window of one to three days and plan them
    /// back one by one, each optimally given everyone else (CurtoisRowPlanner, so every staff rule holds
    /// over the whole row); keep the change under an annealing rule. Half the windows are aimed at a flaw
    /// (an unmet request, with somebody on the shift asked for; or a short cover). Guided local search:
    /// every few hundred moves, the weights the planner and the acceptance see grow on the gaps and unmet
    /// requests that persist, and relax elsewhere, so that the search leaves a roster where no small group
    /// of employees can improve alone. The best roster is
    /// judged by the true penalty. Starts from `start`, or builds a roster employee by employee.
    func search(from start: [[Int]]?, until deadline: UInt64, _ random: inout SplitMix) -> [[Int]] {
        let days = instance.days, people = instance.employees.count, types = instance.shifts.count
        var planner = CurtoisRowPlanner(instance: instance)
        let truePlanner = planner
        var grid = start ?? construct(planner, until: deadline, &random)
        var counts = Array(repeating: Array(repeating: 0, count: types), count: days)
        for row in grid { for (day, shift) in row.enumerated() where shift >= 0 { counts[day][shift] += 1 } }
        func place(_ e: Int, _ first: Int, _ values: [Int], _ sign: Int) {
            for (offset, value) in values.enumerated() where value >= 0 { counts[first + offset][value] += sign }
            if sign > 0 { for (offset, value) in values.enumerated() { grid[e][first + offset] = value } }
        }
        /// The window's penalty under a planner's weights.
        func windowCost(_ employees: [Int], _ window: ClosedRange<Int>, _ weights: CurtoisRowPlanner) -> Int {
            var cost = 0
            for e in employees { for day in window { cost += weights.requestCost[e][day][grid[e][day] + 1] } }
            for day in window { for shift in 0..<types { cost += weights.coverPenalty(day, shift, counts[day][shift]) } }
            return cost
        }
        let requests = instance.onRequests + instance.offRequests
        func flaw(_ random: inout SplitMix) -> (day: Int, employee: Int, holder: Int?)? {
            for _ in 0..<20 {
                if random.below(2) == 0, !requests.isEmpty {
                    let r = requests[random.below(requests.count)]
                    if truePlanner.requestCost[r.employee][r.day][grid[r.employee][r.day] + 1] > 0 {
                        // For a shift asked for: somebody on it that day, who may have to hand it over (among 150
                        // staff a random partner seldom is).
                        let holders = grid[r.employee][r.day] != r.shift ? (0..<people).filter { grid[$0][r.day] == r.shift } : []
                        return (r.day, r.employee, holders.isEmpty ? nil : holders[random.below(holders.count)])
                    }
                } else {
                    let day = random.below(days), shift = random.below(types)
                    if counts[day][shift] < instance.cover[day][shift].requirement {
                        let able = (0..<people).filter { instance.employees[$0].maxShifts[shift] > 0 && grid[$0][day] != shift }
                        if !able.isEmpty { return (day, able[random.below(able.count)], nil) }
                    }
                }
            }
            return nil
        }
        let requested = Array(Set(requests.map { [$0.employee, $0.day] }))
        var requestBonus = Array(repeating: 0.0, count: requested.count)
        /// Raise the weight of what is still wrong by a tenth of its own, let every raise fade by 2%.
        func guide() {
            let (step, decay) = (0.1, 0.98)
            for day in 0..<days {
                for shift in 0..<types {
                    let base = Double(instance.cover[day][shift].underWeight), short = counts[day][shift] < instance.cover[day][shift].requirement
                    let weight = base + (Double(planner.underWeight[day][shift]) - base) * decay + (short ? step * base : 0)
                    planner.underWeight[day][shift] = Int(weight.rounded())
                }
            }
            for (index, pair) in requested.enumerated() {
                let (e, day) = (pair[0], pair[1])
                requestBonus[index] = requestBonus[index] * decay + (truePlanner.requestCost[e][day][grid[e][day] + 1] > 0 ? step : 0)
                for value in 0...types {
                    planner.requestCost[e][day][value] = Int((Double(truePlanner.requestCost[e][day][value]) * (1 + requestBonus[index])).rounded())
                }
            }
        }
        var total = penalty(grid)
        var best = grid, bestTotal = total
        let started = DispatchTime.now().uptimeNanoseconds
        let span = Double(deadline > started ? deadline - started : 1)
        let hot = 4.0, cold = 0.2
        // Windows of one to three days for two to six employees: thousands of moves a second. Windows of
        // weeks (the planner takes seconds on eight weeks of 32 types) reached each employee-day of a year a
        // few times a minute, far too few to settle anything, and did no better on instances 1-10.
        let sizes = [2, 3, 4, 5, 6], lengths = [1, 2, 3]
        var iteration = 0
        while true {
            iteration += 1
            if iteration % 300 == 0 { guide() }
            let now = DispatchTime.now().uptimeNanoseconds
            if now >= deadline { break }
            let temperature = hot * pow(cold / hot, Double(now - started) / span)
            var chosen = Array(shuffled(Array(0..<people), &random).prefix(sizes[random.below(sizes.count)]))
            let length = min(days, lengths[random.below(lengths.count)])
            var first = random.below(days - length + 1)
            if random.below(2) == 0, let target = flaw(&random) {
                first = max(0, min(days - length, target.day - random.below(length)))
                if let at = chosen.firstIndex(of: target.employee) { chosen.swapAt(0, at) } else { chosen[0] = target.employee }
                if let holder = target.holder, !chosen.contains(holder) {
                    if chosen.count > 1 { chosen[1] = holder } else { chosen.append(holder) }
                }
            }
            let window = first...(first + length - 1)
            let (before, guidedBefore) = (windowCost(chosen, window, truePlanner), windowCost(chosen, window, planner))
            let old = chosen.map { Array(grid[$0][window]) }
            for (index, e) in chosen.enumerated() { place(e, first, old[index], -1) }
            // The planner reads only the row outside the window: the old values may stay in place meanwhile.
            for (index, e) in chosen.enumerated() {
                place(e, first, planner.plan(employee: e, row: grid[e], window: window, others: counts) ?? old[index], 1)
            }
            let delta = windowCost(chosen, window, planner) - guidedBefore
            if delta <= 0 || random.unit() < exp(-Double(delta) / temperature) {
                total += windowCost(chosen, window, truePlanner) - before
                if total < bestTotal { (best, bestTotal) = (grid, total) }
            } else {
                for (index, e) in chosen.enumerated() {
                    place(e, first, Array(grid[e][window]), -1)
                    place(e, first, old[index], 1)
                }
            }
        }
        return best
    }

    /// Each employee in turn planned over the whole horizon (in four-week windows on long horizons) given
    /// those already placed. A row with no legal plan, or not reached by the deadline, stays empty (the
    /// result then reports broken rules).
    func construct(_ planner: CurtoisRowPlanner, until deadline: UInt64, _ random: inout SplitMix) -> [[Int]] {
        let days = instance.days
        var grid = Array(repeating: Array(repeating: -1, count: days), count: instance.employees.count)
        var counts = Array(repeating: Array(repeating: 0, count: instance.shifts.count), count: days)
        // Each row planned over the whole horizon, so that every rule holds (totals, runs across weeks). On
        // long horizons the full planner is too slow (a year of 32 types: some 5 s a row; the narrow beams
        // below, 0.1 to 5 s): the relaxed planner first, the beams for the rows it cannot make legal; the
        // search then improves the rows. Windows of four weeks are the last fallback.
        let beams = days > 56 ? [2_000, 6_000, 20_000].map { min(planner.beamWidth, $0) } : [planner.beamWidth]
        var placed = Set<Int>()
        let empty = counts, types = instance.shifts.count
        var scratch = CurtoisRelaxedRowPlanner.Scratch()
        for e in shuffled(Array(grid.indices), &random) where DispatchTime.now().uptimeNanoseconds < deadline {
            // On long horizons first the relaxed planner with its counting rules priced until they hold (a
            // millisecond a try on a year, where the narrowest beam takes a second); then the beams. A narrow
            // beam may drop every state that reaches the minimum minutes; and once the cover is met, every
            // shift costs, so the beam keeps the plans that work least: planned again as if the cover were
            // empty (work pays), then with a wider beam.
            var found: [Int]?
            if days > 56 {
                var worth = Array(repeating: 0.0, count: days * types)
                for day in 0..<days { for shift in 0..<types { worth[day * types + shift] = Double(-planner.coverDelta(day, shift, counts[day][shift])) } }
                found = CurtoisRelaxedRowPlanner(instance: instance, employee: e).legalRow(coverPrice: worth, shiftCount: types, scratch: &scratch)
            }
            for beam in beams where found == nil {
                var quick = planner
                quick.beamWidth = beam
                found = quick.plan(employee: e, row: grid[e], window: 0...(days - 1), others: counts)
                    ?? quick.plan(employee: e, row: grid[e], window: 0...(days - 1), others: empty)
            }
            guard let values = found else { continue }
            for (day, value) in values.enumerated() where value >= 0 {
                grid[e][day] = value
                counts[day][value] += 1
            }
            placed.insert(e)
        }
        let step = days <= 56 ? days : 28
        for e in shuffled(Array(grid.indices), &random) where !placed.contains(e) {
            for first in stride(from: 0, to: days, by: step) where DispatchTime.now().uptimeNanoseconds < deadline {
                let last = min(days - 1, first + step - 1)
                guard let values = planner.plan(employee: e, row: grid[e], window: first...last, others: counts,
                                                checkMinimumMinutes: last == days - 1)
                else { continue }
                for (offset, value) in values.enumerated() where value >= 0 {
                    grid[e][first + offset] = value
                    counts[first + offset][value] += 1
                }
            }
        }
        return grid
    }

    func shuffled(_ values: [Int], _ random: inout SplitMix) -> [Int] {
        var values = values
        for i in stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, random.below(i + 1)) }
        return values
    }
}
