/// A DICOM attribute tag (group, element).
public struct Tag: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let group: UInt16
    public let element: UInt16

    public init(_ group: UInt16, _ element: UInt16) {
        self.group = group
        self.element = element
    }

    /// Parses "(gggg,eeee)" or "gggg,eeee" or "ggggeeee" (hexadecimal).
    public init?(_ text: String) {
        var body = Substring(text)
        if body.first == "(" {
            guard body.last == ")" else { return nil }
            body = body.dropFirst().dropLast()
        }
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        let digits = parts.count == 2 ? parts[0] + parts[1] : body
        guard parts.count <= 2, digits.count == 8, parts.allSatisfy({ parts.count == 1 || $0.count == 4 }),
            digits.allSatisfy(\.isHexDigit),
            let group = UInt16(digits.prefix(4), radix: 16), let element = UInt16(digits.suffix(4), radix: 16)
        else { return nil }
        self.init(group, element)
    }

    /// "(gggg,eeee)", upper-case hexadecimal: the form element paths use.
    public var description: String { "(\(Tag.hex(group)),\(Tag.hex(element)))" }

    /// Odd groups are private (groups 0001, 0003, 0005, 0007 and FFFF are illegal, but private too).
    public var isPrivate: Bool { group % 2 == 1 }
    /// (gggg,0010-00FF) in a private group: the element reserving a block for a private creator.
    public var isPrivateCreator: Bool { isPrivate && element >= 0x0010 && element <= 0x00FF }
    /// The block byte of a private data element, (gggg,bbxx) -> bb; nil for creators and public tags.
    public var privateBlock: UInt8? { isPrivate && element >= 0x1000 ? UInt8(element >> 8) : nil }
    /// Group length elements (gggg,0000).
    public var isGroupLength: Bool { element == 0 }

    public static func < (lhs: Tag, rhs: Tag) -> Bool {
        (lhs.group, lhs.element) < (rhs.group, rhs.element)
    }

    static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

/// Tags the tools use by name.
extension Tag {
    public static let mediaStorageSOPClassUID = Tag(0x0002, 0x0002)
    public static let mediaStorageSOPInstanceUID = Tag(0x0002, 0x0003)
    public static let transferSyntaxUID = Tag(0x0002, 0x0010)
    public static let specificCharacterSet = Tag(0x0008, 0x0005)
    public static let imageType = Tag(0x0008, 0x0008)
    public static let sopClassUID = Tag(0x0008, 0x0016)
    public static let sopInstanceUID = Tag(0x0008, 0x0018)
    public static let studyDate = Tag(0x0008, 0x0020)
    public static let seriesDate = Tag(0x0008, 0x0021)
    public static let acquisitionDate = Tag(0x0008, 0x0022)
    public static let contentDate = Tag(0x0008, 0x0023)
    public static let studyTime = Tag(0x0008, 0x0030)
    public static let seriesTime = Tag(0x0008, 0x0031)
    public static let contentTime = Tag(0x0008, 0x0033)
    public static let accessionNumber = Tag(0x0008, 0x0050)
    public static let modality = Tag(0x0008, 0x0060)
    public static let manufacturer = Tag(0x0008, 0x0070)
    public static let institutionName = Tag(0x0008, 0x0080)
    public static let institutionAddress = Tag(0x0008, 0x0081)
    public static let referringPhysicianName = Tag(0x0008, 0x0090)
    public static let stationName = Tag(0x0008, 0x1010)
    public static let studyDescription = Tag(0x0008, 0x1030)
    public static let seriesDescription = Tag(0x0008, 0x103E)
    public static let institutionalDepartmentName = Tag(0x0008, 0x1040)
    public static let performingPhysicianName = Tag(0x0008, 0x1050)
    public static let operatorsName = Tag(0x0008, 0x1070)
    public static let manufacturerModelName = Tag(0x0008, 0x1090)
    public static let referencedSOPClassUID = Tag(0x0008, 0x1150)
    public static let referencedSOPInstanceUID = Tag(0x0008, 0x1155)
    public static let patientName = Tag(0x0010, 0x0010)
    public static let patientID = Tag(0x0010, 0x0020)
    public static let issuerOfPatientID = Tag(0x0010, 0x0021)
    public static let patientBirthDate = Tag(0x0010, 0x0030)
    public static let patientSex = Tag(0x0010, 0x0040)
    public static let otherPatientIDsSequence = Tag(0x0010, 0x1002)
    public static let patientAge = Tag(0x0010, 0x1010)
    public static let patientWeight = Tag(0x0010, 0x1030)
    public static let patientAddress = Tag(0x0010, 0x1040)
    public static let patientTelephoneNumbers = Tag(0x0010, 0x2154)
    public static let sliceThickness = Tag(0x0018, 0x0050)
    public static let kvp = Tag(0x0018, 0x0060)
    public static let deviceSerialNumber = Tag(0x0018, 0x1000)
    public static let protocolName = Tag(0x0018, 0x1030)
    public static let studyInstanceUID = Tag(0x0020, 0x000D)
    public static let seriesInstanceUID = Tag(0x0020, 0x000E)
    public static let studyID = Tag(0x0020, 0x0010)
    public static let seriesNumber = Tag(0x0020, 0x0011)
    public static let acquisitionNumber = Tag(0x0020, 0x0012)
    public static let instanceNumber = Tag(0x0020, 0x0013)
    public static let imagePositionPatient = Tag(0x0020, 0x0032)
    public static let imageOrientationPatient = Tag(0x0020, 0x0037)
    public static let frameOfReferenceUID = Tag(0x0020, 0x0052)
    public static let sliceLocation = Tag(0x0020, 0x1041)
    public static let samplesPerPixel = Tag(0x0028, 0x0002)
    public static let photometricInterpretation = Tag(0x0028, 0x0004)
    public static let numberOfFrames = Tag(0x0028, 0x0008)
    public static let rows = Tag(0x0028, 0x0010)
    public static let columns = Tag(0x0028, 0x0011)
    public static let pixelSpacing = Tag(0x0028, 0x0030)
    public static let bitsAllocated = Tag(0x0028, 0x0100)
    public static let bitsStored = Tag(0x0028, 0x0101)
    public static let highBit = Tag(0x0028, 0x0102)
    public static let pixelRepresentation = Tag(0x0028, 0x0103)
    public static let burnedInAnnotation = Tag(0x0028, 0x0301)
    public static let windowCenter = Tag(0x0028, 0x1050)
    public static let windowWidth = Tag(0x0028, 0x1051)
    public static let rescaleIntercept = Tag(0x0028, 0x1052)
    public static let rescaleSlope = Tag(0x0028, 0x1053)
    public static let lossyImageCompression = Tag(0x0028, 0x2110)
    public static let requestAttributesSequence = Tag(0x0040, 0x0275)
    public static let pixelData = Tag(0x7FE0, 0x0010)
}
