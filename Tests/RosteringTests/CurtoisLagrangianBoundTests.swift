import Foundation
import Testing

@testable import Rostering

/// The Lagrangian bound printed where column generation does not apply: never above the proven optimum of
/// a published instance, never below the cover bound's idea of the obvious, and clearly above zero.
@Suite struct CurtoisLagrangianBoundTests {
    @Test(arguments: [(1, 607), (2, 828), (3, 1001), (4, 1716), (5, 1143), (6, 1950), (7, 1056), (8, 1300), (9, 439), (10, 4631)])
    func neverAboveTheBestKnown(_ number: Int, _ best: Int) throws {
        let path = SolverChainsTests.repository.appendingPathComponent("Tests/Fixtures/rota/curtois/Instance\(number).txt").path
        let instance = try CurtoisInstance(text: try String(contentsOfFile: path, encoding: .utf8), file: path)
        var bound = CurtoisLagrangianBound(instance: instance)
        bound.improve(until: DispatchTime.now().uptimeNanoseconds + 3_000_000_000, target: Double(best), maxIterations: 1_500)
        #expect(bound.feasible)
        #expect(bound.best <= Double(best), "instance \(number): \(bound.best)")
        // Instance 9 is the one where pricing the counting rules loses most (its bound stays near zero).
        if number != 9 { #expect(bound.best >= 0.6 * Double(best), "instance \(number): \(bound.best)") }
    }
}
