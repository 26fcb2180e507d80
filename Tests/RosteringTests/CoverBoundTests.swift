import Foundation
import Testing

@testable import Rostering

/// The bound printed where column generation does not apply: the shortfalls the staff cannot cover.
@Suite struct CoverBoundTests {
    /// Two days; day 0 needs three on E but only A may work it (B is off); day 1 needs four people in all
    /// and only two work: 2 x 100 on day 0, and on day 1 the larger of 0 per shift and 2 x 10 per day.
    @Test func handComputed() throws {
        let text = """
            SECTION_HORIZON
            2
            SECTION_SHIFTS
            E,480,
            L,480,
            SECTION_STAFF
            A,E=2|L=2,10000,0,5,1,1,1
            B,E=2|L=2,10000,0,5,1,1,1
            SECTION_DAYS_OFF
            B,0
            SECTION_SHIFT_ON_REQUESTS
            SECTION_SHIFT_OFF_REQUESTS
            SECTION_COVER
            0,E,3,100,1
            0,L,0,100,1
            1,E,2,10,1
            1,L,2,30,1
            """
        let instance = try CurtoisInstance(text: text, file: "small.txt")
        #expect(CurtoisSolver(instance: instance).coverBound == 2 * 100 + 2 * 10)
    }

    /// On the published instances, never above the best known (proven optimal) penalty.
    @Test(arguments: [(1, 607), (2, 828), (3, 1001), (4, 1716), (5, 1143), (6, 1950), (7, 1056), (8, 1300), (9, 439), (10, 4631)])
    func neverAboveTheBestKnown(_ number: Int, _ best: Int) throws {
        let path = SolverChainsTests.repository.appendingPathComponent("Tests/Fixtures/rota/curtois/Instance\(number).txt").path
        let instance = try CurtoisInstance(text: try String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(CurtoisSolver(instance: instance).coverBound <= Double(best))
    }
}
