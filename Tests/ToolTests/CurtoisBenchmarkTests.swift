import Foundation
import TestSupport
import Testing

/// rota-plan's benchmark mode, scored by a checker written here from the format's rules (not the solver's
/// own count): every staff rule holds, and the printed penalty is the roster's.
@Suite struct CurtoisBenchmarkTests {
    struct Instance {
        var days = 0
        var shiftMinutes: [String: Int] = [:]
        var forbidden: [String: Set<String>] = [:]
        var staff: [(id: String, max: [String: Int], maxMin: Int, minMin: Int, maxRun: Int, minRun: Int, minOff: Int, maxWeekends: Int)] = []
        var daysOff: [String: Set<Int>] = [:]
        var on: [(String, Int, String, Int)] = []
        var off: [(String, Int, String, Int)] = []
        var cover: [(Int, String, Int, Int, Int)] = []

        init(_ text: String) {
            var section = ""
            for raw in text.split(separator: "\n") {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                if line.hasPrefix("SECTION_") { section = line; continue }
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                switch section {
                case "SECTION_HORIZON": days = Int(line)!
                case "SECTION_SHIFTS":
                    shiftMinutes[f[0]] = Int(f[1])!
                    forbidden[f[0]] = Set(f[2].split(separator: "|").map(String.init))
                case "SECTION_STAFF":
                    var max: [String: Int] = [:]
                    for pair in f[1].split(separator: "|") { let p = pair.split(separator: "="); max[String(p[0])] = Int(p[1])! }
                    staff.append((f[0], max, Int(f[2])!, Int(f[3])!, Int(f[4])!, Int(f[5])!, Int(f[6])!, Int(f[7])!))
                case "SECTION_DAYS_OFF": daysOff[f[0]] = Set(f.dropFirst().compactMap { Int($0) })
                case "SECTION_SHIFT_ON_REQUESTS": on.append((f[0], Int(f[1])!, f[2], Int(f[3])!))
                case "SECTION_SHIFT_OFF_REQUESTS": off.append((f[0], Int(f[1])!, f[2], Int(f[3])!))
                case "SECTION_COVER": cover.append((Int(f[0])!, f[1], Int(f[2])!, Int(f[3])!, Int(f[4])!))
                default: break
                }
            }
        }
    }

    /// (broken staff rules, penalty) of a roster: employee -> the day's shift or "-".
    static func score(_ instance: Instance, _ roster: [String: [String]]) -> ([String], Int) {
        var broken: [String] = []
        for rule in instance.staff {
            guard let row = roster[rule.id], row.count == instance.days else { broken.append("\(rule.id): missing or wrong length"); continue }
            var minutes = 0
            for (day, shift) in row.enumerated() where shift != "-" {
                minutes += instance.shiftMinutes[shift] ?? 0
                if instance.daysOff[rule.id]?.contains(day) == true { broken.append("\(rule.id) works day off \(day)") }
                if day + 1 < row.count, row[day + 1] != "-", instance.forbidden[shift]?.contains(row[day + 1]) == true {
                    broken.append("\(rule.id) \(shift) then \(row[day + 1]) on day \(day)")
                }
            }
            for (shift, maximum) in rule.max where row.filter({ $0 == shift }).count > maximum { broken.append("\(rule.id) too many \(shift)") }
            if minutes > rule.maxMin || minutes < rule.minMin { broken.append("\(rule.id) \(minutes) minutes") }
            let weekends = stride(from: 5, to: instance.days, by: 7).filter { row[$0] != "-" || ($0 + 1 < instance.days && row[$0 + 1] != "-") }.count
            if weekends > rule.maxWeekends { broken.append("\(rule.id) \(weekends) weekends") }
            var day = 0
            while day < row.count {
                let working = row[day] != "-"
                var end = day
                while end + 1 < row.count && (row[end + 1] != "-") == working { end += 1 }
                let length = end - day + 1, inner = day > 0 && end < row.count - 1
                if working && length > rule.maxRun { broken.append("\(rule.id) works \(length) days from \(day)") }
                if working && inner && length < rule.minRun { broken.append("\(rule.id) works only \(length) days from \(day)") }
                if !working && inner && length < rule.minOff { broken.append("\(rule.id) off only \(length) days from \(day)") }
                day = end + 1
            }
        }
        var penalty = 0
        for (id, day, shift, weight) in instance.on where roster[id]?[day] != shift { penalty += weight }
        for (id, day, shift, weight) in instance.off where roster[id]?[day] == shift { penalty += weight }
        for (day, shift, requirement, under, over) in instance.cover {
            let count = roster.values.filter { $0[day] == shift }.count
            penalty += count < requirement ? (requirement - count) * under : (count - requirement) * over
        }
        return (broken, penalty)
    }

