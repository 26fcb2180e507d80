import DicomCore
import Foundation
import Yams

/// A small YAML profile: options, the pseudonym template and per-attribute overrides.
///
///     options: [retain-safe-private, clean-descriptors, retain-modified-dates]
///     pseudonym-template: "TLR-{hash}"
///     attributes:
///       "(0008,1030)": keep                      # keep, remove, empty, dummy, clean, uid
///       "(0019,xx0A) SIEMENS MR HEADER": keep    # a private attribute by creator
public struct ProfileFile: Decodable, Sendable {
    public let options: [String]?
    public let pseudonymTemplate: String?
    public let attributes: [String: String]?

    enum CodingKeys: String, CodingKey {
        case options
        case pseudonymTemplate = "pseudonym-template"
        case attributes
    }

    /// Reads a profile and applies it to `settings`.
    public static func apply(yaml: String, file: String, to settings: inout DeidentificationSettings) throws(DeidentificationError) {
        let profile: ProfileFile
        do { profile = try YAMLDecoder().decode(ProfileFile.self, from: yaml) } catch {
            throw DeidentificationError("\(file): \(describe(error))")
        }
        for name in profile.options ?? [] {
            guard let option = ProfileOption(rawValue: name), option != .cleanPixelData else {
                let known = ProfileOption.allCases.filter { $0 != .cleanPixelData }.map(\.rawValue).joined(separator: ", ")
                throw DeidentificationError("\(file): options: unknown option '\(name)' (known: \(known))")
            }
            settings.options.insert(option)
        }
        if let template = profile.pseudonymTemplate {
            guard template.contains("{hash}") else {
                throw DeidentificationError("\(file): pseudonym-template: must contain {hash}")
            }
            settings.pseudonymTemplate = template
        }
        for (key, value) in profile.attributes ?? [:] {
            guard let selector = selector(key) else {
                throw DeidentificationError("\(file): attributes: '\(key)' is not (gggg,eeee) or (gggg,xxee) CREATOR")
            }
            guard let action = ElementAction(rawValue: value), action != .pseudonym, action != .shiftDate else {
                throw DeidentificationError("\(file): attributes: '\(key)': unknown action '\(value)' (keep, remove, empty, dummy, clean, uid)")
            }
            settings.overrides[selector] = action
        }
        if settings.options.contains(.retainLongitudinalFullDates) && settings.options.contains(.retainLongitudinalModifiedDates) {
            throw DeidentificationError("\(file): options: retain-full-dates and retain-modified-dates exclude each other")
        }
    }

    /// "(0008,1030)" or "(0019,xx0A) CREATOR NAME".
    static func selector(_ text: String) -> AttributeSelector? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let close = trimmed.firstIndex(of: ")") else { return nil }
        let tagText = String(trimmed[...close]).uppercased()
        let creator = trimmed[trimmed.index(after: close)...].trimmingCharacters(in: .whitespaces)
        if creator.isEmpty {
            guard let tag = Tag(tagText), !tag.isPrivate else { return nil }
            return AttributeSelector(tag: tag)
        }
        guard let tag = Tag(tagText.replacingOccurrences(of: "XX", with: "00")), tag.isPrivate else { return nil }
        return AttributeSelector(tag: tag, creator: creator)
    }

    /// A YAML or decoding error as one line with its location.
    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.keyNotFound(_, let context), DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return (path.isEmpty ? "" : "\(path): ") + context.debugDescription
        case let yaml as YamlError:
            return "\(yaml)".split(separator: "\n").first.map(String.init) ?? "invalid YAML"
        default:
            return "\(error)"
        }
    }
}
