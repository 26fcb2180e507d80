import DicomCore

/// Decides the action for each element from Table E.1-1, the options, the element's VR, the user's overrides
/// and the sequence it sits in.
struct ActionResolver: Sendable {
    let settings: DeidentificationSettings

    /// How free text not listed in the table is treated inside a sequence: the whole content of a D sequence
    /// (Content Sequence, Graphic Annotation Sequence...) is dummied, of a C sequence cleaned.
    enum TextTreatment { case none, dummy, clean }

    static let freeTextVRs: Set<String> = ["LO", "LT", "SH", "ST", "UT", "UC", "PN", "AE"]
    /// Code attributes that structure coded content and identify nobody: kept inside dummied sequences.
    static let codeAttributes: Set<Tag> = [
        Tag(0x0008, 0x0100), Tag(0x0008, 0x0102), Tag(0x0008, 0x0103), Tag(0x0008, 0x0104), Tag(0x0008, 0x0105),
        Tag(0x0008, 0x0119), Tag(0x0008, 0x0120), Tag(0x0008, 0x010F), Tag(0x0008, 0x0117),
    ]
    /// UI attributes naming classes, syntaxes and coding schemes rather than instances: never remapped.
    static let classUIDAttributes: Set<Tag> = [
        .mediaStorageSOPClassUID, .transferSyntaxUID, Tag(0x0002, 0x0012), .sopClassUID, .referencedSOPClassUID,
        Tag(0x0008, 0x001A), Tag(0x0008, 0x001B), Tag(0x0008, 0x010C), Tag(0x0008, 0x010D), Tag(0x0008, 0x0118),
        Tag(0x0004, 0x1510), Tag(0x0008, 0x0062), Tag(0x0040, 0xDB0C),
    ]
    /// File meta information that names the sending system.
    static let identifyingMeta: Set<Tag> = [Tag(0x0002, 0x0016), Tag(0x0002, 0x0017), Tag(0x0002, 0x0018),
                                            Tag(0x0002, 0x0100), Tag(0x0002, 0x0102)]
    /// Attributes the tool itself writes to record the de-identification.
    static let recordAttributes: Set<Tag> = [Tag(0x0012, 0x0062), Tag(0x0012, 0x0063), Tag(0x0012, 0x0064),
                                             Tag(0x0028, 0x0303)]
    static let pseudonymAttributes: Set<Tag> = [.patientID, .patientName, .accessionNumber]

    /// True for a UID value that names something well known (a SOP class, a syntax, a coding scheme...).
    static func isWellKnownUID(_ value: String) -> Bool { value.hasPrefix("1.2.840.10008.") }

    func action(for element: Element, creator: String?, treatment: TextTreatment) -> ElementAction {
        let tag = element.tag
        if let override = override(for: tag, creator: creator) { return override }
        if element.inMetaInformation {
            if Self.identifyingMeta.contains(tag) { return .remove }
            return tag == .mediaStorageSOPInstanceUID && !settings.options.contains(.retainUIDs) ? .uid : .keep
        }
        if Self.recordAttributes.contains(tag) || tag.isGroupLength { return .keep }
        if tag.isPrivate { return privateAction(tag: tag, creator: creator) }
        // Overlays go whole: the profile removes Overlay Data (X), and its Clean Graphics "C" cannot be done
        // on a bitmap that may hold text; rows, origin and type without the data would leave a broken overlay.
        if tag.group & 0xFF00 == 0x6000 && element.depth == 0 { return .remove }
        guard let row = ProfileRow.row(for: tag) else { return unlistedAction(element, treatment: treatment) }
        return refined(profileAction(row, vr: element.vr), element: element)
    }

    /// Whether the element is one Table E.1-1 does not list (and no override names): identifying text found
    /// in it is cleaned rather than left to the check.
    func isOutsideTable(_ element: Element, creator: String?) -> Bool {
        let tag = element.tag
        guard override(for: tag, creator: creator) == nil, !element.inMetaInformation, !Self.recordAttributes.contains(tag) else {
            return false
        }
        return tag.isPrivate || ProfileRow.row(for: tag) == nil
    }

