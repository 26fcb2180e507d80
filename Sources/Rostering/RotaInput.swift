import Foundation
import Yams

/// The rota file as the rota manager writes it (YAML). See `examples/territory.yaml`.
public struct RotaInput: Decodable, Sendable {
    public struct Period: Decodable, Sendable {
        public let start: String
        public let end: String
    }

    public struct Rules: Decodable, Sendable {
        /// Days in a row with a duty, at most.
        public var maxConsecutiveDays = 3
        /// Days between the starts of two night duties, at least (2: never two nights in a row).
        public var minDaysBetweenNights = 2
        /// Average working hours per week over the averaging window, at most (duties plus regular hours).
        public var maxHoursPerWeek = 48.0
        public var averagingWeeks = 17
        /// Rest after a night of work (repos de sécurité), in hours.
        public var restAfterNightHours = 11.0

        enum CodingKeys: String, CodingKey {
            case maxConsecutiveDays = "max-consecutive-days", minDaysBetweenNights = "min-days-between-nights"
            case maxHoursPerWeek = "max-hours-per-week", averagingWeeks = "averaging-weeks"
            case restAfterNightHours = "rest-after-night-hours"
        }

        public init() {}

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            maxConsecutiveDays = try container.decodeIfPresent(Int.self, forKey: .maxConsecutiveDays) ?? maxConsecutiveDays
            minDaysBetweenNights = try container.decodeIfPresent(Int.self, forKey: .minDaysBetweenNights) ?? minDaysBetweenNights
            maxHoursPerWeek = try container.decodeIfPresent(Double.self, forKey: .maxHoursPerWeek) ?? maxHoursPerWeek
            averagingWeeks = try container.decodeIfPresent(Int.self, forKey: .averagingWeeks) ?? averagingWeeks
            restAfterNightHours = try container.decodeIfPresent(Double.self, forKey: .restAfterNightHours) ?? restAfterNightHours
        }
    }

    /// Weights of the objective's parts, after the hard rules.
    public struct Weights: Decodable, Sendable {
        public var nights = 4.0
        public var weekends = 3.0
        public var holidays = 3.0
        public var duties = 1.0
        public var wishes = 1.0
        public var spread = 0.5

        public init() {}

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: DynamicKey.self)
            func value(_ name: String, _ fallback: Double) throws -> Double {
                try container.decodeIfPresent(Double.self, forKey: DynamicKey(name)) ?? fallback
            }
            (nights, weekends, holidays) = (try value("nights", nights), try value("weekends", weekends), try value("holidays", holidays))
            (duties, wishes, spread) = (try value("duties", duties), try value("wishes", wishes), try value("spread", spread))
        }
    }

    public struct Site: Decodable, Sendable {
        public let id: String
        public let name: String?
        public let colour: String?
    }

    public struct Duty: Decodable, Sendable {
        public let id: String
        public let name: String?
        public let site: String
        /// garde (on site; no duty the next day), astreinte (from home) or remote-reading.
        public let kind: String
        public let start: String
        public let end: String
        /// mon...sun and holiday; default every day.
        public let days: [String]?
        public let needed: Int?
        public let qualification: String?
        /// Hours counted towards the weekly limit (default: the duty's length for garde and remote-reading,
        /// none for astreinte).
        public let hours: Double?
    }

    public struct Wish: Decodable, Sendable {
        public let date: String
        /// A duty wished for on that date; absent: the day off is wished for.
        public let duty: String?
        public let weight: Double?
    }

    public struct Person: Decodable, Sendable {
        public let id: String
        public let name: String?
        public let site: String
        public let duties: [String]
        public let qualifications: [String]?
        public let fte: Double?
        public let maxPerMonth: Int?
        /// Regular hours per week besides the duties, for the weekly limit.
        public let regularHours: Double?
        /// Dates ("2027-02-14") or ranges ("2027-02-01..2027-02-14").
        public let unavailable: [String]?
        public let wishes: [Wish]?

        enum CodingKeys: String, CodingKey {
            case id, name, site, duties, qualifications, fte, unavailable, wishes
            case maxPerMonth = "max-per-month", regularHours = "regular-hours"
        }
    }

    public struct History: Decodable, Sendable {
        public let nights: Double?
        public let weekends: Double?
        public let holidays: Double?
        public let duties: Double?
    }

    public struct Pin: Decodable, Sendable {
        public let date: String
        public let duty: String
        public let person: String
    }

    public let period: Period
    public let alsaceMoselle: Bool?
    public let rules: Rules?
    public let weights: Weights?
    public let sites: [Site]
    public let duties: [Duty]
    public let people: [Person]
    public let history: [String: History]?
    public let pinned: [Pin]?

    enum CodingKeys: String, CodingKey {
        case period, rules, weights, sites, duties, people, history, pinned
        case alsaceMoselle = "alsace-moselle"
    }

    /// Reads a rota file; errors name the line and the field.
    public static func load(yaml: String, file: String) throws(RotaError) -> RotaInput {
        do { return try YAMLDecoder().decode(RotaInput.self, from: yaml) } catch let error as DecodingError {
            let (path, message) = Self.describe(error)
            let line = YAMLLocator(yaml: yaml).line(of: path)
            throw RotaError("\(file):\(line.map { "\($0):" } ?? "") \(path.isEmpty ? "" : "\(path): ")\(message)")
        } catch let error as YamlError {
            throw RotaError("\(file): \(String(describing: error).split(separator: "\n").first ?? "invalid YAML")")
        } catch {
            throw RotaError("\(file): \(error)")
        }
    }

    static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ context: DecodingError.Context, _ extra: CodingKey? = nil) -> String {
            (context.codingPath + (extra.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context): return (path(context, key), "missing")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return (path(context), context.debugDescription)
        @unknown default: return ("", "\(error)")
        }
    }
}

struct DynamicKey: CodingKey {
    let stringValue: String
    let intValue: Int? = nil
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Finds the line of a field ("people[3].fte") in the YAML text, through Yams' node marks.
struct YAMLLocator {
    let root: Node?

    init(yaml: String) { root = try? Yams.compose(yaml: yaml) }

    func line(of path: String) -> Int? {
        guard var node = root else { return nil }
        var line = node.mark?.line
        for component in Self.components(path) {
            if let index = Int(component), let sequence = node.sequence, index < sequence.count {
                node = sequence[index]
            } else if let mapping = node.mapping, let pair = mapping.first(where: { $0.key.string == component }) {
                line = pair.key.mark?.line ?? line
                node = pair.value
                continue
            } else {
                break
            }
            line = node.mark?.line ?? line
        }
        return line
    }

    static func components(_ path: String) -> [String] {
        path.replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "").split(separator: ".").map(String.init)
    }
}

public struct RotaError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
