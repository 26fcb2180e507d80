import DicomCore
import Foundation

/// De-identifies objects in place by PS3.15's Basic Application Level Confidentiality Profile and its
/// options, at every depth of every sequence, in the file meta information and in elements of VR UN;
/// identifiers become keyed pseudonyms so the sender can link answers back.
public struct Deidentifier: Sendable {
    public let settings: DeidentificationSettings
    public let pseudonymizer: Pseudonymizer
    private let resolver: ActionResolver

    public init(settings: DeidentificationSettings, pseudonymizer: Pseudonymizer) {
        self.settings = settings
        self.pseudonymizer = pseudonymizer
        resolver = ActionResolver(settings: settings)
    }

    /// One element the de-identification changed (never its value: reports must not leak).
    public struct Change: Sendable, Hashable {
        public let path: String
        public let tag: Tag
        public let vr: String
        public let action: ElementAction
    }

    public struct Outcome: Sendable {
        public var changes: [Change] = []
        /// The identifying values of the original that must appear nowhere in the output.
        public var scanner = LeakScanner()
        /// Lines for the map file (original -> pseudonym).
        public var records: [MapRecord] = []
        public var pixelsCleaned = false
        /// Whether identifying text was cleaned from attributes the profile's table keeps.
        public var cleanedOutsideTable = false
        /// Length of the native top-level pixel data value, which the verification need not search.
        public var pixelValueLength: Int?
        /// The Specific Character Set the object's text is written in (its own, or ISO_IR 192 when DCMTK
        /// cannot write that one back).
        public var characterSet = ""
        /// Decoded text values that still hold an identifying value (attributes an option or an override
        /// kept): the output must not be written.
        public var decodedLeaks: [LeakScanner.Leak] = []
    }

    /// De-identifies `object` in place. Throws, leaving the object half-changed, for objects refused
    /// (burned-in text) or that DCMTK cannot change: the caller must then discard it.
    public func deidentify(_ object: DicomObject) throws -> Outcome {
        var outcome = Outcome()
        // Every value is read, matched and edited as real characters, and written back in the object's own set.
        let declaredCharacterSet = try object.decodeText(assuming: settings.assumedCharacterSet)
        var elements = try object.elements()
        let patient = try PatientContext(object: object, pseudonymizer: pseudonymizer, template: settings.pseudonymTemplate)
        outcome.pixelsCleaned = try handleBurnedInText(object, elements: elements, patient: patient)
        if outcome.pixelsCleaned { elements = try object.elements() }
        var outsideTable: Set<ElementPath> = []
        let plan = plan(elements, outsideTable: &outsideTable)
        if let pixels = elements.last(where: { $0.tag == .pixelData && $0.depth == 0 }), !pixels.isEncapsulated {
            outcome.pixelValueLength = pixels.length.map(Int.init)
        }
        for (element, action) in plan where action != .keep {
            outcome.changes.append(Change(path: element.path.description, tag: element.tag, vr: element.vr, action: action))
            outcome.scanner.add(element, includingPrivate: false)
        }
        let kept = plan.lazy.filter { $0.1 == .keep }.flatMap { $0.0.values.map { $0.trimmedPadding } }
        let written = Self.writtenTexts.union([patient.pseudonymID])
        outcome.scanner.exclude(keptValues: Set(kept).union(written))
        // Names and the patient's identifiers must go whatever the options and overrides say.
        var core = LeakScanner()
        for element in elements where element.vr == "PN" || Self.patientIdentifiers.contains(element.tag) { core.add(element) }
        core.exclude(keptValues: written)
        outcome.scanner.merge(core)
        let scrubber = TextScrubber(identifyingValues: outcome.scanner.values + patient.names.whole + patient.names.parts,
                                    wholeWords: patient.names.shortParts)
        for (element, action) in plan.reversed() where action != .keep {
            try apply(action, to: element, in: object, patient: patient, scrubber: scrubber, records: &outcome.records)
        }
        try removeEmptyPrivateBlocks(object, plan: plan)
        let keptElements = plan.lazy.filter { $0.1 == .keep }.map(\.0)
        let cleaned = try cleanOutsideTable(object, elements: keptElements.filter { outsideTable.contains($0.path) }, scrubber: scrubber)
        outcome.changes += cleaned
        outcome.cleanedOutsideTable = !cleaned.isEmpty
        // What every other action wrote is the tool's own text; what an option or override kept is checked.
        outcome.decodedLeaks = IdentityCheck.decodedLeaks(in: keptElements.filter { !outsideTable.contains($0.path) }, scrubber: scrubber)
        try record(in: object, pixelsCleaned: outcome.pixelsCleaned, cleanedOutsideTable: outcome.cleanedOutsideTable)
        outcome.records += try patient.records(studyOf: object)
        outcome.characterSet = try object.encodeText(as: declaredCharacterSet)
        return outcome
    }

