/// The best shifts for one employee over a window of days, everything else fixed: a shortest path over the
/// days whose states carry what the staff rules need (yesterday's shift, the current run of work or rest,
/// minutes, counts of the shift types whose maximum can bind, weekends worked). The cost of a day is the
/// employee's unmet requests plus what the shift changes in the cover penalty given the other employees.
/// Every staff rule is kept: the plan is legal whenever the rest of the row was.
struct CurtoisRowPlanner: Sendable {
    let instance: CurtoisInstance
    /// [employee][day][shift + 1]: weight of the employee's requests broken by that value (index 0 = day off).
    var requestCost: [[[Int]]]
    /// [yesterday * shifts + today]: the pair may not follow each other.
    let forbidden: [Bool]
    /// Layers wider than this keep their cheapest states (a bound for large or odd instances).
    var beamWidth = 60_000

    init(instance: CurtoisInstance) {
        self.instance = instance
        var cost = Array(repeating: Array(repeating: Array(repeating: 0, count: instance.shifts.count + 1), count: instance.days),
                         count: instance.employees.count)
        for request in instance.onRequests {
            for value in 0...instance.shifts.count where value != request.shift + 1 { cost[request.employee][request.day][value] += request.weight }
        }
        for request in instance.offRequests { cost[request.employee][request.day][request.shift + 1] += request.weight }
        requestCost = cost
        let types = instance.shifts.count
        underWeight = instance.cover.map { $0.map(\.underWeight) }
        overWeight = instance.cover.map { $0.map(\.overWeight) }
        forbidden = (0..<types * types).map { instance.shifts[$0 / types].forbiddenNext.contains($0 % types) }
    }

    /// Weights of one person short and one person over, [day][shift]: the instance's, or raised by a
    /// search that wants a persistent gap filled.
    var underWeight: [[Int]], overWeight: [[Int]]

    /// Cover penalty of (day, shift) with `count` people on duty, under these weights.
    func coverPenalty(_ day: Int, _ shift: Int, _ count: Int) -> Int {
        let requirement = instance.cover[day][shift].requirement
        return count < requirement ? (requirement - count) * underWeight[day][shift] : (count - requirement) * overWeight[day][shift]
    }

    /// Cover penalty added by one more person on (day, shift), `count` being the others already there.
    func coverDelta(_ day: Int, _ shift: Int, _ count: Int) -> Int {
        count < instance.cover[day][shift].requirement ? -underWeight[day][shift] : overWeight[day][shift]
    }

    /// The window's new values, or nil when no legal plan exists. `others[day][shift]` counts the other
    /// employees on duty. `checkMinimumMinutes` false lets a construction fill the row window by window.
    /// Shift-type maximums are tracked only once a plan breaks them (most never bind): far fewer states.
    func plan(employee e: Int, row: [Int], window: ClosedRange<Int>, others: [[Int]], checkMinimumMinutes: Bool = true) -> [Int]? {
        let types = instance.shifts.count
        var workCost = Array(repeating: 0, count: window.count * types)
        for day in window { for shift in 0..<types { workCost[(day - window.lowerBound) * types + shift] = coverDelta(day, shift, others[day][shift]) } }
        return plans(employee: e, row: row, window: window, workCost: workCost, count: 1, checkMinimumMinutes: checkMinimumMinutes).rows.first
    }

