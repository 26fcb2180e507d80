import ArgumentParser
import AtomicOutput
import Foundation
import Rostering
import ToolSupport

struct Curtois: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark mode: solve a Curtois & Qu shift scheduling instance.",
        discussion: """
            Reads the benchmark's text format, searches for the time limit on the cores, writes the roster \
            (one line per employee in the file's order: the ID, then each day's shift ID or '-', tab-separated) \
            and prints 'penalty: N' by the format's rules, and 'lower bound: N' on stderr: no roster costs \
            less (with --json, 'lower_bound' in the summary). The bound is the best of column generation's \
            (where the instance is small enough), a Lagrangian relaxation's (computed in the last tenth of \
            the time where column generation does not apply or the horizon is over eight weeks) and the \
            cover the staff cannot reach. \
            Exit 1 when no roster keeping every staff rule was found.
            """)

    @Argument(help: ArgumentHelp("The instance file.", valueName: "INSTANCE.txt"), completion: .file())
    var instance: String

    @Option(help: "Seconds of search.")
    var timeLimit = 60.0

    @Option(help: "Seed of the search chains.")
    var seed: UInt64 = 1

    @Option(name: .short, help: ArgumentHelp("Search chains in parallel (default: the number of cores).", valueName: "n"))
    var jobs: Int = System.coreCount

    @Option(help: ArgumentHelp("Where to write the roster ('-' for stdout).", valueName: "file"), completion: .file())
    var roster: String?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard timeLimit > 0, jobs >= 1 else { throw ValidationError("--time-limit must be above 0 and -j at least 1") }
    }

    func run() throws {
        LoggingSetup.bootstrap(common)
        let console = Console(tool: "rota-plan", options: common)
        guard let data = FileManager.default.contents(atPath: instance) else {
            console.failure(instance, "cannot read")
            throw ExitStatus.usage
        }
        let problem: CurtoisInstance
        do { problem = try CurtoisInstance(text: String(decoding: data, as: UTF8.self), file: instance) } catch {
            console.error("\(error)")
            throw ExitStatus.usage
        }
        var solver = CurtoisSolver(instance: problem)
        (solver.seed, solver.timeLimitSeconds, solver.chains) = (seed, timeLimit, jobs)
        let result = solver.solve()
        let text = problem.rosterText(result.grid)
        if let roster {
            if roster == "-" {
                console.reserveStdoutForData()
                FileHandle.standardOutput.write(Data(text.utf8))
            } else {
                do { try AtomicFile.write(Array(text.utf8), to: URL(fileURLWithPath: roster)) } catch {
                    console.failure(roster, "\(error)")
                    throw ExitStatus.someFailed
                }
            }
        }
        if roster == "-" {
            FileHandle.standardError.write(Data("penalty: \(result.penalty)\n".utf8))
        } else {
            console.result("penalty: \(result.penalty)")
        }
        // Penalties are whole numbers: the relaxation's optimum rounds up (less a hair for its arithmetic).
        let bound = result.lowerBound.map { Int(($0 - 1e-4).rounded(.up)) }
        if let bound {
            console.info("lower bound: \(bound) (\(result.boundSource.rawValue); no roster costs less)")
        }
        var summary: [String: JSONValue] = ["penalty": .int(result.penalty), "hard_violations": .double(result.hardViolations), "summary": true]
        if let bound {
            summary["lower_bound"] = .int(bound)
            summary["lower_bound_source"] = .string(result.boundSource.rawValue)
        }
        console.event(summary)
        if result.hardViolations > 0 {
            console.error("no roster keeping every staff rule was found (\(Int(result.hardViolations.rounded(.up))) units broken)")
            throw ExitStatus.someFailed
        }
    }
}
