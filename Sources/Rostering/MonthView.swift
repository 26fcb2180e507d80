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
        page.append("</table>")
        page += fairnessTable(roster)
        page.append("</body></html>")
        return page.joined(separator: "\n") + "\n"
    }

    /// Fairness per person: their duties of each kind this period, then per category what they took, what
    /// they carried in (history, last year's debt or credit), the total against their pro-rata target.
    static func fairnessTable(_ roster: Roster) -> [String] {
        let model = roster.model
        let categories = RotaModel.Category.allCases
        var rows = ["<h2 id=\"fairness\">Fairness</h2>",
                    "<p>Per category: taken this period + carried in = total, against the pro-rata target (FTE, history included); "
                    + "the difference is what the next period carries.</p>",
                    "<table><tr><th>person</th><th>FTE</th>" + model.duties.map { "<th>\(escaped($0.id))</th>" }.joined()
                    + categories.map { "<th>\($0.name)</th>" }.joined() + "</tr>"]
        func number(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value) }
        for person in model.people.indices {
            let who = model.people[person]
            let perDuty = model.duties.indices.map { duty in roster.slots(of: person).filter { model.slots[$0].duty == duty }.count }
            var row = "<tr><td title=\"\(escaped(who.name))\">\(escaped(who.id))</td><td>\(Int((who.fte * 100).rounded()))%</td>"
            row += perDuty.map { "<td>\($0 == 0 ? "" : String($0))</td>" }.joined()
            for category in categories {
                let taken = roster.count(person, category), carried = who.history[category] ?? 0, target = roster.target(person, category)
                guard target > 0 || taken > 0 else { row += "<td></td>"; continue }
                let difference = taken + carried - target
                let carriedText = carried > 0 ? " + \(number(carried))" : carried < 0 ? " \u{2212} \(number(-carried))" : ""
                row += "<td>\(number(taken))" + carriedText + " = \(number(taken + carried)) / \(number(target))"
                    + " (\(difference >= 0 ? "+" : "")\(number(difference)))</td>"
            }
            rows.append(row + "</tr>")
        }
        rows.append("</table>")
        return rows
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
