import Testing

@testable import Rostering

/// Bad benchmark files: one error naming the file, the line and the cause; numbers bounded so that no sum of
/// penalties or minutes can overflow.
@Suite struct CurtoisInstanceTests {
    static let good = [
        "SECTION_HORIZON", "7", "SECTION_SHIFTS", "D,480,", "SECTION_STAFF", "A,D=7,2400,0,5,1,1,1",
        "SECTION_DAYS_OFF", "A,2", "SECTION_SHIFT_ON_REQUESTS", "A,1,D,2", "SECTION_SHIFT_OFF_REQUESTS", "A,4,D,1",
        "SECTION_COVER", "0,D,1,100,1",
    ]

    @Test func theGoodFileReads() throws {
        let instance = try CurtoisInstance(text: Self.good.joined(separator: "\n"), file: "ok.txt")
        #expect(instance.days == 7 && instance.employees[0].daysOff == [2] && instance.cover[0][0].underWeight == 100)
    }

    @Test(arguments: [
        (3, "D,-5,", "ok.txt:4: shift minutes must be 0 to 100000"),
        (5, "A,D=7,2400,0,5,1,1,-1", "ok.txt:6: staff limits must be numbers from 0 to 1000000000"),
        (7, "A,9", "ok.txt:8: day 9 outside the horizon"),
        (9, "A,1,D,9223372036854775807", "ok.txt:10: weight must be 0 to 1000000"),
        (11, "B,4,D,1", "ok.txt:12: unknown employee, day or shift"),
        (13, "0,D,1,100,2000000", "ok.txt:14: requirement must be 0 to 100000, weights 0 to 1000000"),
        (13, "0,D,200000,1,1", "ok.txt:14: requirement must be 0 to 100000, weights 0 to 1000000"),
    ])
    func aBadLineIsNamed(_ line: Int, _ text: String, _ message: String) {
        var lines = Self.good
        lines[line] = text
        let error = #expect(throws: RotaError.self) { try CurtoisInstance(text: lines.joined(separator: "\n"), file: "ok.txt") }
        #expect(error?.description == message)
    }
}