    /// Identifying values left in text the table keeps (a presentation state's Content Description "for
    /// KERBRAT review", a study description naming the patient): cut out of free text, other values replaced
    /// by their VR's dummy. Returns the changes, for the report (never the values).
    private func cleanOutsideTable(_ object: DicomObject, elements: [Element], scrubber: TextScrubber) throws -> [Change] {
        guard !scrubber.isEmpty else { return [] }
        var changes: [Change] = []
        // Coded strings (CS) hold defined terms ("DERIVED\PRIMARY\PERFUSION"), never free text: a name that
        // happens to be a term is left to the exact check.
        for element in elements.reversed() where element.vr != "UI" && element.vr != "CS" {
            guard let text = element.text, scrubber.contains(text) else { continue }
            let action: ElementAction
            if Self.freeTextVRs.contains(element.vr), case let cleaned = scrubber.scrub(text), !scrubber.contains(cleaned) {
                try object.set(element.path, cleaned)
                action = .clean
            } else {
                if let dummy = Self.dummyValue(vr: element.vr) { try object.set(element.path, dummy) } else { try object.set(element.path, "") }
                action = .dummy
            }
            changes.append(Change(path: element.path.description, tag: element.tag, vr: element.vr, action: action))
        }
        return changes.reversed()
    }

    static let freeTextVRs: Set<String> = ["LO", "SH", "LT", "ST", "UT", "UC"]

    // MARK: Planning

    /// The action for every element the walk reaches; children of removed or emptied sequences are not
    /// reached (they go with their sequence).
    func plan(_ elements: [Element], outsideTable: inout Set<ElementPath>) -> [(Element, ElementAction)] {
        var plan: [(Element, ElementAction)] = []
        plan.reserveCapacity(elements.count)
        var gone: Set<ElementPath> = []
        var treatments: [ElementPath: ActionResolver.TextTreatment] = [:]
        var creators: [ElementPath: String] = [:]
        for element in elements {
            let ancestors = element.path.enclosingSequences
            if ancestors.contains(where: gone.contains) { continue }
            let treatment = ancestors.reversed().lazy.compactMap { treatments[$0] }.first ?? .none
            if element.tag.isPrivateCreator, let text = element.text {
                creators[element.path] = text.trimmedPadding
            }
            let creator = element.tag.privateBlock.flatMap { creators[element.path.sibling(Tag(element.tag.group, UInt16($0)))] }
            let action = resolver.action(for: element, creator: creator, treatment: treatment)
            plan.append((element, action))
            if action == .keep && element.text != nil && resolver.isOutsideTable(element, creator: creator) {
                outsideTable.insert(element.path)
            }
            if element.isSequence {
                switch action {
                case .remove, .empty: gone.insert(element.path)
                case .dummy: treatments[element.path] = .dummy
                case .clean: treatments[element.path] = .clean
                default: break
                }
            }
        }
        return plan
    }

    // MARK: Applying

    private func apply(
        _ action: ElementAction, to element: Element, in object: DicomObject, patient: PatientContext,
        scrubber: TextScrubber, records: inout [MapRecord]
    ) throws {
        let path = element.path
        switch action {
        case .keep: return
        case .remove: try object.delete(path)
        case .empty:
            if element.isSequence {
                for item in stride(from: element.itemCount - 1, through: 0, by: -1) { try object.delete(path.item(item)) }
            } else if element.text != nil || element.length == 0 { try object.set(path, "") } else { try object.set(path, bytes: []) }
        case .dummy:
            if element.isSequence { return }
            if let dummy = Self.dummyValue(vr: element.vr) { try object.set(path, dummy) } else { try object.set(path, bytes: []) }
        case .clean:
            guard !element.isSequence, let text = element.text else { return }
            let cleaned = scrubber.scrub(text)
            if cleaned != text { try object.set(path, cleaned) }
        case .uid:
            guard let text = element.text else { return }
            let mapped = element.values.map { original -> String in
                let value = original.trimmedPadding
                guard !value.isEmpty, !ActionResolver.isWellKnownUID(value) else { return value }
                let uid = pseudonymizer.uid(for: value)
                records.append(MapRecord(kind: "uid", pseudonym: uid, attribute: "", original: value))
                return uid
            }
            if mapped.joined(separator: "\\") != text { try object.set(path, mapped.joined(separator: "\\")) }
        case .pseudonym:
            try object.set(path, patient.pseudonym(for: element.tag, accession: element.text ?? ""))
        case .shiftDate:
            guard let text = element.text, !text.isEmpty else { return }
            let shifter = DateShifter(days: patient.dateShift)
            let shifted = element.vr == "DT" ? shifter.shiftDateTime(text) : shifter.shiftDate(text)
            try object.set(path, shifted ?? "")
        }
    }

    /// Identifiers no option retains: the verification looks for them even where an override kept them.
    static let patientIdentifiers: Set<Tag> = [.patientID, .patientBirthDate, .accessionNumber, .patientAddress,
                                               .patientTelephoneNumbers, .otherPatientIDsSequence, Tag(0x0010, 0x1000)]

    /// Texts the de-identification itself writes: dummies, the method and its codes.
    static let writtenTexts: Set<String> = Set(
        ["AE", "DA", "DT", "TM", "AS", "DS", "UR"].compactMap(dummyValue) + [methodDescription, cleanedOutsideDescription]
            + ProfileOption.allCases.map(\.codeMeaning) + ["Basic Application Confidentiality Profile"])