    @Test(arguments: [1, 2, 3])
    func rosterKeepsEveryStaffRuleAndItsPenaltyIsThePrintedOne(_ number: Int) throws {
        let file = TestPaths.fixtures.appendingPathComponent("rota/curtois/Instance\(number).txt")
        let folder = try TestPaths.temporaryFolder("curtois")
        defer { try? FileManager.default.removeItem(at: folder) }
        let rosterFile = folder.appendingPathComponent("roster.txt")
        let run = try Processes.tool("rota-plan", ["curtois", file.path, "--time-limit", "4", "--seed", "1", "--roster", rosterFile.path])
        #expect(run.status == 0, "\(run.stderr)")
        let instance = Instance(try String(contentsOf: file, encoding: .utf8))
        var roster: [String: [String]] = [:]
        var order: [String] = []
        for line in try String(contentsOf: rosterFile, encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: "\t").map(String.init)
            roster[fields[0]] = Array(fields.dropFirst())
            order.append(fields[0])
        }
        #expect(order == instance.staff.map(\.id), "one line per employee, in the file's order")
        let (broken, penalty) = Self.score(instance, roster)
        #expect(broken.isEmpty, "\(broken.prefix(5))")
        #expect(run.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "penalty: \(penalty)")
        // The published optima (proven) of instances 1-3: no roster may beat them, and the printed lower
        // bound may not exceed them.
        let optimum = [1: 607, 2: 828, 3: 1001][number]!
        #expect(penalty >= optimum)
        let boundLine = run.stderr.split(separator: "\n").first { $0.hasPrefix("lower bound: ") }
        let bound = try #require(boundLine.flatMap { Int($0.dropFirst("lower bound: ".count).prefix { $0.isNumber }) }, "\(run.stderr)")
        #expect(bound > 0 && bound <= optimum, "lower bound \(bound), optimum \(optimum)")
    }

    /// A generated instance as large as the largest published one (a year, 150 staff, 32 shift types): a
    /// roster that keeps every staff rule, by the checker above, within 40 s (the whole-row beams built
    /// rows so slowly that a minute ended with thousands of rule units broken), and a Lagrangian lower bound
    /// printed, above zero and below the penalty.
    @Test func aGeneratedInstanceOfTheLargestPublishedSizeIsSolvedLegally() throws {
        let folder = try TestPaths.temporaryFolder("curtois-generated")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("generated.txt"), rosterFile = folder.appendingPathComponent("roster.txt")
        let generated = try Processes.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "python3", TestPaths.repository.appendingPathComponent("bench/make-curtois.py").path, "--days", "364", "--staff", "150",
            "--shifts", "32", "--seed", "3",
        ])
        #expect(generated.status == 0, "\(generated.stderr)")
        try generated.stdout.write(to: file)
        let run = try Processes.tool("rota-plan", ["curtois", file.path, "--time-limit", "40", "--seed", "1", "--roster", rosterFile.path])
        #expect(run.status == 0, "\(run.stderr)")
        let instance = Instance(try String(contentsOf: file, encoding: .utf8))
        #expect(instance.days == 364 && instance.staff.count == 150 && instance.shiftMinutes.count == 32)
        var roster: [String: [String]] = [:]
        for line in try String(contentsOf: rosterFile, encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: "\t").map(String.init)
            roster[fields[0]] = Array(fields.dropFirst())
        }
        let (broken, penalty) = Self.score(instance, roster)
        #expect(broken.isEmpty, "\(broken.count) broken: \(broken.prefix(5))")
        #expect(run.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "penalty: \(penalty)")
        let boundLine = try #require(run.stderr.split(separator: "\n").first { $0.hasPrefix("lower bound: ") }, "\(run.stderr)")
        let bound = try #require(Int(boundLine.dropFirst("lower bound: ".count).prefix { $0.isNumber }))
        #expect(boundLine.contains("Lagrangian relaxation") && bound > 0 && bound <= penalty, "\(boundLine), penalty \(penalty)")
    }
}
