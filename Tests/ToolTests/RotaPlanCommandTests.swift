import Foundation
import TestSupport
import Testing

/// rota-plan on the territory example, checked by a rule checker written here from the rules (not the
/// solver's own), by Python's icalendar for the calendars, and on impossible and repaired variants.
@Suite(.serialized) struct RotaPlanCommandTests {
    static let example = TestPaths.repository.appendingPathComponent("examples/territory.yaml")

    struct Assignment {
        let date: String, duty: String, person: String
        let start: Int, end: Int  // minutes from 2027-01-01 00:00
        let day: Int
    }

    /// Reads rota.csv: times from its start/end columns, days from its dates.
    static func assignments(_ csv: String) -> [Assignment] {
        let origin = day("2027-01-01")
        return csv.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let d = day(f[0]) - origin
            let start = d * 1440 + minutes(f[4])
            var end = d * 1440 + minutes(f[5])
            if end <= start { end += 1440 }
            return Assignment(date: f[0], duty: f[1], person: f[3], start: start, end: end, day: d)
        }
    }

    static func day(_ text: String) -> Int {
        let p = text.split(separator: "-").map { Int($0)! }
        var components = DateComponents()
        (components.year, components.month, components.day) = (p[0], p[1], p[2])
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return Int(calendar.date(from: components)!.timeIntervalSince1970 / 86_400)
    }

    static func minutes(_ text: String) -> Int {
        let p = text.split(separator: ":").map { Int($0)! }
        return p[0] * 60 + p[1]
    }

    /// Leave of each person, from the example's `unavailable:` lines.
    static func leave(_ yaml: String) -> [String: Set<Int>] {
        var result: [String: Set<Int>] = [:]
        var person = ""
        let origin = day("2027-01-01")
        for line in yaml.split(separator: "\n") {
            if line.hasPrefix("  - id: ") { person = String(line.dropFirst(8)) }
            guard line.contains("unavailable: [") else { continue }
            let inside = line.split(separator: "[")[1].split(separator: "]")[0]
            for range in inside.split(separator: ",") {
                let ends = range.trimmingCharacters(in: .whitespaces).components(separatedBy: "..")
                for d in day(ends[0])...day(ends.count > 1 ? ends[1] : ends[0]) { result[person, default: []].insert(d - origin) }
            }
        }
        return result
    }

    /// Every hard rule of the example, checked on the CSV; returns the violations found.
    static func violations(_ rota: [Assignment], leave: [String: Set<Int>]) -> [String] {
        var found: [String] = []
        let nightDuties: Set<String> = ["garde-nuit-chub", "lecture-nuit-chm", "astreinte-avc"]
        let restAfter: Set<String> = ["garde-nuit-chub", "lecture-nuit-chm"]
        let allowed: [Character: Set<String>] = [
            "B": ["garde-nuit-chub", "garde-we-chub", "lecture-nuit-chm", "astreinte-avc"],
            "R": ["astreinte-avc"], "M": ["astreinte-we-chm", "garde-nuit-chub"],
        ]
        for a in rota {
            if a.person.isEmpty { found.append("\(a.date) \(a.duty) unfilled"); continue }
            if leave[a.person]?.contains(a.day) == true { found.append("\(a.person) on leave \(a.date)") }
            if !(allowed[a.person.first!] ?? []).contains(a.duty) { found.append("\(a.person) may not take \(a.duty)") }
            if a.duty == "astreinte-avc" && a.person.hasPrefix("B") && Int(a.person.dropFirst())! > 5 { found.append("\(a.person) not neuro") }
        }
        for (person, list) in Dictionary(grouping: rota.filter { !$0.person.isEmpty }, by: \.person) {
            let sorted = list.sorted { $0.start < $1.start }
            for (i, a) in sorted.enumerated() {
                for b in sorted[(i + 1)...] where b.start < a.end + 2 * 1440 {
                    if b.start < a.end { found.append("\(person) overlap \(a.date) \(a.duty) / \(b.duty)") }
                    if restAfter.contains(a.duty) && b.start < a.end + 11 * 60 { found.append("\(person) no rest after \(a.date) \(a.duty)") }
                    if a.duty.hasPrefix("garde") && b.day == a.end / 1440 { found.append("\(person) works the day after \(a.date) \(a.duty)") }
                    if nightDuties.contains(a.duty) && nightDuties.contains(b.duty) && b.day - a.day < 2 { found.append("\(person) nights \(a.date) and \(b.date)") }
                }
            }
            let days = Set(sorted.map(\.day)).sorted()
            var run = 1
            for (x, y) in zip(days, days.dropFirst()) {
                run = y == x + 1 ? run + 1 : 1
                if run > 3 { found.append("\(person) more than 3 days in a row up to day \(y)") }
            }
            if person.hasPrefix("M") {
                for (month, count) in Dictionary(grouping: sorted, by: { $0.date.prefix(7) }).mapValues(\.count) where count > 6 {
                    found.append("\(person) \(count) duties in \(month)")
                }
            }
        }
        return found
    }

    @Test func territoryExampleSolvesLegallyAndFairlyAndExports() throws {
        let out = try TestPaths.temporaryFolder("rota")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try Processes.tool("rota-plan", ["solve", Self.example.path, "-o", out.path, "--json", "--seed", "3"])
        #expect(run.status == 0, "\(run.stderr)")
        let csv = try String(contentsOf: out.appendingPathComponent("rota.csv"), encoding: .utf8)
        let rota = Self.assignments(csv)
        #expect(rota.count == 1317)
        let problems = Self.violations(rota, leave: Self.leave(try String(contentsOf: Self.example, encoding: .utf8)))
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        // Nights per FTE, recomputed here: max - min at most 1 among the people who take nights.
        let fte: [String: Double] = ["B13": 0.8, "B15": 0.5, "M08": 0.8]
        let history: [String: Double] = try Self.nightHistory(String(contentsOf: Self.example, encoding: .utf8))
        var nights: [String: Double] = [:]
        for a in rota where ["garde-nuit-chub", "lecture-nuit-chm", "astreinte-avc"].contains(a.duty) { nights[a.person, default: 0] += 1 }
        let perFTE = nights.map { ($0.value + (history[$0.key] ?? 0)) / (fte[$0.key] ?? 1) }
        #expect(perFTE.max()! - perFTE.min()! <= 1.0 + 1e-9, "\(perFTE.sorted())")
        let summary = try #require(run.stdoutText.split(separator: "\n").last)
        #expect(summary.contains("\"unfilled\":0"))
        // The month view has the twelve months; every person has a calendar.
        let html = try String(contentsOf: out.appendingPathComponent("month-view.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "<h2>").count == 13)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("calendars").path).count == 31)
        // Calendars as Python's icalendar reads them: one event per assignment, local times converted to UTC.
        let python = try #require(Processes.which("python3"))
        let script = """
            import sys, icalendar
            calendar = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            events = [e for e in calendar.walk('VEVENT')]
            first = min(events, key=lambda e: e.decoded('DTSTART'))
            print(len(events), first.decoded('DTSTART').isoformat(), first.decoded('DTEND').isoformat())
            """
        let parsed = try Processes.run(python, ["-c", script, out.appendingPathComponent("calendars/all.ics").path])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        // 2027-01-01 08:30 in Paris (winter, UTC+1) is 07:30 UTC: the first duty of the year.
        #expect(parsed.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "1317 2027-01-01T07:30:00+00:00 2027-01-01T17:30:00+00:00")
    }

    static func nightHistory(_ yaml: String) -> [String: Double] {
        var result: [String: Double] = [:]
        for line in yaml.split(separator: "\n") where line.contains("{nights: ") && line.hasPrefix("  ") && !line.contains("weights") {
            let id = line.trimmingCharacters(in: .whitespaces).split(separator: ":")[0]
            let value = line.components(separatedBy: "nights: ")[1].split(separator: ",")[0]
            result[String(id)] = Double(value)
        }
        return result
    }

    @Test func sameSeedSameRota() throws {
        let a = try Processes.tool("rota-plan", ["solve", Self.example.path, "--seed", "5", "--iterations", "20000", "-j", "2", "--show", "2027-03"])
        let b = try Processes.tool("rota-plan", ["solve", Self.example.path, "--seed", "5", "--iterations", "20000", "-j", "2", "--show", "2027-03"])
        let c = try Processes.tool("rota-plan", ["solve", Self.example.path, "--seed", "6", "--iterations", "20000", "-j", "2", "--show", "2027-03"])
        #expect(a.status == 0 && a.stdoutText == b.stdoutText)
        #expect(a.stdoutText != c.stdoutText)
        #expect(a.stdoutText.contains("2027-03-01 mon"))
    }

    @Test func repairChangesOnlyWhatTheNewLeaveBreaks() throws {
        let out = try TestPaths.temporaryFolder("repair")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try Processes.tool("rota-plan", ["solve", Self.example.path, "-o", out.appendingPathComponent("v1").path]).status == 0)
        let published = out.appendingPathComponent("v1/rota.csv")
        let before = Self.assignments(try String(contentsOf: published, encoding: .utf8))
        let sick = before.filter { $0.person == "B03" && $0.date >= "2027-03-01" && $0.date <= "2027-03-07" }
        #expect(!sick.isEmpty)
        let run = try Processes.tool("rota-plan", ["repair", Self.example.path, "--published", published.path,
                                                   "--unavailable", "B03:2027-03-01..2027-03-07", "-o", out.appendingPathComponent("v2").path])
        #expect(run.status == 0, "\(run.stderr)")
        let after = Self.assignments(try String(contentsOf: out.appendingPathComponent("v2/rota.csv"), encoding: .utf8))
        var leave = Self.leave(try String(contentsOf: Self.example, encoding: .utf8))
        for d in 59...65 { leave["B03", default: []].insert(d) }
        #expect(Self.violations(after, leave: leave).isEmpty)
        let changed = zip(before, after).filter { $0.person != $1.person }
        // Every slot B03 had that week moves; a few neighbours may move to make room; nothing else does.
        #expect(changed.count >= sick.count && changed.count <= sick.count * 3, "\(changed.count) changes for \(sick.count) freed slots")
        #expect(run.stdoutText.split(separator: "\n").count == changed.count)
        #expect(run.stdoutText.contains("B03 -> "))
    }

    @Test func impossibleVariantIsExplained() throws {
        let folder = try TestPaths.temporaryFolder("impossible")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Everyone who holds the Morlaix weekend astreinte is away on 2027-02-14.
        var yaml = try String(contentsOf: Self.example, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "    max-per-month: 6\n    unavailable: [", with: "    max-per-month: 6\n    unavailable: [2027-02-14, ")
        let file = folder.appendingPathComponent("impossible.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let run = try Processes.tool("rota-plan", ["solve", file.path, "--iterations", "20000"])
        #expect(run.status == 1)
        let line = try #require(run.stderrLines.first { $0.contains("2027-02-14") && $0.contains("astreinte-we-chm") })
        #expect(line.contains("0 eligible") && line.contains("M01 on leave") && line.contains("M08 on leave"), "\(line)")
    }

    @Test func errorsInTheFileNameTheLineAndTheField() throws {
        let folder = try TestPaths.temporaryFolder("rota-errors")
        defer { try? FileManager.default.removeItem(at: folder) }
        var yaml = try String(contentsOf: Self.example, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "duties: [astreinte-avc]", with: "duties: [astreinte-avc, astreinte-xyz]")
        let file = folder.appendingPathComponent("bad.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let run = try Processes.tool("rota-plan", ["solve", file.path])
        #expect(run.status == 2)
        let expectedLine = yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("astreinte-xyz") }! + 1
        #expect(run.stderr.contains("bad.yaml:\(expectedLine):") && run.stderr.contains("people[16].duties[1]") && run.stderr.contains("astreinte-xyz"),
                "\(run.stderr)")
        try yaml.replacingOccurrences(of: "fte: 50", with: "fte: half").write(to: file, atomically: true, encoding: .utf8)
        let typed = try Processes.tool("rota-plan", ["solve", file.path])
        #expect(typed.status == 2 && typed.stderr.contains("people[14].fte"), "\(typed.stderr)")
        // A typo in the year (found by fuzzing: 4,000 years of slots never finished) is an error on its line.
        try yaml.replacingOccurrences(of: "end: 2027-12-31", with: "end: 6027-12-31").write(to: file, atomically: true, encoding: .utf8)
        let endless = try Processes.tool("rota-plan", ["solve", file.path])
        #expect(endless.status == 2 && endless.stderr.contains("bad.yaml:5: period.end: at most 1096 days"), "\(endless.stderr)")
    }
}
