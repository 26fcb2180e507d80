/// A small linear program: minimise c·x subject to A x = b, x ≥ 0, solved by the revised simplex method
/// with an explicit dense basis inverse (the column-generation masters here have a few hundred rows and
/// sparse columns that keep arriving). Dantzig pricing; after a long run of pivots that do not move the
/// objective, Bland's rule for the rest of the call, so the method cannot cycle.
struct RevisedSimplex {
    struct Column {
        var cost: Double
        var rows: [Int]
        var values: [Double]
    }

    enum Status { case optimal, unbounded, singular, pivotLimit }

    let rowCount: Int
    /// The right-hand side as given, and as solved (perturbed, see init).
    let requested: [Double]
    private(set) var rightHandSide: [Double]
    private(set) var columns: [Column] = []
    /// The column basic in each row, the basis inverse (row-major) and the basic values.
    private(set) var basis: [Int] = []
    private var inverse: [Double] = []
    private(set) var basicValues: [Double] = []
    private var basicRow: [Int] = []
    private var pivotsSinceRefactor = 0
    /// Smaller step elements are noise: pivoting on them would wreck the inverse.
    static let pivotTolerance = 1e-7

    init(rightHandSide: [Double]) {
        rowCount = rightHandSide.count
        requested = rightHandSide
        // A tiny distinct perturbation of each row breaks the ties that make set-partitioning masters
        // degenerate (endless pivots that do not move the objective). It moves the optimum by far less
        // than a unit of penalty; bounds are taken against the right-hand side as given (dualObjective).
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        self.rightHandSide = rightHandSide.map { value in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return value + 1e-7 * (1 + Double(state >> 44) / Double(1 << 20))
        }
    }

    @discardableResult
    mutating func add(_ column: Column) -> Int {
        columns.append(column)
        basicRow.append(-1)
        return columns.count - 1
    }

    /// Starts from one column per row whose values must be non-negative. False when they are not a basis.
    mutating func start(basis: [Int]) -> Bool {
        precondition(basis.count == rowCount)
        for column in self.basis { basicRow[column] = -1 }
        self.basis = basis
        for (row, column) in basis.enumerated() { basicRow[column] = row }
        return refactor() && basicValues.allSatisfy { $0 > -1e-5 }
    }

    /// Inverts the basis afresh (Gauss-Jordan with partial pivoting) and recomputes the basic values.
    mutating func refactor() -> Bool {
        let m = rowCount
        var matrix = Array(repeating: 0.0, count: m * m)
        for (position, column) in basis.enumerated() {
            for (row, value) in zip(columns[column].rows, columns[column].values) { matrix[row * m + position] = value }
        }
        var result = Array(repeating: 0.0, count: m * m)
        for i in 0..<m { result[i * m + i] = 1 }
        let invertible = matrix.withUnsafeMutableBufferPointer { a in
            result.withUnsafeMutableBufferPointer { r in
                for pivotColumn in 0..<m {
                    var pivotRow = pivotColumn
                    for row in pivotColumn..<m where abs(a[row * m + pivotColumn]) > abs(a[pivotRow * m + pivotColumn]) { pivotRow = row }
                    let pivot = a[pivotRow * m + pivotColumn]
                    if abs(pivot) < 1e-12 { return false }
                    if pivotRow != pivotColumn {
                        for k in 0..<m {
                            a.swapAt(pivotRow * m + k, pivotColumn * m + k)
                            r.swapAt(pivotRow * m + k, pivotColumn * m + k)
                        }
                    }
                    let p = pivotColumn * m
                    for k in pivotColumn..<m { a[p + k] /= pivot }
                    for k in 0..<m { r[p + k] /= pivot }
                    for row in 0..<m where row != pivotColumn {
                        let factor = a[row * m + pivotColumn]
                        if factor == 0 { continue }
                        // Columns left of the pivot are already eliminated in the pivot row.
                        for k in pivotColumn..<m { a[row * m + k] -= factor * a[p + k] }
                        for k in 0..<m where r[p + k] != 0 { r[row * m + k] -= factor * r[p + k] }
                    }
                }
                return true
            }
        }
        if !invertible { return false }
        inverse = result
        basicValues = (0..<m).map { row in (0..<m).reduce(0.0) { $0 + result[row * m + $1] * rightHandSide[$1] } }
        pivotsSinceRefactor = 0
        return true
    }