    private func override(for tag: Tag, creator: String?) -> ElementAction? {
        guard !settings.overrides.isEmpty else { return nil }
        if let creator, tag.privateBlock != nil {
            return settings.overrides[AttributeSelector(tag: tag, creator: creator)]
        }
        return settings.overrides[AttributeSelector(tag: tag)]
    }

    /// Private data elements go unless Retain Safe Private is on and Table E.3.10-1 lists them. Creators are
    /// kept for now: the de-identifier drops those whose block ends up empty.
    private func privateAction(tag: Tag, creator: String?) -> ElementAction {
        if tag.isPrivateCreator { return .keep }
        guard settings.options.contains(.retainSafePrivate), let creator, let block = tag.privateBlock, block > 0,
            SafePrivateAttribute.isSafe(group: tag.group, element: UInt8(tag.element & 0xFF), creator: creator)
        else { return .remove }
        return .keep
    }

    /// The row's action under the options: an option that lists the attribute decides (the date options
    /// first for dates and times, then K before C), otherwise the Basic Profile's code.
    private func profileAction(_ row: ProfileRow, vr: String) -> ElementAction {
        let applicable = settings.options.compactMap { option in row.options[option].map { (option, $0) } }
        if !applicable.isEmpty {
            let dateOptions: Set<ProfileOption> = [.retainLongitudinalFullDates, .retainLongitudinalModifiedDates]
            if ["DA", "DT", "TM"].contains(vr), let date = applicable.first(where: { dateOptions.contains($0.0) }) {
                return date.1 == .K ? .keep : (vr == "TM" ? .keep : .shiftDate)
            }
            return applicable.contains(where: { $0.1 == .K }) ? .keep : .clean
        }
        switch row.basic {
        case .K: return .keep
        case .X: return .remove
        case .Z, .XZ: return .empty
        // Where the choice depends on the attribute's type in the IOD, which is not known here, replace
        // rather than remove: the object stays valid whatever the type.
        case .D, .XD, .XZD, .ZD: return .dummy
        case .C: return .clean
        case .U, .XZU: return .uid
        }
    }

    /// Adjusts an action to the VR: UIDs are never dummied but remapped, identifiers get keyed pseudonyms,
    /// dates are shifted when modified dates are kept.
    private func refined(_ action: ElementAction, element: Element) -> ElementAction {
        let retainUIDs = settings.options.contains(.retainUIDs)
        if (action == .dummy || action == .empty) && Self.pseudonymAttributes.contains(element.tag) { return .pseudonym }
        switch (action, element.vr) {
        case (.dummy, "UI"), (.clean, "UI"), (.uid, "UI"): return retainUIDs ? .keep : .uid
        case (.uid, "SQ"): return .keep  // X/Z/U*: the sequence stays, the UIDs in it are remapped
        case (.uid, _): return .dummy
        case (.keep, "DA"), (.keep, "DT"):
            return settings.options.contains(.retainLongitudinalModifiedDates) ? .shiftDate : .keep
        default: return action
        }
    }

    /// Attributes the table does not list: UIDs of instances are remapped, names are dummied (no standard
    /// name attribute is harmless), dates follow the date option, free text follows the enclosing sequence.
    private func unlistedAction(_ element: Element, treatment: TextTreatment) -> ElementAction {
        switch element.vr {
        case "UI":
            if Self.classUIDAttributes.contains(element.tag) || settings.options.contains(.retainUIDs) { return .keep }
            return element.values.allSatisfy(Self.isWellKnownUID) ? .keep : .uid
        case "PN":
            return treatment == .clean ? .clean : .dummy
        case "DA", "DT":
            return settings.options.contains(.retainLongitudinalModifiedDates) ? .shiftDate : .keep
        case "UN":
            // A public attribute DCMTK's dictionary does not know: nobody can tell what it holds.
            return .remove
        default:
            guard Self.freeTextVRs.contains(element.vr), !Self.codeAttributes.contains(element.tag) else { return .keep }
            switch treatment {
            case .none: return .keep
            case .dummy: return .dummy
            case .clean: return .clean
            }
        }
    }
}
