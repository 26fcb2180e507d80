import Foundation
import Testing

@testable import Rostering

/// The lower bound is a bound: on small rotas every legal rota is enumerated, and none costs less than it;
/// where availability forces unfairness, the bound sees it.
@Suite struct FairnessBoundTests {
    static func model(_ people: String, days: Int = 8, spread: Double = 0) throws -> RotaModel {
        let yaml = """
            period: {start: 2027-03-01, end: 2027-03-\(String(format: "%02d", days))}
            rules: {max-consecutive-days: 7, min-days-between-nights: 1}
            weights: {nights: 4, weekends: 3, holidays: 3, duties: 1, wishes: 1, spread: \(spread)}
            sites: [{id: S}]
            duties:
              - {id: day, site: S, kind: astreinte, start: "08:00", end: "18:00"}
            people:
            \(people)
            """
        return try RotaModel(try RotaInput.load(yaml: yaml, file: "small.yaml"), yaml: yaml, file: "small.yaml")
    }

    /// The least objective over every legal rota (3^8 of them at most), by enumeration.
    static func bruteForceMinimum(_ model: RotaModel) -> Double {
        let people = model.people.count, slots = model.slots.count
        var best = Double.infinity
        var choice = Array(repeating: 0, count: slots)
        while true {
            var roster = Roster(model: model)
            var legal = true
            for slot in 0..<slots where choice[slot] < people {
                if roster.violation(choice[slot], slot) != nil { legal = false; break }
                roster.assign(slot, to: choice[slot])
            }
            if legal { best = min(best, roster.totalCost) }
            // The next choice: each slot goes to a person, or to nobody (index `people`).
            var position = 0
            while position < slots {
                choice[position] += 1
                if choice[position] <= people { break }
                choice[position] = 0
                position += 1
            }
            if position == slots { return best }
        }
    }

    func check(_ model: RotaModel, tight: Bool) {
        let minimum = Self.bruteForceMinimum(model)
        let bound = FairnessBound(model: model).value
        #expect(bound >= 0 && bound <= minimum + 1e-6, "bound \(bound) above the least objective \(minimum)")
        if tight { #expect(bound > 0.5 * minimum, "bound \(bound) far below the least objective \(minimum)") }
    }

    /// Equal people, no leave: the relaxation reaches its targets (bound 0); the integers cannot.
    @Test func equalPeople() throws {
        check(try Self.model("  - {id: A, site: S, duties: [day]}\n  - {id: B, site: S, duties: [day]}\n  - {id: C, site: S, duties: [day]}"), tight: false)
    }

    /// Leave makes the fair share impossible: A is away six days of eight, C works half time.
    @Test func leaveForcesUnfairness() throws {
        check(try Self.model("""
              - {id: A, site: S, duties: [day], unavailable: [2027-03-01..2027-03-06]}
              - {id: B, site: S, duties: [day]}
              - {id: C, site: S, duties: [day], fte: 50}
            """), tight: true)
    }

    /// History: B carried twelve duties over from last year; eight days cannot even it out.
    @Test func historyCarriedOver() throws {
        check(try Self.model("  - {id: A, site: S, duties: [day]}\n  - {id: B, site: S, duties: [day]}\nhistory: {B: {duties: 12}}"), tight: true)
    }

    /// The territory example: the solver's rota within 5% of the bound (the issue's target in 10 s).
    @Test func theTerritoryRotaIsWithinFivePercentOfItsBound() throws {
        let file = SolverChainsTests.repository.appendingPathComponent("examples/territory.yaml").path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let model = try RotaModel(try RotaInput.load(yaml: text, file: file), yaml: text, file: file)
        var options = RotaSolver.Options()
        (options.seed, options.timeLimitSeconds) = (1, 10)
        let outcome = RotaSolver(options: options).solve(Roster(model: model))
        let bound = FairnessBound(model: model)
        #expect(bound.unfillable == 0)
        #expect(bound.value <= outcome.roster.totalCost)
        let gap = try #require(bound.gap(outcome.roster.totalCost))
        #expect(gap < 0.05, "objective \(outcome.roster.totalCost), bound \(bound.value)")
    }
}
