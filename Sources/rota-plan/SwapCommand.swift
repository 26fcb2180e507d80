import ArgumentParser
import Rostering
import ToolSupport

/// rota-plan swap: is an exchange of duties legal for both, and fair; or who would be the best partner.
struct Swap: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an exchange of duties between two people, or find the best partner for one.",
        discussion: """
            With two people, A's duties on DATES go to B and B's on DATES go to A (both on the same dates, \
            e.g. one takes the other's Saturday garde and gives their Sunday one); with --their-dates, B's \
            duties on those other dates go to A (swapping weekends). Says whether the exchange keeps every \
            hard rule for both (each broken rule named) and what it does to fairness. Without B, lists the \
            fairest legal exchanges of A's duties on DATES for the same duties on the same weekdays of \
            another week, with anyone. Exit status 1 when the exchange is not legal or no partner is found.
            """)

    @Argument(help: ArgumentHelp("The rota file (YAML).", valueName: "rota.yaml"), completion: .file())
    var file: String

    @Argument(help: ArgumentHelp("The person giving duties (A).", valueName: "A"))
    var first: String

    @Argument(help: ArgumentHelp("The partner (B); omit it to find the best partners.", valueName: "B"))
    var second: String?

    @Option(help: ArgumentHelp("A's dates: a date or a range.", valueName: "YYYY-MM-DD[..YYYY-MM-DD]"))
    var dates: String

    @Option(help: ArgumentHelp("B's dates when they differ from A's (another weekend).", valueName: "YYYY-MM-DD[..YYYY-MM-DD]"))
    var theirDates: String?

    @Option(help: ArgumentHelp("The published rota (CSV written by solve).", valueName: "rota.csv"), completion: .file())
    var published: String

    @Option(help: ArgumentHelp("Leave and wishes from a spreadsheet (CSV: person,date,kind,weight,duty).", valueName: "wishes.csv"),
            completion: .file())
    var wishes: String?

    @Option(help: ArgumentHelp("Last year's fairness.csv, as given to solve.", valueName: "fairness.csv"), completion: .file())
    var history: String?

    @Option(help: "Partners proposed at most (without B).")
    var limit = 5

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if theirDates != nil && second == nil { throw ValidationError("--their-dates needs the partner B") }
        guard limit >= 1 else { throw ValidationError("--limit needs at least 1") }
    }

    func run() throws {
        LoggingSetup.bootstrap(common)
        let console = Console(tool: "rota-plan", options: common)
        let model = try RotaFiles.model(file, wishes: wishes, history: history, console: console)
        let roster = Roster(model: model, published: try RotaFiles.published(published, model: model, console: console))
        let a = try RotaFiles.person(first, in: model, console: console)
        let days = try RotaFiles.days(dates, in: model, console: console)
        let gives = SwapCheck.slots(of: a, on: days, in: roster)
        guard let second else {
            guard !gives.isEmpty else {
                console.error("\(first) has no duty on \(dates)")
                throw ExitStatus.usage
            }
            let proposals = SwapCheck.proposals(roster: roster, person: a, days: days, limit: limit)
            console.result("\(first) gives \(describe(gives, model)): \(proposals.isEmpty ? "no legal like-for-like exchange" : "the fairest legal exchanges")")
            for (rank, proposal) in proposals.enumerated() {
                report(proposal, model: model, console: console, rank: rank + 1)
            }
            if proposals.isEmpty { throw ExitStatus.someFailed }
            return
        }
        let b = try RotaFiles.person(second, in: model, console: console)
        let takes = SwapCheck.slots(of: b, on: try theirDates.map { try RotaFiles.days($0, in: model, console: console) } ?? days, in: roster)
        guard !gives.isEmpty || !takes.isEmpty else {
            console.error("neither \(first) nor \(second) has a duty on those dates")
            throw ExitStatus.usage
        }
        let check = SwapCheck(roster: roster, first: a, second: b, firstGives: gives, secondGives: takes)
        report(check, model: model, console: console, rank: nil)
        if !check.isLegal { throw ExitStatus.someFailed }
    }

    func describe(_ slots: [Int], _ model: RotaModel) -> String {
        slots.isEmpty ? "nothing" : slots.map { "\(model.slots[$0].date) \(model.duties[model.slots[$0].duty].id)" }.joined(separator: ", ")
    }

    func report(_ check: SwapCheck, model: RotaModel, console: Console, rank: Int?) {
        let (a, b) = (model.people[check.first].id, model.people[check.second].id)
        let verdict = check.isLegal ? "legal" : "NOT legal"
        var line = "\(a) gives \(describe(check.firstGives, model)); \(b) gives \(describe(check.secondGives, model)): \(verdict)"
        if check.isLegal { line += String(format: ", fairness %+.1f", WhoCan.rounded(check.costChange)) }
        console.result((rank.map { String(format: "%3d. ", $0) } ?? "") + line)
        for problem in check.problems { console.result("     \(problem)") }
        if check.isLegal {
            for (who, counts) in [(a, check.firstCounts), (b, check.secondCounts)] where !counts.isEmpty {
                console.result("     \(who): " + counts.map(\.description).joined(separator: ", "))
            }
        }
        func slots(_ list: [Int]) -> JSONValue {
            .array(list.map { .object(["date": .string(model.slots[$0].date.description), "duty": .string(model.duties[model.slots[$0].duty].id)]) })
        }
        func counts(_ list: [FairnessChange]) -> JSONValue {
            .array(list.map { .object(["category": .string($0.category.name), "before": .double($0.before), "after": .double($0.after),
                                       "target": .double($0.target)]) })
        }
        var event: [String: JSONValue] = [
            "first": .string(a), "second": .string(b), "legal": .bool(check.isLegal), "first_gives": slots(check.firstGives),
            "second_gives": slots(check.secondGives), "problems": .array(check.problems.map(JSONValue.string)),
            "cost_change": .double(check.costChange), "first_counts": counts(check.firstCounts), "second_counts": counts(check.secondCounts),
        ]
        if let rank { event["rank"] = .int(rank) }
        console.event(event)
    }
}
