import ArgumentParser
import Rostering
import ToolSupport

/// rota-plan who-can: who could take a slot of the published rota without breaking a rule.
struct WhoCan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "who-can",
        abstract: "Who could take a duty on a date instead of its holder, ranked by fairness, and why the others cannot.",
        discussion: """
            Reads the rota file and the published rota (the CSV that solve wrote), frees the slot from its \
            holder, and lists every person who could take it without breaking a hard rule, the fairest first \
            (the change in their part of the objective: fairness against their pro-rata target, wishes, \
            spreading), with their counts before and after; then each of the others with the rule that keeps \
            them out. Leave given with --unavailable or a wishes file counts.
            """)

    @Argument(help: ArgumentHelp("The rota file (YAML).", valueName: "rota.yaml"), completion: .file())
    var file: String

    @Argument(help: ArgumentHelp("The duty's id, as in the rota file.", valueName: "duty"))
    var duty: String

    @Argument(help: ArgumentHelp("The date.", valueName: "YYYY-MM-DD"))
    var date: String

    @Option(help: ArgumentHelp("The published rota (CSV written by solve).", valueName: "rota.csv"), completion: .file())
    var published: String

    @Option(help: ArgumentHelp("Whose slot, when the duty needs several people that day.", valueName: "person"))
    var holder: String?

    @Option(help: ArgumentHelp("Leave and wishes from a spreadsheet (CSV: person,date,kind,weight,duty).", valueName: "wishes.csv"),
            completion: .file())
    var wishes: String?

    @Option(help: ArgumentHelp("Last year's fairness.csv, as given to solve.", valueName: "fairness.csv"), completion: .file())
    var history: String?

    @Option(help: ArgumentHelp("New unavailability, PERSON:DATE or PERSON:DATE..DATE (repeatable).", valueName: "who:when"))
    var unavailable: [String] = []

    @OptionGroup var common: CommonOptions

    /// A change to print with one decimal, without "-0.0".
    static func rounded(_ value: Double) -> Double { abs(value) < 0.05 ? 0 : value }

    func run() throws {
        LoggingSetup.bootstrap(common)
        let console = Console(tool: "rota-plan", options: common)
        var model = try RotaFiles.model(file, wishes: wishes, history: history, console: console)
        for text in unavailable {
            do { try model.markUnavailable(text) } catch {
                console.error("--unavailable \(text): \(error)")
                throw ExitStatus.usage
            }
        }
        let roster = Roster(model: model, published: try RotaFiles.published(published, model: model, console: console))
        guard let dutyIndex = model.duties.firstIndex(where: { $0.id == duty }) else {
            console.error("unknown duty '\(duty)' (\(model.duties.map(\.id).joined(separator: ", ")))")
            throw ExitStatus.usage
        }
        let day = try RotaFiles.days(date, in: model, console: console).lowerBound
        let slots = model.slots(day: day, duty: dutyIndex)
        guard !slots.isEmpty else {
            console.error("\(duty) does not run on \(date)")
            throw ExitStatus.usage
        }
        var slot = slots[0]
        if let holder {
            let person = try RotaFiles.person(holder, in: model, console: console)
            guard let held = slots.first(where: { roster.assignee[$0] == person }) else {
                console.error("\(holder) is not on \(duty) on \(date)")
                throw ExitStatus.usage
            }
            slot = held
        }
        let answer = SlotCandidates(roster: roster, slot: slot)
        let held = answer.holder.map { model.people[$0].id } ?? "nobody"
        console.result("\(model.slots[slot].date) \(model.duties[dutyIndex].name) (\(duty)), held by \(held): "
                       + "\(answer.candidates.count) could take it")
        for (rank, candidate) in answer.candidates.enumerated() {
            let who = model.people[candidate.person]
            let counts = candidate.counts.map(\.description).joined(separator: ", ")
            console.result(String(format: "%3d. %@ (%@): fairness %+.1f; %@", rank + 1, who.id, who.name, Self.rounded(candidate.costChange), counts))
            console.event([
                "person": .string(who.id), "rank": .int(rank + 1), "can": .bool(true), "cost_change": .double(candidate.costChange),
                "counts": .array(candidate.counts.map { .object(["category": .string($0.category.name), "before": .double($0.before),
                                                                 "after": .double($0.after), "target": .double($0.target)]) }),
            ])
        }
        if !answer.refusals.isEmpty { console.result("cannot:") }
        for refusal in answer.refusals {
            console.result("     \(model.people[refusal.person].id): \(refusal.reason)")
            console.event(["person": .string(model.people[refusal.person].id), "can": .bool(false), "reason": .string(refusal.reason)])
        }
        if answer.candidates.isEmpty { throw ExitStatus.someFailed }
    }
}