    /// The best plan and, after it, up to `count - 1` next-cheapest ones ending in other states (all legal),
    /// with the cost of working each shift given directly: `workCost[(day - window start) * shifts + shift]`
    /// is added to the requests' cost when a plan works that shift that day (the search passes the cover
    /// deltas, column generation the cover rows' dual prices). `exact` is false when the beam dropped
    /// states, so that the first may not be the cheapest.
    func plans(employee e: Int, row: [Int], window: ClosedRange<Int>, workCost: [Int], count: Int,
               checkMinimumMinutes: Bool = true) -> (rows: [[Int]], exact: Bool) {
        var context = Context(planner: self, employee: e, row: row, window: window, checkMinimumMinutes: checkMinimumMinutes)
        guard context.feasible else { return ([], false) }
        while true {
            let found = context.solve(workCost: workCost, count: count)
            guard let best = found.first else { return ([], !context.pruned) }
            let overMaximum = { (values: [Int]) in
                var counts = Array(repeating: 0, count: self.instance.shifts.count)
                for value in values where value >= 0 { counts[value] += 1 }
                return counts.indices.filter { counts[$0] > context.room[$0] }
            }
            let broken = overMaximum(best)
            if broken.isEmpty { return (found.filter { overMaximum($0).isEmpty }, !context.pruned) }
            context.tracked.formUnion(broken)
        }
    }
}

/// One window of one employee: what lies outside it, and the packed states of the shortest path.
private struct Context {
    let planner: CurtoisRowPlanner
    let rules: CurtoisInstance.Employee
    let e: Int, a: Int, b: Int, length: Int
    let checkMinimumMinutes: Bool
    var feasible = true
    var outsideMinutes = 0, weekendRoom = 0, minuteRoom = 0, minuteUnit = 1, longest = 0
    var room: [Int] = []
    var tracked: Set<Int> = []
    /// Whether a layer outgrew the beam (the plans found may then not be the cheapest).
    var pruned = false
    // The run entering the window, and the fixed run after it.
    var startLast = -1, startRun = 0, startFromStart = true
    var next = -2, followLength = 0, followTouchesEnd = false

    init(planner: CurtoisRowPlanner, employee: Int, row: [Int], window: ClosedRange<Int>, checkMinimumMinutes: Bool) {
        let instance = planner.instance, days = instance.days, types = instance.shifts.count
        (self.planner, self.rules, self.e, self.checkMinimumMinutes) = (planner, instance.employees[employee], employee, checkMinimumMinutes)
        (a, b) = (window.lowerBound, window.upperBound)
        length = b - a + 1
        var outsideCounts = Array(repeating: 0, count: types), outsideWeekends = 0
        for day in 0..<days where !window.contains(day) && row[day] >= 0 {
            outsideMinutes += instance.shifts[row[day]].minutes
            outsideCounts[row[day]] += 1
        }
        for saturday in stride(from: 5, to: days, by: 7) {
            let sunday = saturday + 1
            if window.contains(saturday) || (sunday < days && window.contains(sunday)) { continue }
            if row[saturday] >= 0 || (sunday < days && row[sunday] >= 0) { outsideWeekends += 1 }
        }
        weekendRoom = rules.maxWeekends - outsideWeekends
        minuteRoom = rules.maxMinutes - outsideMinutes
        longest = instance.shifts.map(\.minutes).max() ?? 0
        minuteUnit = instance.shifts.reduce(0) { gcd($0, $1.minutes) }
        room = (0..<types).map { rules.maxShifts[$0] == Int.max ? Int.max : rules.maxShifts[$0] - outsideCounts[$0] }
        // A plan's values are Int8 (-1 for a day off), runs fit twelve bits.
        feasible = weekendRoom >= 0 && minuteRoom >= 0 && minuteUnit > 0 && types < 127 && days < 4096
            && instance.shifts.allSatisfy { $0.minutes >= 0 } && room.allSatisfy { $0 >= 0 }
        if a > 0 {
            let working = row[a - 1] >= 0
            var run = 1
            while a - 1 - run >= 0 && (row[a - 1 - run] >= 0) == working { run += 1 }
            (startLast, startRun, startFromStart) = (row[a - 1], run, run == a)
        }
        if b + 1 < days {
            next = row[b + 1]
            followLength = 1
            while b + 1 + followLength < days && (row[b + 1 + followLength] >= 0) == (next >= 0) { followLength += 1 }
            followTouchesEnd = b + 1 + followLength == days
        }
    }

    private func gcd(_ x: Int, _ y: Int) -> Int { y == 0 ? x : gcd(y, x % y) }

