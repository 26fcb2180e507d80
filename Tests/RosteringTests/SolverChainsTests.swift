import Foundation
import Testing

@testable import Rostering

/// The solvers' parallel chains (threads writing their results under one lock), run in process so that
/// `make sanitize-thread` sees them: the same seed gives the same rota whatever the scheduling, and every
/// chain's result is legal.
@Suite struct SolverChainsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func rotaChainsAreReproducibleAndLegal() throws {
        let file = Self.repository.appendingPathComponent("examples/territory.yaml").path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let model = try RotaModel(try RotaInput.load(yaml: text, file: file), yaml: text, file: file)
        var options = RotaSolver.Options()
        (options.chains, options.iterations, options.timeLimitSeconds) = (4, 20_000, 120)
        let first = RotaSolver(options: options).solve(Roster(model: model))
        let second = RotaSolver(options: options).solve(Roster(model: model))
        #expect(first.reproducible && second.reproducible)
        #expect(first.roster.assignee == second.roster.assignee && first.cost == second.cost)
        #expect(first.iterations == 4 * 20_000)
        // Every assignment is one the rules allow (the roster's own check, slot by slot).
        for slot in first.roster.assignee.indices {
            guard let person = first.roster.assignee[slot] else { continue }
            #expect(first.roster.violation(person, slot, ignoring: slot) == nil, "slot \(slot)")
        }
    }

    /// Curtois instance 1 (best known 607, Curtois and Qu 2014): chains on every core never report less
    /// than the best known value, and never break a hard rule.
    @Test func curtoisChainsStayAboveTheBestKnown() throws {
        let path = Self.repository.appendingPathComponent("Tests/Fixtures/rota/curtois/Instance1.txt").path
        let instance = try CurtoisInstance(text: try String(contentsOfFile: path, encoding: .utf8), file: path)
        var solver = CurtoisSolver(instance: instance)
        (solver.chains, solver.timeLimitSeconds) = (4, 2)
        let result = solver.solve()
        #expect(result.hardViolations == 0)
        #expect(result.penalty >= 607, "\(result.penalty) is below the best known 607")
        #expect((result.lowerBound ?? 0) <= 607.5)
    }
}
