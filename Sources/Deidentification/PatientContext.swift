import DicomCore
import Foundation

/// The patient an object belongs to, read before any change: the keyed pseudonym, the date shift, and the
/// original values the map keeps so that answers can be filed under the right patient.
struct PatientContext {
    let originalID: String
    let originals: [(Tag, String)]
    let studyOriginals: [(Tag, String)]
    let pseudonymID: String
    let dateShift: Int
    /// The patient's name in its free-text forms and parts (NameForms).
    let names: (whole: [String], parts: [String], shortParts: [String])
    private let accessionToken: (String) -> String

    /// Patient-level attributes whose originals go to the map.
    static let patientAttributes: [Tag] = [.patientID, .issuerOfPatientID, .patientName, .patientBirthDate, .patientSex]
    /// Study-level attributes whose originals go to the map.
    static let studyAttributes: [Tag] = [.accessionNumber, .studyID, .studyDate, .studyTime, .studyDescription]

    init(object: DicomObject, pseudonymizer: Pseudonymizer, template: String) throws {
        var originals: [(Tag, String)] = []
        for tag in Self.patientAttributes {
            if let value = try object.string(tag)?.trimmedPadding, !value.isEmpty { originals.append((tag, value)) }
        }
        self.originals = originals
        var studyOriginals: [(Tag, String)] = []
        for tag in Self.studyAttributes {
            if let value = try object.string(tag)?.trimmedPadding, !value.isEmpty { studyOriginals.append((tag, value)) }
        }
        self.studyOriginals = studyOriginals
        func value(_ tag: Tag) -> String { originals.first { $0.0 == tag }?.1 ?? "" }
        originalID = value(.patientID)
        // The patient is known by issuer and ID; without an ID, by name and birth date (never empty: an
        // object without any of them still gets a stable pseudonym of its own study).
        var identity = "\(value(.issuerOfPatientID))\u{0}\(originalID)"
        if originalID.isEmpty {
            identity = "\u{0}\(value(.patientName))\u{0}\(value(.patientBirthDate))"
            if value(.patientName).isEmpty { identity += try object.string(.studyInstanceUID) ?? "" }
        }
        pseudonymID = template.replacingOccurrences(of: "{hash}", with: pseudonymizer.token("patient", identity))
        dateShift = pseudonymizer.dateShiftDays(forPatient: identity)
        names = NameForms.forms(of: value(.patientName))
        accessionToken = { "A" + pseudonymizer.token("accession", $0, length: 14) }
    }

    /// The pseudonym written for Patient ID, Patient's Name or Accession Number.
    func pseudonym(for tag: Tag, accession: String) -> String {
        switch tag {
        case .accessionNumber: accession.trimmedPadding.isEmpty ? "" : accessionToken(accession)
        default: pseudonymID
        }
    }

    /// The map's lines for this object's patient and study, read from the de-identified object (whose Study
    /// Instance UID is the pseudonym that comes back from the expert). UIDs are recorded as they are remapped.
    func records(studyOf object: DicomObject) throws -> [MapRecord] {
        var records = originals.map { MapRecord(kind: "patient", pseudonym: pseudonymID, attribute: $0.0.description, original: $0.1) }
        records.append(MapRecord(kind: "patient", pseudonym: pseudonymID, attribute: "date-shift", original: "\(dateShift)"))
        guard let study = try object.string(.studyInstanceUID), !study.isEmpty else { return records }
        records += studyOriginals.map { MapRecord(kind: "study", pseudonym: study, attribute: $0.0.description, original: $0.1) }
        records.append(MapRecord(kind: "study", pseudonym: study, attribute: "patient", original: pseudonymID))
        return records
    }
}