    /// A bit field of the packed state.
    struct Field {
        var shift = 0, mask: UInt64 = 0
        func get(_ key: UInt64) -> Int { Int((key >> UInt64(shift)) & mask) }
        func set(_ key: UInt64, _ value: Int) -> UInt64 { (key & ~(mask << UInt64(shift))) | (UInt64(value) << UInt64(shift)) }
    }

    /// The `count` cheapest plans, cheapest first (none when no legal plan exists).
    mutating func solve(workCost: [Int], count: Int) -> [[Int]] {
        let instance = planner.instance, types = instance.shifts.count, days = instance.days
        // Layout: last+1, run, fromStart, weekends, minutes in units, then the tracked counts.
        var bits = 0
        func field(_ largest: Int) -> Field? {
            let width = max(1, Int.bitWidth - largest.leadingZeroBitCount)
            guard bits + width <= 63 else { return nil }
            defer { bits += width }
            return Field(shift: bits, mask: (1 << UInt64(width)) - 1)
        }
        guard let lastField = field(types), let runField = field(4095), let startField = field(1),
            let weekendField = field(weekendRoom), let minuteField = field(minuteRoom / minuteUnit)
        else { return [] }
        var countField = Array(repeating: Field?.none, count: types)
        for t in tracked.sorted() {
            guard let f = field(room[t]) else { return [] }
            countField[t] = f
        }
        let requestCost = planner.requestCost[e]
        var key: UInt64 = 0
        key = lastField.set(key, startLast + 1)
        key = runField.set(key, min(startRun, 4095))
        key = startField.set(key, startFromStart ? 1 : 0)
        var current = Layer(), layers: [Layer] = []
        current.append(key, 0, -1, -1)
        var table = Table()
        let offCap = max(1, rules.minDaysOff)
        for day in a...b {
            var layer = Layer()
            table.reset(minimumCapacity: current.keys.count * (types + 1))
            let remainingAfter = b - day
            let dayOff = rules.daysOff.contains(day)
            for position in current.keys.indices {
                let state = current.keys[position], base = current.costs[position]
                let last = lastField.get(state) - 1, run = runField.get(state), fromStart = startField.get(state) == 1
                for value in -1..<types {
                    let working = value >= 0
                    if working {
                        if dayOff || room[value] <= 0 { continue }
                        if last >= 0 && planner.forbidden[last * types + value] { continue }
                    }
                    var s = state
                    if run > 0 && (last >= 0) == working {
                        if working && run + 1 > rules.maxConsecutive { continue }
                        s = runField.set(s, working ? run + 1 : min(run + 1, offCap))
                    } else {
                        if run > 0 && !fromStart && run < (last >= 0 ? rules.minConsecutive : rules.minDaysOff) { continue }
                        if working && rules.maxConsecutive < 1 { continue }
                        s = runField.set(s, 1)
                        s = startField.set(s, day == 0 ? 1 : 0)
                    }
                    var minutes = minuteField.get(s)
                    if working {
                        minutes += instance.shifts[value].minutes / minuteUnit
                        if minutes * minuteUnit > minuteRoom { continue }
                        s = minuteField.set(s, minutes)
                        if let f = countField[value] {
                            let count = f.get(s) + 1
                            if count > room[value] { continue }
                            s = f.set(s, count)
                        }
                    }
                    var weekends = weekendField.get(s)
                    if (day % 7 == 6 && (working || last >= 0)) || (day % 7 == 5 && day == days - 1 && working) {
                        weekends += 1
                        if weekends > weekendRoom { continue }
                        s = weekendField.set(s, weekends)
                    }
                    if checkMinimumMinutes && outsideMinutes + minutes * minuteUnit + remainingAfter * longest < rules.minMinutes { continue }
                    s = lastField.set(s, value + 1)
                    var cost = base + requestCost[day][value + 1]
                    if working { cost += workCost[(day - a) * types + value] }
                    let slot = table.slot(s)
                    if table.index[slot] >= 0 {
                        let existing = Int(table.index[slot])
                        if cost < layer.costs[existing] {
                            layer.costs[existing] = cost
                            layer.parents[existing] = Int32(position)
                            layer.values[existing] = Int8(value)
                        }
                    } else {
                        table.index[slot] = Int32(layer.keys.count)
                        layer.append(s, cost, Int32(position), Int8(value))
                    }
                }
            }
            if layer.keys.isEmpty { return [] }
            if layer.keys.count > planner.beamWidth {
                layer.keepCheapest(planner.beamWidth)
                pruned = true
            }
            layers.append(layer)
            current = layer
        }
        // Close the window against the fixed row after it; keep the `count` cheapest closings.
        var closings: [(position: Int, cost: Int)] = []
        for position in current.keys.indices {
            let s = current.keys[position]
            let last = lastField.get(s) - 1, run = runField.get(s), fromStart = startField.get(s) == 1
            if checkMinimumMinutes && outsideMinutes + minuteField.get(s) * minuteUnit < rules.minMinutes { continue }
            if next != -2 {
                if last >= 0 && next >= 0 && planner.forbidden[last * types + next] { continue }
                if b % 7 == 5 && (last >= 0 || next >= 0) && weekendField.get(s) + 1 > weekendRoom { continue }
                if (last >= 0) == (next >= 0) {
                    let merged = run + followLength
                    if next >= 0 && merged > rules.maxConsecutive { continue }
                    if !fromStart && !followTouchesEnd && merged < (next >= 0 ? rules.minConsecutive : rules.minDaysOff) { continue }
                } else {
                    if !fromStart && run < (last >= 0 ? rules.minConsecutive : rules.minDaysOff) { continue }
                    if !followTouchesEnd && followLength < (next >= 0 ? rules.minConsecutive : rules.minDaysOff) { continue }
                }
            }
            if closings.count < count || current.costs[position] < closings[closings.count - 1].cost {
                let at = closings.firstIndex { $0.cost > current.costs[position] } ?? closings.count
                closings.insert((position, current.costs[position]), at: at)
                if closings.count > count { closings.removeLast() }
            }
        }
        return closings.map { closing in
            var values = Array(repeating: -1, count: length)
            var position = closing.position
            for day in stride(from: length - 1, through: 0, by: -1) {
                values[day] = Int(layers[day].values[position])
                position = Int(layers[day].parents[position])
            }
            return values
        }
    }
}