    /// Dual prices of the rows: c_B B⁻¹.
    func duals() -> [Double] {
        let m = rowCount
        var prices = Array(repeating: 0.0, count: m)
        for (position, column) in basis.enumerated() {
            let cost = columns[column].cost
            if cost == 0 { continue }
            for k in 0..<m { prices[k] += cost * inverse[position * m + k] }
        }
        return prices
    }

    /// The dual objective of `prices` against the right-hand side as given: a lower bound on the program's
    /// optimum when the prices are dual feasible (every column's reduced cost non-negative).
    func dualObjective(_ prices: [Double]) -> Double { zip(prices, requested).reduce(0.0) { $0 + $1.0 * $1.1 } }

    func reducedCost(_ column: Int, _ prices: [Double]) -> Double {
        var cost = columns[column].cost
        for (row, value) in zip(columns[column].rows, columns[column].values) { cost -= prices[row] * value }
        return cost
    }

    /// The value of a column in the current basic solution.
    func value(_ column: Int) -> Double { basicRow[column] >= 0 ? max(0, basicValues[basicRow[column]]) : 0 }

    var objective: Double { zip(basis, basicValues).reduce(0.0) { $0 + columns[$1.0].cost * $1.1 } }

    mutating func optimise(maxPivots: Int = 100_000) -> Status {
        let m = rowCount
        var degenerateRun = 0, bland = false
        var direction = Array(repeating: 0.0, count: m)
        for _ in 0..<maxPivots {
            let prices = duals()
            if degenerateRun > 50 { bland = true }
            var entering = -1, best = -1e-7
            for column in columns.indices where basicRow[column] < 0 {
                let cost = reducedCost(column, prices)
                if cost < best {
                    (entering, best) = (column, cost)
                    if bland { break }
                }
            }
            if entering < 0 { return .optimal }
            for i in 0..<m { direction[i] = 0 }
            for (row, value) in zip(columns[entering].rows, columns[entering].values) {
                for i in 0..<m { direction[i] += inverse[i * m + row] * value }
            }
            // Ratio test; among ties the largest step element (stable), or under Bland the lowest column.
            var leaving = -1, ratio = Double.infinity
            for i in 0..<m where direction[i] > Self.pivotTolerance {
                let candidate = max(0, basicValues[i]) / direction[i]
                if leaving < 0 || candidate < ratio - 1e-12 {
                    (leaving, ratio) = (i, candidate)
                } else if candidate < ratio + 1e-12 {
                    let better = bland ? basis[i] < basis[leaving] : direction[i] > direction[leaving]
                    if better { (leaving, ratio) = (i, min(ratio, candidate)) }
                }
            }
            if leaving < 0 { return .unbounded }
            degenerateRun = ratio < 1e-11 ? degenerateRun + 1 : 0
            pivot(entering: entering, leaving: leaving, direction: direction, step: ratio)
            if pivotsSinceRefactor >= 100, !refactor() { return .singular }
        }
        return .pivotLimit
    }

    private mutating func pivot(entering: Int, leaving: Int, direction: [Double], step: Double) {
        let m = rowCount
        for i in 0..<m { basicValues[i] -= step * direction[i] }
        basicValues[leaving] = step
        let pivot = direction[leaving]
        for k in 0..<m { inverse[leaving * m + k] /= pivot }
        for i in 0..<m where i != leaving && direction[i] != 0 {
            let factor = direction[i]
            for k in 0..<m { inverse[i * m + k] -= factor * inverse[leaving * m + k] }
        }
        basicRow[basis[leaving]] = -1
        basis[leaving] = entering
        basicRow[entering] = leaving
        pivotsSinceRefactor += 1
    }
}
