import ArgumentParser
import AtomicOutput
import Foundation
import Rostering
import ToolSupport

/// Options shared by solve and repair: the rota file, the search, the outputs.
struct RotaOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The rota file (YAML; see examples/territory.yaml).", valueName: "rota.yaml"), completion: .file())
    var file: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Folder for rota.csv, calendars/ (.ics), fairness.txt/.csv, month-view.html.",
                                                    valueName: "dir"), completion: .directory)
    var output: String?

    @Option(help: "Seconds the search may take at most.")
    var timeLimit = 10.0

    @Option(help: "Seed: the same seed, cores and iterations give the same rota.")
    var seed: UInt64 = 1

    @Option(help: "Search iterations per chain (default: 400 per slot).")
    var iterations: Int?

    @Option(name: .short, help: ArgumentHelp("Search chains in parallel (default: the number of cores).", valueName: "n"))
    var jobs: Int = System.coreCount

    @Option(help: ArgumentHelp("Print one month as a table, e.g. 2027-02.", valueName: "YYYY-MM"))
    var show: String?

    @Option(help: ArgumentHelp("Leave and wishes from a spreadsheet (CSV: person,date,kind,weight,duty; commas or semicolons).",
                               valueName: "wishes.csv"), completion: .file())
    var wishes: String?

    @Option(help: ArgumentHelp("Last year's fairness.csv (written by solve): each person's debt or credit per category is carried into this year.",
                               valueName: "fairness.csv"), completion: .file())
    var history: String?

    func validate() throws {
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be above 0") }
        guard jobs >= 1 else { throw ValidationError("-j needs at least 1") }
        if let iterations, iterations < 0 { throw ValidationError("--iterations must be at least 0") }
        if let show, RotaOptions.month(show) == nil { throw ValidationError("--show takes YYYY-MM") }
    }

    static func month(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        return parts.count == 2 && (1...12).contains(parts[1]) ? (parts[0], parts[1]) : nil
    }

    var solverOptions: RotaSolver.Options {
        var options = RotaSolver.Options()
        (options.seed, options.timeLimitSeconds, options.iterations, options.chains) = (seed, timeLimit, iterations, jobs)
        return options
    }

    func model(console: Console) throws -> RotaModel { try RotaFiles.model(file, wishes: wishes, history: history, console: console) }
}

struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a legal, fair rota for the period.",
        discussion: """
            Hard rules are never broken: leave, qualifications, no overlap, 11 h rest after night work, no duty \
            the day after a garde, days in a row, days between nights, the monthly maximum, 48 h a week averaged \
            over the window. Then fairness (nights, weekends, holidays, all duties; pro rata FTE, history \
            included), then wishes, then spreading duties out. When a slot cannot be filled, each one is \
            explained (who holds the duty and what keeps them out) and the exit status is 1.
            """)

    @OptionGroup var rota: RotaOptions
    @OptionGroup var common: CommonOptions

    func run() throws {
        LoggingSetup.bootstrap(common)
        let console = Console(tool: "rota-plan", options: common)
        let model = try rota.model(console: console)
        let start = Date()
        let outcome = RotaSolver(options: rota.solverOptions).solve(Roster(model: model))
        throw RotaOutput(console: console, options: rota).finish(outcome, seconds: Date().timeIntervalSince(start), changes: nil)
    }
}

struct Repair: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Repair a published rota after new unavailabilities, changing as few assignments as possible.",
        discussion: """
            Reads the published rota (the CSV that solve wrote), marks the new unavailabilities, frees the \
            slots they break, and searches for a legal rota where each change from the published one costs \
            more than any fairness gain. Prints the changes (date, duty, before -> after).
            """)

    @OptionGroup var rota: RotaOptions

    @Option(help: ArgumentHelp("The published rota (CSV written by solve).", valueName: "rota.csv"), completion: .file())
    var published: String

    @Option(help: ArgumentHelp("New unavailability, PERSON:DATE or PERSON:DATE..DATE (repeatable).", valueName: "who:when"))
    var unavailable: [String] = []

    @OptionGroup var common: CommonOptions

    func run() throws {
        LoggingSetup.bootstrap(common)
        let console = Console(tool: "rota-plan", options: common)
        var model = try rota.model(console: console)
        for text in unavailable {
            do { try model.markUnavailable(text) } catch {
                console.error("--unavailable \(text): \(error)")
                throw ExitStatus.usage
            }
        }
        let before = try RotaFiles.published(published, model: model, console: console)
        let start = Date()
        let (outcome, kept) = RotaRepair.repair(model: model, published: before, options: rota.solverOptions)
        console.info("\(kept) of \(before.compactMap { $0 }.count) published assignments still legal")
        throw RotaOutput(console: console, options: rota).finish(outcome, seconds: Date().timeIntervalSince(start), changes: before)
    }
}
