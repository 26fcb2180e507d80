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
    }

    public let lines: [Line]
    /// Max minus min of nights per FTE (people eligible for nights), history included.
    public let nightsPerFTESpread: Double

    public init(_ roster: Roster) {
        let model = roster.model
        lines = model.people.indices.map { person in
            let who = model.people[person]
            return Line(
                person: who.id, name: who.name, fte: who.fte,
                counts: RotaModel.Category.allCases.map { roster.count(person, $0) + (who.history[$0] ?? 0) },
                targets: RotaModel.Category.allCases.map { roster.target(person, $0) })
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
        var rows = ["person,name,fte," + RotaModel.Category.allCases.map { "\($0.name),\($0.name)_target" }.joined(separator: ",")]
        for line in lines {
            let values = RotaModel.Category.allCases.map { String(format: "%.0f,%.2f", line.counts[$0.rawValue], line.targets[$0.rawValue]) }
            rows.append("\(line.person),\(RotaCSV.quoted(line.name)),\(line.fte)," + values.joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }
}

/// The rota month by month: an HTML page (one table per month, a column per duty, one colour per site) or a
/// terminal table for one month.
public enum MonthView {
    public static func html(_ roster: Roster) -> String {
        let model = roster.model
        var page = ["<!DOCTYPE html>", "<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Rota</title>",
                    "<style>body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #ccc;padding:2px 6px;font-size:12px}tr.we td.d{font-weight:bold}.unfilled{background:#000;color:#fff}</style>",
                    "</head><body>", "<h1>Rota \(model.start) - \(model.start.adding(days: model.days - 1))</h1>", "<p>"]
        for site in model.sites { page.append("<span style=\"background:\(site.colour);color:#fff;padding:2px 6px\">\(escaped(site.name))</span> ") }
        page.append("</p>")
        var month = -1
        for day in 0..<model.days {
            let date = model.start.adding(days: day)
            if date.month != month {
                if month >= 0 { page.append("</table>") }
                month = date.month
                page.append("<h2>\(date.year)-\(date.month < 10 ? "0" : "")\(date.month)</h2><table><tr><th>date</th>"
                            + model.duties.map { "<th>\(escaped($0.name))</th>" }.joined() + "</tr>")
            }
            let weekend = date.weekday >= 5 || model.holidayNames[day] != nil
            var row = "<tr\(weekend ? " class=\"we\"" : "")><td class=\"d\">\(date) \(RotaModel.weekdayNames[date.weekday])"
                + (model.holidayNames[day].map { " (\(escaped($0)))" } ?? "") + "</td>"
            for duty in model.duties.indices {
                let slots = model.slots(day: day, duty: duty)
                if slots.isEmpty { row += "<td></td>"; continue }
                let names = slots.map { slot -> String in
                    guard let person = roster.assignee[slot] else { return "<span class=\"unfilled\">UNFILLED</span>" }
                    let who = model.people[person]
                    return "<span style=\"background:\(model.sites[who.site].colour);color:#fff;padding:0 4px\" title=\"\(escaped(who.name))\">\(escaped(who.id))</span>"
                }
                row += "<td>" + names.joined(separator: " ") + "</td>"
            }
            page.append(row + "</tr>")
        }
        page.append("</table></body></html>")
        return page.joined(separator: "\n") + "\n"
    }

    /// One month as text: a line per day, a column per duty.
    public static func terminal(_ roster: Roster, year: Int, month: Int) -> String {
        let model = roster.model
        let width = max(8, min(18, model.duties.map(\.id.count).max() ?? 8))
        func cell(_ text: String) -> String { " " + String(text.prefix(width)).padding(toLength: width, withPad: " ", startingAt: 0) }
        var lines = ["date          " + model.duties.map { cell($0.id) }.joined()]
        for day in 0..<model.days {
            let date = model.start.adding(days: day)
            guard date.year == year && date.month == month else { continue }
            var line = "\(date) \(RotaModel.weekdayNames[date.weekday])" + (model.holidayNames[day] != nil ? "*" : " ")
            for duty in model.duties.indices {
                line += cell(model.slots(day: day, duty: duty).map { roster.assignee[$0].map { model.people[$0].id } ?? "???" }
                    .joined(separator: "+"))
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
