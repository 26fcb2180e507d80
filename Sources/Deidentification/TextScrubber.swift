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
        var terms: [[UInt8]: Boundary] = [:]
        for value in values where value.count >= 2 {
            let folded = Self.foldedBytes(value)
            terms[folded] = folded.allSatisfy(Self.isNumberByte) ? .number : Boundary.none
        }
        for value in wholeWords where value.count >= 2 { terms[Self.foldedBytes(value)] = terms[Self.foldedBytes(value)] ?? .word }
        self.terms = terms.filter { !$0.key.isEmpty }.map { Term(folded: $0.key, boundary: $0.value) }
            .sorted { $0.folded.count != $1.folded.count ? $0.folded.count > $1.folded.count : $0.folded.lexicographicallyPrecedes($1.folded) }
    }

    var isEmpty: Bool { terms.isEmpty }

    /// Whether any identifying value occurs in the text.
    func contains(_ text: String) -> Bool {
        guard !terms.isEmpty, !text.isEmpty else { return false }
        let folded = Self.foldedBytes(text)
        return terms.contains { term in term.folded.count <= folded.count && !matches(of: term, in: folded, first: true).isEmpty }
    }

    /// The text with every identifying value replaced by "***".
    func scrub(_ text: String) -> String {
        guard contains(text) else { return text }
        // Fold character by character, remembering which character each folded byte came from.
        let characters = Array(text)
        var folded: [UInt8] = [], owner: [Int] = []
        for (index, character) in characters.enumerated() {
            let bytes = Self.foldedBytes(String(character))
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

    /// Where the term starts in the folded text (the first place only, with `first`).
    private func matches(of term: Term, in folded: [UInt8], first: Bool = false) -> [Int] {
        let needle = term.folded
        guard let head = needle.first, folded.count >= needle.count else { return [] }
        var found: [Int] = []
        for start in 0...(folded.count - needle.count) where folded[start] == head {
            if first && !found.isEmpty { break }
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

    /// Lower case, without accents, as UTF-8: the form both sides are compared in. ASCII, most of DICOM's
    /// text, folds without Foundation (which goes through NSString and cost more than the rest of the match).
    static func foldedBytes(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            return Array(text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).utf8)
        }
        for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5A { bytes[index] += 0x20 }
        return bytes
    }
}
