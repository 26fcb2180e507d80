import Foundation
import TextRecognition

/// Decides which words read in the pixels identify the patient: the object's own identifying values (name
/// parts, IDs, accession, birth date in the usual written forms), read with at most one OCR error in words
/// of five characters or more; and words that look like identifiers whoever they name (dates, numbers of
/// five digits or more).
struct IdentifyingWords: Sendable {
    private let tokens: Set<String>

    init(names: [String], identifiers: [String], dates: [String]) {
        var tokens = Set<String>()
        for value in names + identifiers {
            for word in value.split(whereSeparator: { "^= ,".contains($0) }) {
                let token = Self.normalized(String(word))
                if token.count >= 2 { tokens.insert(token) }
            }
            let whole = Self.normalized(value)
            if whole.count >= 2 { tokens.insert(whole) }
        }
        // A DICOM date YYYYMMDD as it is written on screens: DD/MM/YYYY, MM/DD/YYYY, YYYY-MM-DD, DDMMYY...
        for date in dates where date.count == 8 {
            let (year, month, day) = (date.prefix(4), date.dropFirst(4).prefix(2), date.suffix(2))
            for form in ["\(year)\(month)\(day)", "\(day)\(month)\(year)", "\(month)\(day)\(year)", "\(day)\(month)\(year.suffix(2))"] {
                tokens.insert(form)
            }
        }
        self.tokens = tokens
    }

    /// Lower case, without accents, letters and digits only: "Né" -> "ne", "12/03/1961" -> "12031961".
    static func normalized(_ text: String) -> String {
        String(text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).unicodeScalars
            .filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    func identifies(_ word: String) -> Bool {
        let token = Self.normalized(word)
        guard token.count >= 2 else { return false }
        if tokens.contains(token) { return true }
        // A word glued to its label ("ID:4829173", "NAME:DUPONT") or read with one error.
        if token.count >= 5 && tokens.contains(where: { $0.count >= 4 && (token.contains($0) || Self.withinOneEdit($0, token)) }) {
            return true
        }
        return Self.looksIdentifying(word)
    }

    /// Dates and long numbers identify someone, whoever the object names.
    static func looksIdentifying(_ word: String) -> Bool {
        let digits = word.filter(\.isNumber).count
        if digits >= 5 { return true }
        return word.range(of: #"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"#, options: .regularExpression) != nil
    }

    static func withinOneEdit(_ a: String, _ b: String) -> Bool {
        let x = Array(a), y = Array(b)
        guard abs(x.count - y.count) <= 1 else { return false }
        var i = 0, j = 0, edits = 0
        while i < x.count && j < y.count {
            if x[i] == y[j] { i += 1; j += 1; continue }
            edits += 1
            if edits > 1 { return false }
            if x.count > y.count { i += 1 } else if x.count < y.count { j += 1 } else { i += 1; j += 1 }
        }
        return edits + (x.count - i) + (y.count - j) <= 1
    }
}
