import Foundation

/// Finds and cleans identifying values in decoded free text (the profile's C, and text outside Table E.1-1):
/// case and accents are ignored ("MÜLLER" finds "Muller"), short terms match only as whole words and numbers
/// (IDs, dates, UIDs) only as whole numbers, and each match becomes "***" while the rest of the text keeps its
/// characters.
struct TextScrubber: Sendable {
    enum Boundary: Sendable { case none, word, number }

    struct Term: Sendable {
        let folded: [UInt8]
        let boundary: Boundary
    }

    /// Longest first, so that a whole name goes before its parts.
    private let terms: [Term]

    /// `values` match anywhere, `wholeWords` only between word boundaries (three-letter name parts).
    init<S: Sequence>(identifyingValues values: S, wholeWords: [String] = []) where S.Element == String {
        var terms: [String: Boundary] = [:]
        for value in values where value.count >= 2 {
            let folded = Self.fold(value)
            terms[folded] = folded.utf8.allSatisfy(Self.isNumberByte) ? .number : Boundary.none
        }
        for value in wholeWords where value.count >= 2 { terms[Self.fold(value)] = terms[Self.fold(value)] ?? .word }
        self.terms = terms.filter { !$0.key.isEmpty }.map { Term(folded: Array($0.key.utf8), boundary: $0.value) }
            .sorted { $0.folded.count != $1.folded.count ? $0.folded.count > $1.folded.count : $0.folded.lexicographicallyPrecedes($1.folded) }
    }

    var isEmpty: Bool { terms.isEmpty }

    /// Whether any identifying value occurs in the text.
    func contains(_ text: String) -> Bool {
        guard !terms.isEmpty, !text.isEmpty else { return false }
        let folded = Array(Self.fold(text).utf8)
        return terms.contains { !matches(of: $0, in: folded).isEmpty }
    }

    /// The text with every identifying value replaced by "***".
    func scrub(_ text: String) -> String {
        guard contains(text) else { return text }
        // Fold character by character, remembering which character each folded byte came from.
        let characters = Array(text)
        var folded: [UInt8] = [], owner: [Int] = []
        for (index, character) in characters.enumerated() {
            let bytes = Array(Self.fold(String(character)).utf8)
            folded += bytes
            owner += Array(repeating: index, count: bytes.count)
        }
        var cut = [Bool](repeating: false, count: characters.count)
        for term in terms {
            for start in matches(of: term, in: folded) {
                for index in owner[start]...owner[start + term.folded.count - 1] { cut[index] = true }
            }
        }
        var result = "", inCut = false
        for (index, character) in characters.enumerated() {
            if cut[index] {
                if !inCut { result += "***" }
                inCut = true
            } else {
                result.append(character)
                inCut = false
            }
        }
        return result
    }

    private func matches(of term: Term, in folded: [UInt8]) -> [Int] {
        let needle = term.folded
        guard let first = needle.first, folded.count >= needle.count else { return [] }
        var found: [Int] = []
        for start in 0...(folded.count - needle.count) where folded[start] == first {
            guard folded[start..<(start + needle.count)].elementsEqual(needle) else { continue }
            let before = start > 0 ? folded[start - 1] : 0x20, after = start + needle.count < folded.count ? folded[start + needle.count] : 0x20
            switch term.boundary {
            case .none: found.append(start)
            case .word: if !Self.isWordByte(before) && !Self.isWordByte(after) { found.append(start) }
            case .number: if !Self.isNumberByte(before) && !Self.isNumberByte(after) { found.append(start) }
            }
        }
        return found
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool { (byte >= 0x30 && byte <= 0x39) || byte == 0x2E }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte >= 0x80
    }

    /// Lower case, without accents: the form both sides are compared in.
    static func fold(_ text: String) -> String { text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
}
