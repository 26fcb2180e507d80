import Foundation
import Testing

@testable import Rostering

/// The long-horizon polish: whole-row best responses and request trades, against rosters worked out by
/// hand, and legal by the row planner tests' own checker on random small instances.
@Suite struct CurtoisPolishTests {
    /// One shift type, one person needed a day (100 short, 1 over); `staff` lines and `onRequests` as given.
    static func instance(days: Int, staff: [String], onRequests: [String]) throws -> CurtoisInstance {
        let lines = ["SECTION_HORIZON", "\(days)", "SECTION_SHIFTS", "D,480,", "SECTION_STAFF"] + staff
            + ["SECTION_SHIFT_ON_REQUESTS"] + onRequests + ["SECTION_COVER"] + (0..<days).map { "\($0),D,1,100,1" }
        return try CurtoisInstance(text: lines.joined(separator: "\n") + "\n", file: "polish.txt")
    }

    static let far = DispatchTime.now().uptimeNanoseconds + 600_000_000_000

    /// Two weeks, nobody on duty (1,400 short, 14 for B's requests). B asks for the second week (weight 2 a
    /// day) and may work seven days. If A moves first it takes every day, B then its week (one over a day
    /// beats a request unmet), and A gives that week back; if B moves first it takes its week and A the
    /// other. The only roster of penalty 0: A the first week, B the second.
    @Test func bestResponsesReachTheRosterWorkedOutByHand() throws {
        let staff = ["A,D=14,100000,0,14,1,1,2", "B,D=7,100000,0,14,1,1,2"]
        let instance = try Self.instance(days: 14, staff: staff, onRequests: (7..<14).map { "B,\($0),D,2" })
        let solver = CurtoisSolver(instance: instance)
        for seed in 1...4 {
            var random = SplitMix(seed: UInt64(seed))
            let start = Array(repeating: Array(repeating: -1, count: 14), count: 2)
            #expect(solver.penalty(start) == 1_414)
            let grid = solver.polish(start, until: Self.far, &random)
            #expect(grid == [Array(repeating: 0, count: 7) + Array(repeating: -1, count: 7), Array(repeating: -1, count: 7) + Array(repeating: 0, count: 7)],
                    "seed \(seed): \(grid)")
            #expect(solver.penalty(grid) == 0)
        }
    }

    /// A week covered by A alone; B asks for Wednesday (weight 5). Trading that one day grants it and
    /// leaves every day's cover as it was. Where B may not work the shift at all, no trade is made.
    @Test func aTradeGrantsARequestAndLeavesTheCover() throws {
        let working = Array(repeating: 0, count: 7), resting = Array(repeating: -1, count: 7)
        let instance = try Self.instance(days: 7, staff: ["A,D=7,100000,0,7,1,1,2", "B,D=7,100000,0,7,1,1,2"], onRequests: ["B,3,D,5"])
        let solver = CurtoisSolver(instance: instance)
        var random = SplitMix(seed: 1)
        #expect(solver.penalty([working, resting]) == 5)
        let traded = solver.swapBlocks([working, resting], until: Self.far, &random)
        #expect(traded == [[0, 0, 0, -1, 0, 0, 0], [-1, -1, -1, 0, -1, -1, -1]])
        #expect(solver.penalty(traded) == 0)

        let unable = try Self.instance(days: 7, staff: ["A,D=7,100000,0,7,1,1,2", "B,D=0,100000,0,7,1,1,2"], onRequests: ["B,3,D,5"])
        #expect(CurtoisSolver(instance: unable).swapBlocks([working, resting], until: Self.far, &random) == [working, resting])
    }

    /// Random ten-day instances from an empty roster: the polished roster keeps every staff rule by the
    /// row planner tests' checker and costs no more than the roster it started from.
    @Test(arguments: 1...20)
    func polishedRostersAreLegal(_ seed: Int) throws {
        let instance = try CurtoisRowPlannerTests.instance(seed: seed)
        let solver = CurtoisSolver(instance: instance)
        var random = SplitMix(seed: UInt64(seed))
        let start = Array(repeating: Array(repeating: -1, count: instance.days), count: instance.employees.count)
        let grid = solver.polish(start, until: Self.far, &random)
        for e in grid.indices where grid[e] != start[e] {
            #expect(CurtoisRowPlannerTests.legal(grid[e], instance.employees[e], instance), "seed \(seed), employee \(e): \(grid[e])")
        }
        #expect(solver.penalty(grid) <= solver.penalty(start))
    }
}
