import Foundation

extension CurtoisSolver {
    /// Request-driven exchanges: for each unmet request, two employees trade their shifts over a block of up
    /// to a week around the request's day (one of them working the requested shift that day, or the one
    /// asking not to handing it over). A trade leaves every cover row's count as it was, so only the two
    /// employees' requests and rules change: kept when both rows stay legal and the requests cost less.
    /// Whole-row best responses leave these: granting a request there means one person over on that shift
    /// until somebody else moves, and neither move pays alone. Passes repeat while they improve.
    func swapBlocks(_ start: [[Int]], until deadline: UInt64, _ random: inout SplitMix) -> [[Int]] {
        let days = instance.days, longest = min(7, days)
        let requestCost = CurtoisRowPlanner(instance: instance).requestCost
        var grid = start
        func cost(_ e: Int, _ block: ClosedRange<Int>) -> Int { block.reduce(0) { $0 + requestCost[e][$1][grid[e][$1] + 1] } }
        func trade(_ e: Int, _ f: Int, _ block: ClosedRange<Int>) {
            for day in block { (grid[e][day], grid[f][day]) = (grid[f][day], grid[e][day]) }
        }
        var improved = true
        while improved {
            improved = false
            let requests = shuffled(Array(0..<(instance.onRequests.count + instance.offRequests.count)), &random)
            for index in requests {
                guard DispatchTime.now().uptimeNanoseconds < deadline else { return grid }
                let isOn = index < instance.onRequests.count
                let request = isOn ? instance.onRequests[index] : instance.offRequests[index - instance.onRequests.count]
                let (e, day) = (request.employee, request.day)
                guard requestCost[e][day][grid[e][day] + 1] > 0 else { continue }
                // Partners: on the requested shift that day (on), or anyone not on it (off).
                let partners = instance.employees.indices.filter { f in
                    f != e && (isOn ? grid[f][day] == request.shift : grid[f][day] != request.shift)
                }
                search: for f in shuffled(partners, &random) {
                    for length in 1...longest {
                        for first in max(0, day - length + 1)...min(day, days - length) {
                            let block = first...(first + length - 1)
                            let before = cost(e, block) + cost(f, block)
                            trade(e, f, block)
                            if cost(e, block) + cost(f, block) < before, hardUnits(grid[e], e) == 0, hardUnits(grid[f], f) == 0 {
                                improved = true
                                break search
                            }
                            trade(e, f, block)
                        }
                    }
                }
            }
        }
        return grid
    }
}
