import Foundation
import TestSupport
import Testing

/// Fairness across years: what a person took beyond the fairest rota of 2027 is carried into 2028
/// (--history 2027/fairness.csv) and evened out there; the month view shows the ledger per person and per
/// duty. Counts are read back from the CSVs here.
@Suite struct RotaLedgerTests {
    static func fairness(_ folder: URL) throws -> [String: [String: Double]] {
        let lines = try String(contentsOf: folder.appendingPathComponent("fairness.csv"), encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        var result: [String: [String: Double]] = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            result[fields[0]] = Dictionary(uniqueKeysWithValues: zip(header, fields).compactMap { key, value in Double(value).map { (key, $0) } })
        }
        return result
    }

    /// Nights of `person` in a rota.csv.
    static func nights(_ folder: URL, _ person: String) throws -> Int {
        try String(contentsOf: folder.appendingPathComponent("rota.csv"), encoding: .utf8).split(separator: "\n").filter { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return f.count > 3 && f[3] == person && ["garde-nuit-chub", "lecture-nuit-chm", "astreinte-avc"].contains(String(f[1]))
        }.count
    }

    @Test func aYearOfLeaveIsEvenedOutTheNextYear() throws {
        let folder = try TestPaths.temporaryFolder("ledger")
        defer { try? FileManager.default.removeItem(at: folder) }
        // 2027: B01 away ten months (a wishes file); the rota cannot give B01 a fair share of nights.
        let leave = folder.appendingPathComponent("leave.csv")
        try "person,date,kind\nB01,2027-01-01..2027-10-31,leave\n".write(to: leave, atomically: true, encoding: .utf8)
        let year1 = folder.appendingPathComponent("2027"), year2 = folder.appendingPathComponent("2028"), plain = folder.appendingPathComponent("2028-plain")
        let first = try Processes.tool("rota-plan", ["solve", RotaPlanCommandTests.example.path, "--wishes", leave.path, "-o", year1.path, "--seed", "1", "-q"])
        #expect(first.status == 0, "\(first.stderr)")
        let ledger = try Self.fairness(year1)
        let owed = try #require(ledger["B01"]?["nights_carry"])
        #expect(owed < -10, "B01 took \(-owed) nights fewer than the fairest 2027 rota allowed")
        // 2028: the same territory without leave; solved with and without the ledger.
        let yaml = try String(contentsOf: RotaPlanCommandTests.example, encoding: .utf8).split(separator: "\n")
            .filter { !$0.contains("unavailable:") }.joined(separator: "\n").replacingOccurrences(of: "2027-", with: "2028-")
        let file2028 = folder.appendingPathComponent("territory-2028.yaml")
        try yaml.write(to: file2028, atomically: true, encoding: .utf8)
        let carried = try Processes.tool("rota-plan", ["solve", file2028.path, "--history", year1.appendingPathComponent("fairness.csv").path, "-o", year2.path, "--seed", "1", "-q"])
        #expect(carried.status == 0, "\(carried.stderr)")
        let fresh = try Processes.tool("rota-plan", ["solve", file2028.path, "-o", plain.path, "--seed", "1", "-q"])
        #expect(fresh.status == 0, "\(fresh.stderr)")
        let others = (2...16).map { String(format: "B%02d", $0) }.filter { $0 != "B13" && $0 != "B15" }  // full-time colleagues
        let average = Double(try others.reduce(0) { $0 + (try Self.nights(year2, $1)) }) / Double(others.count)
        let b01 = Double(try Self.nights(year2, "B01"))
        // B01 takes back most of what was owed (about a night in two of it), the others fewer.
        #expect(b01 - average > -owed / 2, "B01 \(b01) nights in 2028 against \(average) for colleagues; owed \(-owed)")
        let plainB01 = Double(try Self.nights(plain, "B01"))
        #expect(abs(plainB01 - average) < 3, "without the ledger B01 is like the others (\(plainB01))")
        // Over the two years, B01's nights come back within a few of the colleagues'.
        let twoYears = Double(try Self.nights(year1, "B01")) + b01
        let colleagues = Double(try others.reduce(0) { $0 + (try Self.nights(year1, $1)) + (try Self.nights(year2, $1)) }) / Double(others.count)
        #expect(abs(twoYears - colleagues) < abs(Double(try Self.nights(year1, "B01")) + plainB01 - colleagues) / 3)
        // The month view's fairness table: per duty, per category, what was carried in.
        let html = try String(contentsOf: year2.appendingPathComponent("month-view.html"), encoding: .utf8)
        #expect(html.contains("<h2 id=\"fairness\">Fairness</h2>") && html.contains("<th>garde-nuit-chub</th>"))
        #expect(html.contains(String(format: "\u{2212} %.1f = ", -owed)), "the carried credit is shown")

        let broken = folder.appendingPathComponent("broken.csv")
        try "person,nights\nB01,3\n".write(to: broken, atomically: true, encoding: .utf8)
        let refused = try Processes.tool("rota-plan", ["solve", file2028.path, "--history", broken.path, "-o", folder.appendingPathComponent("x").path])
        #expect(refused.status == 2 && refused.stderr.contains("broken.csv:1: no 'nights' and 'nights_target' columns"), "\(refused.stderr)")
    }
}
