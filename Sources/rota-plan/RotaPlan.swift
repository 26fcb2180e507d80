import ArgumentParser
import Rostering
import ToolSupport

@main
struct RotaPlan: ParsableCommand {
    static func main() { mainFollowingConventions() }

    static let configuration = CommandConfiguration(
        commandName: "rota-plan",
        abstract: "Fair, legal on-call rotas across hospitals (French rules).",
        discussion: ExitStatus.helpText,
        version: ToolkitVersion.current,
        subcommands: [Solve.self, Repair.self, WhoCan.self, Swap.self, Curtois.self, Holidays.self])
}

struct Holidays: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the French public holidays of a year, as the rota counts them.")

    @Argument(help: "The year.")
    var year: Int

    @Flag(help: "Add the Alsace-Moselle days (Good Friday, 26 December).")
    var alsaceMoselle = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard (1583...9999).contains(year) else { throw ValidationError("the year must be in 1583...9999 (Gregorian)") }
    }

    func run() throws {
        LoggingSetup.bootstrap(common)
        let console = Console(tool: "rota-plan", options: common)
        for holiday in FrenchCalendar.holidays(year, alsaceMoselle: alsaceMoselle) {
            console.event(["date": .string(holiday.day.description), "name": .string(holiday.name)])
            console.result("\(holiday.day)\t\(holiday.name)")
        }
    }
}
