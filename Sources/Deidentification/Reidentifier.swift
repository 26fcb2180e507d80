import DicomCore
import Foundation

/// Files answers from the expert (reports, presentation states, segmentations that reference the
/// pseudonymized study) back under the real patient: every UID found in the map becomes the original again,
/// at any depth, and the patient's and the study's identifying attributes are restored from the map.
public struct Reidentifier: Sendable {
    private let uids: [String: String]
    private let patients: [String: [(Tag, String)]]
    private let studies: [String: [(Tag, String)]]
    /// Pseudonymous study UID -> pseudonymous Patient ID.
    private let studyPatients: [String: String]

    public init(records: [MapRecord]) {
        var uids: [String: String] = [:]
        var patients: [String: [(Tag, String)]] = [:]
        var studies: [String: [(Tag, String)]] = [:]
        var studyPatients: [String: String] = [:]
        for record in records {
            switch record.kind {
            case "uid": uids[record.pseudonym] = record.original
            case "patient": if let tag = Tag(record.attribute) { patients[record.pseudonym, default: []].append((tag, record.original)) }
            case "study" where record.attribute == "patient": studyPatients[record.pseudonym] = record.original
            case "study": if let tag = Tag(record.attribute) { studies[record.pseudonym, default: []].append((tag, record.original)) }
            default: continue
            }
        }
        (self.uids, self.patients, self.studies, self.studyPatients) = (uids, patients, studies, studyPatients)
    }

    public struct Outcome: Sendable {
        public var uidsRestored = 0
        public var patientRestored = false
        public var studyRestored = false
    }

    /// Restores `object` in place. Objects that reference nothing in the map are refused: filing them under
    /// a patient would be a guess.
    public func reidentify(_ object: DicomObject) throws -> Outcome {
        var outcome = Outcome()
        let pseudonymousPatient = try object.string(.patientID)?.trimmedPadding ?? ""
        let pseudonymousStudy = try object.string(.studyInstanceUID) ?? ""
        for element in try object.elements() where element.vr == "UI" && !element.inMetaInformation {
            let values = element.values
            let restored = values.map { uids[$0.trimmedPadding] ?? $0 }
            guard restored != values else { continue }
            outcome.uidsRestored += zip(values, restored).filter { $0 != $1 }.count
            try object.set(element.path, restored.joined(separator: "\\"))
        }
        var patientKey = pseudonymousPatient
        if let study = studies[pseudonymousStudy] {
            for (tag, value) in study { try object.set(tag, value) }
            outcome.studyRestored = true
            // The study names its patient: a report whose Patient ID the expert's system changed still files.
            if patients[patientKey] == nil, let linked = studyPatients[pseudonymousStudy] { patientKey = linked }
        }
        if let patient = patients[patientKey] {
            for (tag, value) in patient { try object.set(tag, value) }
            outcome.patientRestored = true
        }
        guard outcome.uidsRestored > 0 || outcome.patientRestored else {
            throw DeidentificationError("nothing in it is in the map (not a study this map pseudonymized)")
        }
        try object.set(Tag(0x0012, 0x0062), "NO")
        for tag in [Tag(0x0012, 0x0063), Tag(0x0012, 0x0064), Tag(0x0028, 0x0303)] { try object.delete(tag) }
        return outcome
    }
}
