import ArgumentParser
import AtomicOutput
import Foundation
import Rostering
import ToolSupport

/// What solve and repair print and write: summary, changes, explanations, the files.
struct RotaOutput {
    let console: Console
    let options: RotaOptions

    func finish(_ outcome: RotaSolver.Outcome, seconds: Double, changes published: [Int?]?) -> ExitCode {
        let roster = outcome.roster
        let model = roster.model
        let bound = FairnessBound(model: model)
        let fairness = FairnessReport(roster, bound: bound)
        var status = ExitStatus.success
        if let published {
            let changes = RotaRepair.changes(published: published, roster: roster)
            for change in changes {
                let slot = model.slots[change.slot]
                let before = change.before.map { model.people[$0].id } ?? "-"
                let after = change.after.map { model.people[$0].id } ?? "UNFILLED"
                console.result("\(slot.date) \(model.duties[slot.duty].id): \(before) -> \(after)")
                console.event(["date": .string(slot.date.description), "duty": .string(model.duties[slot.duty].id),
                               "before": .string(before), "after": .string(after)])
            }
            console.info("\(changes.count) assignment(s) changed")
        }
        let unfilled = Explanation.unfilled(roster)
        for line in unfilled { console.error(line) }
        if !unfilled.isEmpty { status = ExitStatus.someFailed }
        if let show = options.show, let (year, month) = RotaOptions.month(show) { console.result(MonthView.terminal(roster, year: year, month: month)) }
        if published == nil && options.show == nil { console.result(fairness.text) }
        if let folder = options.output {
            let base = URL(fileURLWithPath: folder)
            var files: [(String, String)] = [("rota.csv", RotaCSV.write(roster)), ("fairness.txt", fairness.text),
                                            ("fairness.csv", fairness.csv), ("month-view.html", MonthView.html(roster)),
                                            ("calendars/all.ics", ICalendar.calendar(roster, person: nil, stamp: Date()))]
            for person in model.people.indices {
                files.append(("calendars/\(model.people[person].id).ics", ICalendar.calendar(roster, person: person, stamp: Date())))
            }
            for (name, text) in files {
                do { try AtomicFile.write(Array(text.utf8), to: base.appendingPathComponent(name)) } catch {
                    console.failure(base.appendingPathComponent(name).path, "\(error)")
                    status = ExitStatus.someFailed
                }
            }
        }
        let filled = roster.filled
        let objective = roster.totalCost
        // With slots left empty that someone could have taken, the objective is dominated by them: no gap.
        let gap = filled + bound.unfillable >= model.slots.count ? bound.gap(objective) : nil
        console.info(String(format: "objective %.1f; no rota of this file can cost less than %.1f (lower bound)", objective, bound.value)
                     + (gap.map { String(format: ": within %.1f%% of the best possible", $0 * 100) } ?? ""))
        console.summary(
            ["slots": .int(model.slots.count), "filled": .int(filled), "unfilled": .int(model.slots.count - filled),
             "cost": .double(outcome.cost), "objective": .double(objective), "lower_bound": .double(bound.value),
             "gap": gap.map(JSONValue.double) ?? .null, "nights_per_fte_spread": .double(fairness.nightsPerFTESpread),
             "iterations": .int(outcome.iterations), "reproducible": .bool(outcome.reproducible), "seconds": .double(seconds)],
            human: String(format: "%d of %d slots filled, nights per FTE spread %.2f, %d iterations in %.1f s%@",
                          filled, model.slots.count, fairness.nightsPerFTESpread, outcome.iterations, seconds,
                          outcome.reproducible ? "" : " (stopped by the time limit: not reproducible)"))
        return status
    }
}
