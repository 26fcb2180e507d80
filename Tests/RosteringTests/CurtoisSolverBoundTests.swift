import Foundation
import Testing

@testable import Rostering

/// The bound the solver reports is the best of those it computed. On a generated twelve-week instance
/// (column generation applies, but its pricing does not converge in time) the root bound came out at
/// -46,786 and was printed as is, below even the trivial bound of zero; the Lagrangian bound now runs on
/// horizons over eight weeks and the best bound wins.
@Suite struct CurtoisSolverBoundTests {
    static func generated(days: Int, staff: Int, shifts: Int, seed: Int) throws -> CurtoisInstance {
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", SolverChainsTests.repository.appendingPathComponent("bench/make-curtois.py").path,
                             "--days", "\(days)", "--staff", "\(staff)", "--shifts", "\(shifts)", "--seed", "\(seed)"]
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try CurtoisInstance(text: String(decoding: data, as: UTF8.self), file: "generated.txt")
    }

    @Test func theBoundIsTheBestComputedAndNeverBelowTheObvious() throws {
        let instance = try Self.generated(days: 84, staff: 30, shifts: 5, seed: 5)
        #expect(CurtoisColumnGeneration.applies(to: instance))
        var solver = CurtoisSolver(instance: instance)
        solver.timeLimitSeconds = 10
        let result = solver.solve()
        let bound = try #require(result.lowerBound)
        #expect(result.hardViolations == 0)
        #expect(bound >= 0 && bound >= solver.coverBound, "\(bound) (\(result.boundSource))")
        #expect(bound <= Double(result.penalty), "\(bound) against \(result.penalty)")
    }
}