    static let methodDescription = "dcm-anon PS3.15 E.1-1 2024b keyed pseudonyms"
    /// The method's second value when identifying text was cleaned from attributes the table keeps.
    static let cleanedOutsideDescription = "identifying text cleaned outside E.1-1"

    /// A dummy of the VR; nil for binary VRs, which are emptied instead.
    static func dummyValue(vr: String) -> String? {
        switch vr {
        case "AE", "CS", "LO", "LT", "SH", "ST", "UT", "UC", "PN": "ANONYMIZED"
        case "DA": "19000101"
        case "DT": "19000101000000"
        case "TM": "000000"
        case "AS": "000Y"
        case "DS", "IS", "FL", "FD", "SL", "SS", "UL", "US", "SV", "UV": "0"
        case "UR": "urn:anonymized"
        default: nil
        }
    }

    /// Private creators whose blocks lost every data element go too.
    private func removeEmptyPrivateBlocks(_ object: DicomObject, plan: [(Element, ElementAction)]) throws {
        var used: Set<ElementPath> = []
        for (element, action) in plan where action != .remove && element.tag.privateBlock != nil {
            used.insert(element.path.sibling(Tag(element.tag.group, UInt16(element.tag.privateBlock!))))
        }
        for (element, action) in plan where element.tag.isPrivateCreator && action == .keep && !used.contains(element.path) {
            try object.delete(element.path)
        }
    }

    /// Patient Identity Removed, the method, its code sequence and whether dates were modified.
    private func record(in object: DicomObject, pixelsCleaned: Bool, cleanedOutsideTable: Bool) throws {
        let options = settings.recordedOptions(pixelsCleaned: pixelsCleaned)
        try object.set(Tag(0x0012, 0x0062), "YES")
        let method = [Self.methodDescription] + (cleanedOutsideTable ? [Self.cleanedOutsideDescription] : [])
        try object.set(Tag(0x0012, 0x0063), method.joined(separator: "\\"))
        let sequence = ElementPath(Tag(0x0012, 0x0064))
        try object.delete(sequence)
        let codes = [("113100", "Basic Application Confidentiality Profile")] + options.map { ($0.codeValue, $0.codeMeaning) }
        for (value, meaning) in codes {
            let item = try object.appendItem(to: sequence)
            try object.set(sequence.appending(item: item, Tag(0x0008, 0x0100)), value)
            try object.set(sequence.appending(item: item, Tag(0x0008, 0x0102)), "DCM")
            try object.set(sequence.appending(item: item, Tag(0x0008, 0x0104)), meaning)
        }
        let dates = settings.options.contains(.retainLongitudinalFullDates)
            ? "UNMODIFIED" : settings.options.contains(.retainLongitudinalModifiedDates) ? "MODIFIED" : "REMOVED"
        try object.set(Tag(0x0028, 0x0303), dates)
    }

    /// Refuses objects with burned-in text unless accepted, or blanks the regions a rule names.
    /// Returns whether pixels were blanked.
    private func handleBurnedInText(_ object: DicomObject, elements: [Element], patient: PatientContext) throws -> Bool {
        guard let reason = try BurnedInRisk.reason(in: object, elements: elements) else { return false }
        switch settings.burnedIn {
        case .accept: return false
        case .auto(let recognizer):
            guard let geometry = try object.imageGeometry() else { throw DeidentificationError("\(reason): no image geometry") }
            let identifying = IdentifyingWords(
                names: patient.names.whole + patient.names.parts + patient.names.shortParts,
                identifiers: [Tag.patientID, .accessionNumber, Tag(0x0010, 0x1000), .studyID].compactMap { try? object.string($0) },
                dates: [Tag.patientBirthDate, .studyDate, .seriesDate, .acquisitionDate, .contentDate].compactMap { try? object.string($0) })
            do {
                let blanked = try BurnedInTextCleaner(recognizer: recognizer).clean(object, geometry: geometry, identifying: identifying)
                try object.set(.burnedInAnnotation, "NO")
                return blanked > 0
            } catch let error as DeidentificationError {
                throw DeidentificationError("\(reason): \(error.description)")
            }
        case .refuse:
            throw DeidentificationError("\(reason): refused (blank it with --clean-pixels RULES, or --accept-burned-in)")
        case .clean(let rules):
            guard let geometry = try object.imageGeometry() else { throw DeidentificationError("\(reason): no image geometry") }
            guard let rule = try rules.rule(for: object, geometry: geometry) else {
                let manufacturer = try object.string(.manufacturer) ?? "no manufacturer"
                let model = try object.string(.manufacturerModelName) ?? "no model"
                throw DeidentificationError(
                    "\(reason): no --clean-pixels rule matches \(manufacturer) / \(model) \(geometry.columns)x\(geometry.rows): refused")
            }
            try PixelBlanker.blank(rule.blank, in: object, geometry: geometry)
            try object.set(.burnedInAnnotation, "NO")
            return true
        }
    }
}
