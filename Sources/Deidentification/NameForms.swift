/// The forms a person's name takes in free text: "DUPONT^JEAN" is also "DUPONT JEAN", "JEAN DUPONT" and
/// "DUPONT, JEAN"; its parts are searched alone when they are long enough not to match by chance (four
/// letters, or two characters of an ideographic or syllabic script, where two make a whole name).
enum NameForms {
    /// Whole-name forms (always searched) and the parts long enough to search alone. `allOrders` adds the
    /// reversed and comma forms (for the patient's own name; other names keep the stored and spaced forms).
    static func forms(of value: String, allOrders: Bool = true) -> (whole: [String], parts: [String], shortParts: [String]) {
        var whole: [String] = [], parts: [String] = [], shortParts: [String] = []
        // Alphabetic, ideographic and phonetic groups ("=") are names of their own.
        for group in value.split(separator: "=") {
            let components = group.split(separator: "^").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            whole.append(String(group))
            if components.count >= 2 {
                whole.append(components.joined(separator: " "))
                if allOrders {
                    whole.append(components.reversed().joined(separator: " "))
                    whole.append(components[0] + ", " + components[1...].joined(separator: " "))
                    whole.append(components.joined())
                }
            }
            for component in components {
                for piece in component.split(separator: " ") {
                    let part = String(piece)
                    if isIdeographicOrSyllabic(part) ? part.count >= 2 : part.count >= 4 { parts.append(part) } else if part.count == 3 {
                        shortParts.append(part)
                    }
                }
            }
        }
        return (whole.filter { $0.count >= 2 }, parts, shortParts)
    }

    /// Han, kana and Hangul: scripts where a two-character part is a whole family or given name.
    static func isIdeographicOrSyllabic(_ text: String) -> Bool {
        guard !text.utf8.allSatisfy({ $0 < 0x80 }) else { return false }
        return text.unicodeScalars.contains { scalar in
            let value = scalar.value
            return (0x3040...0x30FF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x4E00...0x9FFF).contains(value)
                || (0xAC00...0xD7AF).contains(value) || (0x1100...0x11FF).contains(value) || (0xF900...0xFAFF).contains(value)
                || (0x20000...0x2FA1F).contains(value) || (0xFF66...0xFF9F).contains(value)
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces (name components are space-padded).
    var trimmingSpaces: String {
        var slice = self[...]
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
