/// Last year's fairness carried into this year, read from the fairness.csv that solve wrote: per person and
/// category, what they took beyond the fairest rota last year's availabilities allowed (the `_carry`
/// columns; a file without them: count minus target). That debt or credit is added to their history, so
/// that the new year evens it out; what nobody could have evened out (a duty only some can take) is not
/// carried. People who have left are listed, not an error; newcomers start even.
public struct LedgerFile: Sendable {
    /// Person index -> (category -> count minus target).
    public let carried: [Int: [RotaModel.Category: Double]]
    /// Ids in the file that are not in this year's rota.
    public let departed: [String]

    public init(_ text: String, file: String, model: RotaModel) throws(RotaError) {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        guard let header = lines.first, !header.isEmpty else { throw RotaError("\(file):1: empty; expected the fairness.csv that solve writes") }
        let names = try WishesFile.fields(header, separator: ",", file: file, line: 1)
        let categories = RotaModel.Category.allCases
        guard let personColumn = names.firstIndex(of: "person") else { throw RotaError("\(file):1: no 'person' column (the fairness.csv that solve writes)") }
        var columns: [(category: RotaModel.Category, count: Int, target: Int, carry: Int?)] = []
        for category in categories {
            guard let count = names.firstIndex(of: category.name), let target = names.firstIndex(of: category.name + "_target") else {
                throw RotaError("\(file):1: no '\(category.name)' and '\(category.name)_target' columns (the fairness.csv that solve writes)")
            }
            columns.append((category, count, target, names.firstIndex(of: category.name + "_carry")))
        }
        let people = Dictionary(model.people.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var carried: [Int: [RotaModel.Category: Double]] = [:], departed: [String] = []
        for (index, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = try WishesFile.fields(line, separator: ",", file: file, line: index + 1)
            guard fields.count == names.count else { throw RotaError("\(file):\(index + 1): \(fields.count) fields, the header has \(names.count)") }
            var debt: [RotaModel.Category: Double] = [:]
            for column in columns {
                guard let count = Double(fields[column.count]), let target = Double(fields[column.target]), count.isFinite, target.isFinite,
                    abs(count) < 100_000, abs(target) < 100_000
                else { throw RotaError("\(file):\(index + 1): '\(column.category.name)' is not a count and a target") }
                guard let carryColumn = column.carry else { debt[column.category] = count - target; continue }
                guard let carry = Double(fields[carryColumn]), carry.isFinite, abs(carry) < 100_000 else {
                    throw RotaError("\(file):\(index + 1): '\(column.category.name)_carry' is not a number")
                }
                debt[column.category] = carry
            }
            let id = fields[personColumn]
            guard let person = people[id] else { departed.append(id); continue }
            guard carried[person] == nil else { throw RotaError("\(file):\(index + 1): '\(id)' appears twice") }
            carried[person] = debt
        }
        (self.carried, self.departed) = (carried, departed)
    }
}

extension RotaModel {
    /// Adds last year's debts and credits to the people's history.
    public mutating func carry(_ ledger: LedgerFile) {
        for (person, debts) in ledger.carried {
            for (category, debt) in debts { people[person].history[category, default: 0] += debt }
        }
    }
}