/// The states reached after one day, with their cheapest cost and how they were reached.
private struct Layer {
    var keys: [UInt64] = [], costs: [Int] = [], parents: [Int32] = [], values: [Int8] = []

    mutating func append(_ key: UInt64, _ cost: Int, _ parent: Int32, _ value: Int8) {
        keys.append(key)
        costs.append(cost)
        parents.append(parent)
        values.append(value)
    }

    mutating func keepCheapest(_ count: Int) {
        let order = keys.indices.sorted { costs[$0] < costs[$1] }.prefix(count)
        (keys, costs, parents, values) = (order.map { keys[$0] }, order.map { costs[$0] }, order.map { parents[$0] }, order.map { values[$0] })
    }
}

/// Open addressing from a packed state to its index in the layer being built.
private struct Table {
    var slots: [UInt64] = [], index: [Int32] = [], shift: UInt64 = 64

    mutating func reset(minimumCapacity: Int) {
        var capacity = 16
        while capacity < 2 * minimumCapacity { capacity <<= 1 }
        if capacity != slots.count {
            slots = Array(repeating: 0, count: capacity)
            index = Array(repeating: -1, count: capacity)
        } else {
            for i in index.indices { index[i] = -1 }
        }
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    /// The slot holding `key`, or the empty one where it goes (then claimed for it).
    mutating func slot(_ key: UInt64) -> Int {
        var i = Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        let mask = slots.count - 1
        while index[i] >= 0 && slots[i] != key { i = (i + 1) & mask }
        slots[i] = key
        return i
    }
}
