import DicomCore
import Foundation
import TestSupport
import Testing

@testable import Deidentification

/// The generated table against the standard's own data, read independently here.
@Suite struct ProfileTableTests {
    struct StandardRow: Decodable {
        let name: String
        let tag: String
        let basicProfile: String
    }

    static func standardRows() throws -> [StandardRow] {
        let data = try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("ps315/confidentiality-profile-2024b.json"))
        return try JSONDecoder().decode([StandardRow].self, from: data)
    }

    @Test func everyRowOfTheNewestEditionIsInTheTableWithItsAction() throws {
        let codes: [String: BasicAction] = ["D": .D, "Z": .Z, "X": .X, "K": .K, "C": .C, "U": .U, "X/Z": .XZ,
                                            "X/D": .XD, "X/Z/D": .XZD, "X/Z/U*": .XZU, "Z/D": .ZD]
        let rows = try Self.standardRows()
        #expect(rows.count == 621)
        var checked = 0
        for row in rows {
            // "(50XX,XXXX)" and the like: check one member of the repeating group.
            let text = row.tag.uppercased().replacingOccurrences(of: "XX", with: "02")
            guard let tag = Tag(text) else {
                #expect(row.tag.uppercased().contains("GGGG"), "unparsed \(row.tag)")
                #expect(ProfileRow.privateAttributes.basic == .X)
                continue
            }
            let generated = try #require(ProfileRow.row(for: tag), "\(row.tag) \(row.name) missing")
            #expect(generated.basic == codes[row.basicProfile], "\(row.tag) \(row.name)")
            checked += 1
        }
        #expect(checked == 620)
        // The newer edition stands where they differ: Patient ID is Z/D in 2024b (Z in 2023b).
        #expect(ProfileRow.row(for: .patientID)?.basic == .ZD)
    }

    @Test func safePrivateAttributesMatchByCreatorGroupAndElement() {
        #expect(SafePrivateAttribute.table.count == 479)
        #expect(SafePrivateAttribute.isSafe(group: 0x7053, element: 0x00, creator: "Philips PET Private Group"))
        #expect(!SafePrivateAttribute.isSafe(group: 0x7053, element: 0x00, creator: "ACME"))
        #expect(!SafePrivateAttribute.isSafe(group: 0x7053, element: 0x77, creator: "Philips PET Private Group"))
    }

    /// The resolution of combined codes, by hand: replace rather than remove where the type is unknown.
    @Test func combinedCodesResolveToTheChoiceThatKeepsObjectsValid() {
        let resolver = ActionResolver(settings: DeidentificationSettings())
        func action(_ tag: Tag, _ vr: String, _ value: String = "x") -> ElementAction {
            let element = Element(path: ElementPath(tag), vr: vr, length: 2, itemCount: 0, inMetaInformation: false,
                                  isEncapsulated: false, text: value)
            return resolver.action(for: element, creator: nil, treatment: .none)
        }
        #expect(action(.accessionNumber, "SH") == .pseudonym)        // Z, but a keyed pseudonym links answers
        #expect(action(.patientID, "LO") == .pseudonym)              // Z/D
        #expect(action(.studyDate, "DA") == .empty)                  // Z
        #expect(action(.seriesDate, "DA") == .dummy)                 // X/D
        #expect(action(.institutionName, "LO") == .dummy)            // X/Z/D
        #expect(action(Tag(0x0008, 0x1040), "LO") == .remove)        // X
        #expect(action(Tag(0x0008, 0x1110), "SQ") == .empty)         // X/Z
        #expect(action(Tag(0x0008, 0x1140), "SQ") == .keep)          // X/Z/U*: kept, its UIDs remapped
        #expect(action(.sopInstanceUID, "UI") == .uid)               // U
        #expect(action(Tag(0x006A, 0x0003), "UI") == .uid)           // D on a UID: remapped, not dummied
        #expect(action(.sopClassUID, "UI", "1.2.840.10008.5.1.4.1.1.2") == .keep)
        #expect(action(.modality, "CS") == .keep)                    // not in the table
        #expect(action(Tag(0x0032, 0x1032), "PN") == .remove)        // Requesting Physician: X
        #expect(action(Tag(0x4320, 0x0010), "PN") == .dummy)         // a name the table does not list
    }
}
