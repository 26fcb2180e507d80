import Foundation
import Rostering
import ToolSupport

/// The files every rota-plan command reads: the rota file with the wishes spreadsheet added, and a published
/// rota. A file that cannot be read or is wrong is one error line naming it, and a usage exit.
enum RotaFiles {
    static func model(_ file: String, wishes: String?, history: String? = nil, console: Console) throws -> RotaModel {
        var model: RotaModel
        let text = try read(file, console: console)
        do { model = try RotaModel(try RotaInput.load(yaml: text, file: file), yaml: text, file: file) } catch {
            console.error("\(error)")
            throw ExitStatus.usage
        }
        if let history {
            let table = try read(history, console: console)
            do {
                let ledger = try LedgerFile(table, file: history, model: model)
                model.carry(ledger)
                console.info("carried over from \(history): \(ledger.carried.count) people"
                             + (ledger.departed.isEmpty ? "" : "; no longer on the rota: \(ledger.departed.joined(separator: ", "))"))
            } catch {
                console.error("\(error)")
                throw ExitStatus.usage
            }
        }
        if let wishes {
            let table = try read(wishes, console: console)
            do { model.apply(try WishesFile(table, file: wishes, model: model)) } catch {
                console.error("\(error)")
                throw ExitStatus.usage
            }
        }
        return model
    }

    static func published(_ file: String, model: RotaModel, console: Console) throws -> [Int?] {
        let text = try read(file, console: console)
        do { return try RotaCSV.read(text, file: file, model: model) } catch {
            console.error("\(error)")
            throw ExitStatus.usage
        }
    }

    static func read(_ file: String, console: Console) throws -> String {
        guard let data = FileManager.default.contents(atPath: file) else {
            console.failure(file, "cannot read")
            throw ExitStatus.usage
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A person by id; a usage error naming the unknown one.
    static func person(_ id: String, in model: RotaModel, console: Console) throws -> Int {
        guard let index = model.people.firstIndex(where: { $0.id == id }) else {
            console.error("unknown person '\(id)'")
            throw ExitStatus.usage
        }
        return index
    }

    /// A day of the period from a date; a usage error otherwise.
    static func days(_ text: String, in model: RotaModel, console: Console) throws -> ClosedRange<Int> {
        guard let range = RotaModel.parseDates(text) else {
            console.error("'\(text)' is not a date or a range (2027-03-06..2027-03-07)")
            throw ExitStatus.usage
        }
        let first = model.dayIndex(range.0), last = model.dayIndex(range.1)
        guard first >= 0, last < model.days else {
            console.error("\(text) is outside the rota's period")
            throw ExitStatus.usage
        }
        return first...last
    }
}
