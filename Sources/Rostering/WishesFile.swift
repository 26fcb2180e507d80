/// Leave and wishes collected in a spreadsheet, as CSV: one line per person and date (or range), with its
/// kind (leave, wish off, wish on), a weight, and for a wish on, the duty if one is meant. Commas or
/// semicolons (French spreadsheets), quoted fields, a byte-order mark and CRLF line ends are read; every
/// error names its line.
///
/// ```
/// person,date,kind,weight,duty
/// B03,2027-08-02..2027-08-22,leave,,
/// B07,2027-12-24,wish off,3,
/// R02,2027-05-14,wish on,1,astreinte-avc
/// ```
public struct WishesFile: Sendable {
    public enum Kind: String, Sendable { case leave, wishOff = "wish off", wishOn = "wish on" }

    public struct Entry: Sendable, Equatable {
        public let person: Int
        public let days: ClosedRange<Int>
        public let kind: Kind
        public let weight: Double
        public let duty: Int?
    }

    public let entries: [Entry]

    public init(_ text: String, file: String, model: RotaModel) throws(RotaError) {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = String(first.dropFirst()) }
        guard let header = lines.first, !header.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RotaError("\(file):1: empty; the first line names the columns: person,date,kind,weight,duty")
        }
        let separator: Character = header.contains(";") && !header.contains(",") ? ";" : ","
        let names = try Self.fields(header, separator: separator, file: file, line: 1).map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        func column(_ name: String) -> Int? { names.firstIndex(of: name) }
        guard let personColumn = column("person"), let dateColumn = column("date"), let kindColumn = column("kind") else {
            throw RotaError("\(file):1: the columns person, date and kind are needed (weight and duty are optional)")
        }
        let (weightColumn, dutyColumn) = (column("weight"), column("duty"))
        let people = Dictionary(model.people.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let duties = Dictionary(model.duties.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var entries: [Entry] = []
        for (index, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let number = index + 1
            func fail(_ message: String) -> RotaError { RotaError("\(file):\(number): \(message)") }
            let fields = try Self.fields(line, separator: separator, file: file, line: number).map { $0.trimmingCharacters(in: .whitespaces) }
            func field(_ column: Int?) -> String { column.flatMap { $0 < fields.count ? fields[$0] : nil } ?? "" }
            guard let person = people[field(personColumn)] else { throw fail("unknown person '\(field(personColumn))'") }
            guard let range = RotaModel.parseRange(field(dateColumn)) else {
                throw fail("'\(field(dateColumn))' is not a date or a range (2027-02-01..2027-02-14)")
            }
            let kindText = field(kindColumn).lowercased().replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
            guard let kind = Kind(rawValue: kindText) ?? ["off": .wishOff, "on": .wishOn][kindText] else {
                throw fail("kind '\(field(kindColumn))' is not leave, wish off or wish on")
            }
            var weight = 1.0
            if !field(weightColumn).isEmpty {
                guard let value = Double(field(weightColumn).replacingOccurrences(of: ",", with: ".")), value > 0, value <= 100 else {
                    throw fail("weight '\(field(weightColumn))' is not a number above 0 and at most 100")
                }
                weight = value
            }
            var duty: Int?
            if !field(dutyColumn).isEmpty {
                guard kind == .wishOn else { throw fail("a duty goes with a wish on only") }
                guard let found = duties[field(dutyColumn)] else { throw fail("unknown duty '\(field(dutyColumn))'") }
                duty = found
            }
            let first = max(0, model.dayIndex(range.0)), last = min(model.days - 1, model.dayIndex(range.1))
            guard first <= last else { throw fail("\(field(dateColumn)) is outside the rota's period") }
            entries.append(Entry(person: person, days: first...last, kind: kind, weight: weight, duty: duty))
        }
        self.entries = entries
    }

    /// One line's fields: separated by `separator`, a field in double quotes may hold it (and "" for a quote).
    static func fields(_ line: String, separator: Character, file: String, line number: Int) throws(RotaError) -> [String] {
        var fields: [String] = [], current = "", quoted = false, afterQuote = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            if quoted {
                if character == "\"" { quoted = false; afterQuote = true } else { current.append(character) }
            } else if character == "\"" {
                if afterQuote { current.append("\"") }
                quoted = true
                afterQuote = false
            } else if character == separator {
                fields.append(current)
                (current, afterQuote) = ("", false)
            } else {
                current.append(character)
                afterQuote = false
            }
        }
        guard !quoted else { throw RotaError("\(file):\(number): a quoted field is not closed") }
        fields.append(current)
        return fields
    }
}

extension RotaModel {
    /// Adds the file's leave and wishes to the people's own.
    public mutating func apply(_ wishes: WishesFile) {
        for entry in wishes.entries {
            for day in entry.days {
                switch entry.kind {
                case .leave: people[entry.person].unavailableDays.insert(day)
                case .wishOff: people[entry.person].dayOffWishes[day] = entry.weight
                case .wishOn:
                    if let duty = entry.duty {
                        if !slots(day: day, duty: duty).isEmpty { people[entry.person].dutyWishes[DayDuty(day: day, duty: duty)] = entry.weight }
                    } else {
                        people[entry.person].dayOnWishes[day] = entry.weight
                    }
                }
            }
        }
    }
}
