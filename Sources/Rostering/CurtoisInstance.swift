/// A Curtois & Qu shift scheduling benchmark instance (the format's own comments describe it): staff rules
/// are hard; the penalty is unmet shift requests plus cover deviations, each with its weight.
public struct CurtoisInstance: Sendable {
    public struct Shift: Sendable {
        public let id: String
        public let minutes: Int
        public var forbiddenNext: Set<Int>
    }

    public struct Employee: Sendable {
        public let id: String
        public var maxShifts: [Int]  // per shift type
        public let maxMinutes: Int, minMinutes: Int
        public let maxConsecutive: Int, minConsecutive: Int, minDaysOff: Int, maxWeekends: Int
        public var daysOff: Set<Int> = []
    }

    public struct Request: Sendable {
        public let employee: Int, day: Int, shift: Int, weight: Int
    }

    public struct Cover: Sendable {
        public let requirement: Int, underWeight: Int, overWeight: Int

        /// The penalty of this cover row with `count` people on duty.
        func penalty(_ count: Int) -> Int {
            count < requirement ? (requirement - count) * underWeight : (count - requirement) * overWeight
        }
    }

    /// Bounds that keep every sum of penalties and minutes far from overflowing.
    static let largestStaffLimit = 1_000_000_000, largestMinutes = 100_000, largestWeight = 1_000_000, largestRequirement = 100_000

    public let days: Int
    public let shifts: [Shift]
    public let employees: [Employee]
    public let onRequests: [Request]
    public let offRequests: [Request]
    /// [day][shift]
    public let cover: [[Cover]]

    public init(text: String, file: String) throws(RotaError) {
        var section = ""
        var days = 0
        var shifts: [Shift] = []
        var pendingForbidden: [[String]] = []
        var employees: [Employee] = []
        var on: [Request] = [], off: [Request] = []
        var coverRows: [(Int, String, Cover)] = []
        var staffFields: [[String]] = []
        var daysOffRows: [[String]] = []
        var requestRows: [(Bool, [String], Int)] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("SECTION_") { section = line; continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func fail(_ message: String) -> RotaError { RotaError("\(file):\(number + 1): \(message)") }
            switch section {
            case "SECTION_HORIZON":
                guard let value = Int(line), (1...3660).contains(value) else { throw fail("horizon must be 1 to 3660 days") }
                days = value
            case "SECTION_SHIFTS":
                guard fields.count >= 2, let minutes = Int(fields[1]) else { throw fail("expected ShiftID,Minutes,Forbidden") }
                guard (0...Self.largestMinutes).contains(minutes) else { throw fail("shift minutes must be 0 to \(Self.largestMinutes)") }
                shifts.append(Shift(id: fields[0], minutes: minutes, forbiddenNext: []))
                pendingForbidden.append(fields.count > 2 ? fields[2].split(separator: "|").map(String.init) : [])
            case "SECTION_STAFF":
                guard fields.count == 8 else { throw fail("expected 8 fields for a staff line") }
                staffFields.append(fields + [String(number + 1)])
            case "SECTION_DAYS_OFF":
                daysOffRows.append(fields + [String(number + 1)])
            case "SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS":
                guard fields.count == 4 else { throw fail("expected EmployeeID,Day,ShiftID,Weight") }
                requestRows.append((section == "SECTION_SHIFT_ON_REQUESTS", fields, number + 1))
            case "SECTION_COVER":
                guard fields.count == 5, let day = Int(fields[0]), let requirement = Int(fields[2]), let under = Int(fields[3]),
                    let over = Int(fields[4])
                else { throw fail("expected Day,ShiftID,Requirement,Under,Over") }
                guard (0...Self.largestRequirement).contains(requirement), [under, over].allSatisfy({ (0...Self.largestWeight).contains($0) }) else {
                    throw fail("requirement must be 0 to \(Self.largestRequirement), weights 0 to \(Self.largestWeight)")
                }
                coverRows.append((day, fields[1], Cover(requirement: requirement, underWeight: under, overWeight: over)))
            default:
                throw fail("data outside any known section")
            }
        }
        guard days > 0, !shifts.isEmpty else { throw RotaError("\(file): no horizon or no shifts") }
        let shiftIndex = Dictionary(shifts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, names) in pendingForbidden.enumerated() {
            for name in names where !name.isEmpty {
                guard let next = shiftIndex[name] else { throw RotaError("\(file): unknown shift '\(name)' in the shifts section") }
                shifts[index].forbiddenNext.insert(next)
            }
        }
        for fields in staffFields {
            let line = fields[8]
            var maxShifts = Array(repeating: Int.max, count: shifts.count)
            for pair in fields[1].split(separator: "|") {
                let parts = pair.split(separator: "=")
                guard parts.count == 2, let shift = shiftIndex[String(parts[0])], let value = Int(parts[1]) else {
                    throw RotaError("\(file):\(line): max shifts must look like D=14|N=5")
                }
                maxShifts[shift] = value
            }
            let numbers = fields[2...7].compactMap { Int($0) }
            guard numbers.count == 6, numbers.allSatisfy({ (0...Self.largestStaffLimit).contains($0) }) else {
                throw RotaError("\(file):\(line): staff limits must be numbers from 0 to \(Self.largestStaffLimit)")
            }
            employees.append(Employee(id: fields[0], maxShifts: maxShifts, maxMinutes: numbers[0], minMinutes: numbers[1],
                                      maxConsecutive: numbers[2], minConsecutive: numbers[3], minDaysOff: numbers[4], maxWeekends: numbers[5]))
        }
        let employeeIndex = Dictionary(employees.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for fields in daysOffRows {
            guard let employee = employeeIndex[fields[0]] else { throw RotaError("\(file):\(fields.last!): unknown employee '\(fields[0])'") }
            for day in fields.dropFirst().dropLast().compactMap({ Int($0) }) {
                guard (0..<days).contains(day) else { throw RotaError("\(file):\(fields.last!): day \(day) outside the horizon") }
                employees[employee].daysOff.insert(day)
            }
        }
        for (isOn, fields, line) in requestRows {
            guard let employee = employeeIndex[fields[0]], let day = Int(fields[1]), let shift = shiftIndex[fields[2]],
                let weight = Int(fields[3]), (0..<days).contains(day)
            else { throw RotaError("\(file):\(line): unknown employee, day or shift") }
            guard (0...Self.largestWeight).contains(weight) else { throw RotaError("\(file):\(line): weight must be 0 to \(Self.largestWeight)") }
            let request = Request(employee: employee, day: day, shift: shift, weight: weight)
            if isOn { on.append(request) } else { off.append(request) }
        }
        var cover = Array(repeating: Array(repeating: Cover(requirement: 0, underWeight: 0, overWeight: 0), count: shifts.count), count: days)
        for (day, shiftName, value) in coverRows {
            guard (0..<days).contains(day), let shift = shiftIndex[shiftName] else { throw RotaError("\(file): cover for an unknown day or shift") }
            cover[day][shift] = value
        }
        (self.days, self.shifts, self.employees, onRequests, offRequests, self.cover) = (days, shifts, employees, on, off, cover)
    }

    /// The roster file: one line per employee in the file's order, the ID then each day's shift or "-".
    public func rosterText(_ grid: [[Int]]) -> String {
        employees.indices.map { employee in
            ([employees[employee].id] + grid[employee].map { $0 < 0 ? "-" : shifts[$0].id }).joined(separator: "\t")
        }.joined(separator: "\n") + "\n"
    }
}
