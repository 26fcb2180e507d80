import Foundation
import TestSupport
import Testing

/// The rota manager's daily questions on the territory example's published rota: who can take a slot, is an
/// exchange legal, and the wishes spreadsheet. Every answer is checked by the rule checker written in
/// RotaPlanCommandTests from the rules (not the solver's), on the rota with the change applied.
@Suite(.serialized) struct RotaQuestionsTests {
    typealias Assignment = RotaPlanCommandTests.Assignment

    /// The published rota of the example (seed 5): its folder (the caller removes it) and its CSV.
    static func publish() throws -> (folder: URL, csv: String) {
        let folder = try TestPaths.temporaryFolder("rota-questions")
        let run = try Processes.tool("rota-plan", ["solve", RotaPlanCommandTests.example.path, "-o", folder.path, "--seed", "5", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        return (folder, try String(contentsOf: folder.appendingPathComponent("rota.csv"), encoding: .utf8))
    }

    static var leave: [String: Set<Int>] {
        RotaPlanCommandTests.leave(try! String(contentsOf: RotaPlanCommandTests.example, encoding: .utf8))
    }

    static func replacing(_ rota: [Assignment], _ change: (Assignment) -> String?) -> [Assignment] {
        rota.map { a in
            guard let person = change(a) else { return a }
            return Assignment(date: a.date, duty: a.duty, person: person, start: a.start, end: a.end, day: a.day)
        }
    }

    static func events(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Each person who-can lists keeps every rule when given the slot; each one it refuses for a rule the
    /// checker knows breaks it; the list is ranked by the change in fairness.
    @Test func whoCanTakeANightListsExactlyThoseWhoKeepTheRules() throws {
        let published = try Self.publish()
        defer { try? FileManager.default.removeItem(at: published.folder) }
        let rota = RotaPlanCommandTests.assignments(published.csv)
        let night = try #require(rota.first { $0.date == "2027-03-03" && $0.duty == "garde-nuit-chub" })
        let csvPath = published.folder.appendingPathComponent("rota.csv").path
        let result = try Processes.tool("rota-plan", ["who-can", RotaPlanCommandTests.example.path, "garde-nuit-chub", "2027-03-03",
                                                      "--published", csvPath, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let events = Self.events(result.stdoutText)
        let can = events.filter { $0["can"] as? Bool == true }, cannot = events.filter { $0["can"] as? Bool == false }
        #expect(!can.isEmpty && !cannot.isEmpty)
        #expect(can.count + cannot.count == 30 - 1, "everyone but the holder is answered")
        #expect(!events.contains { $0["person"] as? String == night.person })
        let changes = can.compactMap { $0["cost_change"] as? Double }
        #expect(changes == changes.sorted())
        #expect(can.map { $0["rank"] as? Int } == Array(1...can.count))
        for event in can {
            let person = try #require(event["person"] as? String)
            let changed = Self.replacing(rota) { $0.date == night.date && $0.duty == night.duty ? person : nil }
            let problems = RotaPlanCommandTests.violations(changed, leave: Self.leave)
            #expect(problems.isEmpty, "\(person) can take the night, says who-can; the checker: \(problems.prefix(3))")
        }
        // The duties each person holds, read from the example here.
        let yaml = try String(contentsOf: RotaPlanCommandTests.example, encoding: .utf8)
        var holds: [String: Set<String>] = [:], current = ""
        for line in yaml.split(separator: "\n") {
            if line.hasPrefix("  - id: ") { current = String(line.dropFirst(8)) }
            if line.hasPrefix("    duties: [") {
                holds[current] = Set(line.dropFirst(13).dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            }
        }
        let checked = ["on leave", "resting after", "rest before", "the day this garde ends", "off the day after", "night too close",
                       "already on", "days in a row"]
        for event in cannot {
            let person = try #require(event["person"] as? String), reason = try #require(event["reason"] as? String)
            if reason == "does not hold this duty" {
                #expect(holds[person]?.contains("garde-nuit-chub") == false, "\(person) holds the duty")
                continue
            }
            #expect(holds[person]?.contains("garde-nuit-chub") == true)
            guard checked.contains(where: { reason.contains($0) }) else { continue }
            let changed = Self.replacing(rota) { $0.date == night.date && $0.duty == night.duty ? person : nil }
            #expect(!RotaPlanCommandTests.violations(changed, leave: Self.leave).isEmpty, "\(person) refused (\(reason)) yet keeps every rule")
        }
        let human = try Processes.tool("rota-plan", ["who-can", RotaPlanCommandTests.example.path, "garde-nuit-chub", "2027-03-03", "--published", csvPath])
        #expect(human.stdoutText.contains("held by \(night.person)") && human.stdoutText.contains("  1. ") && human.stdoutText.contains("cannot:"))
        let wrong = try Processes.tool("rota-plan", ["who-can", RotaPlanCommandTests.example.path, "garde-nuit-xyz", "2027-03-03", "--published", csvPath])
        #expect(wrong.status == 2 && wrong.stderr.contains("unknown duty 'garde-nuit-xyz'"), "\(wrong.stderr)")
    }

    /// An exchange is legal exactly when the checker finds no broken rule once it is applied; without a
    /// partner, every proposal is legal and like for like.
    @Test func swapsAreLegalExactlyWhenTheRulesHold() throws {
        let published = try Self.publish()
        defer { try? FileManager.default.removeItem(at: published.folder) }
        let rota = RotaPlanCommandTests.assignments(published.csv)
        let csvPath = published.folder.appendingPathComponent("rota.csv").path
        // A weekend garde of someone on 2027-03-06..07, and proposals of partners for it.
        let weekend = rota.filter { ["2027-03-06", "2027-03-07"].contains($0.date) && $0.duty == "garde-we-chub" }
        let giver = try #require(weekend.first?.person)
        let proposed = try Processes.tool("rota-plan", ["swap", RotaPlanCommandTests.example.path, giver, "--dates", "2027-03-06..2027-03-07",
                                                        "--published", csvPath, "--json"])
        let proposals = Self.events(proposed.stdoutText).filter { $0["rank"] != nil }
        #expect(proposed.status == (proposals.isEmpty ? 1 : 0), "\(proposed.stderr)")
        var verdicts: [Bool] = []
        for proposal in proposals {
            #expect(proposal["legal"] as? Bool == true)
            let partner = try #require(proposal["second"] as? String)
            let gives = try #require(proposal["first_gives"] as? [[String: String]]), takes = try #require(proposal["second_gives"] as? [[String: String]])
            #expect(gives.map { $0["duty"]! }.sorted() == takes.map { $0["duty"]! }.sorted())
            let changed = Self.replacing(rota) { a in
                if gives.contains(where: { $0["date"] == a.date && $0["duty"] == a.duty }) && a.person == giver { return partner }
                if takes.contains(where: { $0["date"] == a.date && $0["duty"] == a.duty }) && a.person == partner { return giver }
                return nil
            }
            #expect(RotaPlanCommandTests.violations(changed, leave: Self.leave).isEmpty, "proposal with \(partner) breaks a rule")
        }
        // Named partners on the same dates: each verdict against the checker's.
        let others = Array(Set(rota.filter { $0.date >= "2027-03-01" && $0.date <= "2027-03-14" && $0.person != giver }.map(\.person))).sorted().prefix(8)
        for partner in others {
            let result = try Processes.tool("rota-plan", ["swap", RotaPlanCommandTests.example.path, giver, partner, "--dates", "2027-03-06..2027-03-07",
                                                          "--published", csvPath, "--json"])
            guard let event = Self.events(result.stdoutText).first(where: { $0["legal"] != nil }) else { continue }
            let legal = try #require(event["legal"] as? Bool)
            #expect(result.status == (legal ? 0 : 1))
            let changed = Self.replacing(rota) { a in
                guard ["2027-03-06", "2027-03-07"].contains(a.date) else { return nil }
                return a.person == giver ? partner : a.person == partner ? giver : nil
            }
            let problems = RotaPlanCommandTests.violations(changed, leave: Self.leave)
            // The checker knows every rule but the weekly hours: a refusal for hours is the tool's alone.
            let hoursOnly = (event["problems"] as? [String] ?? []).allSatisfy { $0.contains("h a week") }
            if legal { #expect(problems.isEmpty, "\(giver) <-> \(partner) legal, says swap; the checker: \(problems.prefix(3))") }
            if !legal && !hoursOnly { #expect(!problems.isEmpty, "\(giver) <-> \(partner) refused, yet the checker finds nothing") }
            verdicts.append(legal)
        }
        #expect(verdicts.count >= 3)
    }

    /// Leave and wishes from a spreadsheet (semicolons, a byte-order mark, quotes, CRLF): the leave is kept,
    /// a strong wish to be on is granted; errors name the line and the cause.
    @Test func wishesFromASpreadsheetAreHonoured() throws {
        let folder = try TestPaths.temporaryFolder("wishes")
        defer { try? FileManager.default.removeItem(at: folder) }
        let wishes = folder.appendingPathComponent("wishes.csv")
        try ("\u{FEFF}person;date;kind;weight;duty\r\n"
             + "B04;2027-05-03..2027-05-16;leave;;\r\n"
             + "\"B09\";2027-06-12;wish on;60;garde-we-chub\r\n"
             + "R02;2027-07-14;\"wish off\";5;\r\n").write(to: wishes, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let run = try Processes.tool("rota-plan", ["solve", RotaPlanCommandTests.example.path, "--wishes", wishes.path, "-o", out.path, "--seed", "2", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let rota = RotaPlanCommandTests.assignments(try String(contentsOf: out.appendingPathComponent("rota.csv"), encoding: .utf8))
        #expect(!rota.contains { $0.person == "B04" && $0.date >= "2027-05-03" && $0.date <= "2027-05-16" }, "B04 on duty during leave")
        #expect(rota.contains { $0.person == "B09" && $0.date == "2027-06-12" && $0.duty == "garde-we-chub" }, "B09's wish not granted")
        var leave = Self.leave
        for day in RotaPlanCommandTests.day("2027-05-03")...RotaPlanCommandTests.day("2027-05-16") {
            leave["B04", default: []].insert(day - RotaPlanCommandTests.day("2027-01-01"))
        }
        #expect(RotaPlanCommandTests.violations(rota, leave: leave).isEmpty)

        for (line, expected) in [
            ("B99,2027-05-03,leave,,", "wishes.csv:2: unknown person 'B99'"),
            ("B04,2027-13-03,leave,,", "wishes.csv:2: '2027-13-03' is not a date"),
            // Found by the wishes-csv fuzz target: a seven-digit year overflowed the day number (a trap).
            ("M05,2027027-09-20..2027-09-24,leave,,", "wishes.csv:2: '2027027-09-20..2027-09-24' is not a date"),
            ("B04,2027-05-03,holiday,,", "wishes.csv:2: kind 'holiday' is not leave, wish off or wish on"),
            ("B04,2027-05-03,wish off,-1,", "wishes.csv:2: weight '-1'"),
            ("B04,2027-05-03,leave,,garde-we-chub", "wishes.csv:2: a duty goes with a wish on only"),
            ("\"B04,2027-05-03,leave,,", "wishes.csv:2: a quoted field is not closed"),
            ("B04,2031-05-03,leave,,", "wishes.csv:2: 2031-05-03 is outside the rota's period"),
        ] {
            try ("person,date,kind,weight,duty\n" + line + "\n").write(to: wishes, atomically: true, encoding: .utf8)
            let bad = try Processes.tool("rota-plan", ["solve", RotaPlanCommandTests.example.path, "--wishes", wishes.path, "-o", folder.appendingPathComponent("bad").path])
            #expect(bad.status == 2 && bad.stderr.contains(expected) && bad.stderr.split(separator: "\n").count == 1, "\(line): \(bad.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("bad").path), "nothing written")
        }
    }
}
