/// A DIMSE response status (PS3.7 Annex C): what the peer answered to a C-STORE or C-ECHO.
public struct DimseStatus: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let success = DimseStatus(0x0000)

    /// Success, or a warning (0001, Bxxx): the object is stored.
    public var isStored: Bool { rawValue == 0 || rawValue == 0x0001 || rawValue & 0xF000 == 0xB000 }
    public var isWarning: Bool { rawValue == 0x0001 || rawValue & 0xF000 == 0xB000 }
    /// Refused: out of resources (A7xx), which may pass; trying again later can succeed.
    public var isOutOfResources: Bool { rawValue & 0xFF00 == 0xA700 }

    public var description: String {
        let hex = "0x" + String(rawValue, radix: 16, uppercase: true).leftPadded(to: 4)
        return isOutOfResources ? hex + " (out of resources)" : hex
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
