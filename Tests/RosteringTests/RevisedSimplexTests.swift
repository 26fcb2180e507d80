import Testing

@testable import Rostering

/// The simplex against linear programs solved by hand.
@Suite struct RevisedSimplexTests {
    func column(_ cost: Double, _ entries: [Int: Double]) -> RevisedSimplex.Column {
        let rows = entries.keys.sorted()
        return .init(cost: cost, rows: rows, values: rows.map { entries[$0]! })
    }

    /// min -x - 2y with x + y <= 4, x + 3y <= 6: the vertices (0,2), (3,1), (4,0) give -4, -5, -4, so the
    /// optimum is -5 at (3,1); the duals solve pi B = c_B for the basis {x, y}: both -1/2.
    @Test func aTwoVariableProgramReachesItsBestVertex() {
        var lp = RevisedSimplex(rightHandSide: [4, 6])
        let x = lp.add(column(-1, [0: 1, 1: 1])), y = lp.add(column(-2, [0: 1, 1: 3]))
        let slacks = [lp.add(column(0, [0: 1])), lp.add(column(0, [1: 1]))]
        let started = lp.start(basis: slacks)
        #expect(started)
        let status = lp.optimise()
        #expect(status == .optimal)
        #expect(abs(lp.objective + 5) < 1e-4)
        #expect(abs(lp.value(x) - 3) < 1e-4 && abs(lp.value(y) - 1) < 1e-4)
        let duals = lp.duals()
        #expect(abs(duals[0] + 0.5) < 1e-9 && abs(duals[1] + 0.5) < 1e-9)
    }

    /// A 3 x 3 assignment (degenerate: every basis has zeros) from artificial columns of cost 1000. Costs
    /// [[4,1,3],[2,0,5],[3,2,2]]: of the six permutations (6, 7, 9, 5, 11, 6 by hand) the best is 1+2+2 = 5.
    @Test func aDegenerateAssignmentFindsTheCheapestPermutation() {
        let costs: [[Double]] = [[4, 1, 3], [2, 0, 5], [3, 2, 2]]
        var lp = RevisedSimplex(rightHandSide: Array(repeating: 1, count: 6))
        let artificial = (0..<6).map { lp.add(column(1000, [$0: 1])) }
        var pair: [Int: (Int, Int)] = [:]
        for worker in 0..<3 {
            for task in 0..<3 { pair[lp.add(column(costs[worker][task], [worker: 1, 3 + task: 1]))] = (worker, task) }
        }
        let started = lp.start(basis: artificial)
        #expect(started)
        let status = lp.optimise()
        #expect(status == .optimal)
        #expect(abs(lp.objective - 5) < 1e-3)
        let chosen = pair.filter { lp.value($0.key) > 0.5 }.values.map { [$0.0, $0.1] }.sorted { $0[0] < $1[0] }
        #expect(chosen == [[0, 1], [1, 0], [2, 2]])
    }

    /// An unbounded program says so: min -x with x - y = 1 (x and y can grow together without end).
    @Test func anUnboundedProgramIsReported() {
        var lp = RevisedSimplex(rightHandSide: [1])
        let x = lp.add(column(-1, [0: 1]))
        lp.add(column(0, [0: -1]))
        let started = lp.start(basis: [x])
        #expect(started)
        let status = lp.optimise()
        #expect(status == .unbounded)
    }

    /// A start that is not a basis (two equal columns) is refused.
    @Test func aSingularStartIsRefused() {
        var lp = RevisedSimplex(rightHandSide: [1, 1])
        let a = lp.add(column(1, [0: 1, 1: 1])), b = lp.add(column(2, [0: 1, 1: 1]))
        let started = lp.start(basis: [a, b])
        #expect(!started)
    }
}
