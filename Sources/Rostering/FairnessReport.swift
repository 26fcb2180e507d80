import Foundation

/// Per person: nights, weekends, holidays and all duties (history included) against the pro-rata target,
/// and the spread of nights per FTE among the people who take nights.
public struct FairnessReport: Sendable {
    public struct Line: Sendable {
        public let person: String
        public let name: String
        public let fte: Double
        public let counts: [Double]  // per category, history included
        public let targets: [Double]
        /// Per category: taken this period beyond the fairest rota the availabilities allowed (`FairnessBound`),
        /// what the next period carries.
        public let carry: [Double]
    }

    public let lines: [Line]
    /// Max minus min of nights per FTE (people eligible for nights), history included.
    public let nightsPerFTESpread: Double

    public init(_ roster: Roster, bound: FairnessBound? = nil) {
        let model = roster.model
        let fair = (bound ?? FairnessBound(model: model)).fairCounts
        lines = model.people.indices.map { person in
            let who = model.people[person]
            return Line(
                person: who.id, name: who.name, fte: who.fte,
                counts: RotaModel.Category.allCases.map { roster.count(person, $0) + (who.history[$0] ?? 0) },
                targets: RotaModel.Category.allCases.map { roster.target(person, $0) },
                carry: RotaModel.Category.allCases.map { roster.count(person, $0) - fair[person][$0.rawValue] })
        }
        let perFTE = lines.filter { $0.targets[RotaModel.Category.nights.rawValue] > 0 }
            .map { $0.counts[RotaModel.Category.nights.rawValue] / $0.fte }
        nightsPerFTESpread = (perFTE.max() ?? 0) - (perFTE.min() ?? 0)
    }

    public var text: String {
        var rows = ["person  fte   nights (target)   weekends (target)   holidays (target)   duties (target)"]
        for line in lines {
            let cells = RotaModel.Category.allCases.map { category in
                String(format: "%6.0f (%6.1f)", line.counts[category.rawValue], line.targets[category.rawValue])
            }
            rows.append(line.person.padding(toLength: 7, withPad: " ", startingAt: 0) + String(format: " %3.0f%%", line.fte * 100) + "  "
                        + cells.joined(separator: "     "))
        }
        rows.append(String(format: "nights per FTE: max - min = %.2f (people who take nights; history included)", nightsPerFTESpread))
        return rows.joined(separator: "\n") + "\n"
    }

    public var csv: String {
        var rows = ["person,name,fte," + RotaModel.Category.allCases.map { "\($0.name),\($0.name)_target,\($0.name)_carry" }.joined(separator: ",")]
        for line in lines {
            let values = RotaModel.Category.allCases.map {
                String(format: "%.0f,%.2f,%.2f", line.counts[$0.rawValue], line.targets[$0.rawValue], line.carry[$0.rawValue])
            }
            rows.append("\(line.person),\(RotaCSV.quoted(line.name)),\(line.fte)," + values.joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }
}
