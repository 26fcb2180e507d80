/// A transfer syntax by UID, with what the tools need to know of it.
public struct TransferSyntax: Hashable, Sendable, CustomStringConvertible {
    public let uid: String

    public init(uid: String) { self.uid = uid }

    public static let implicitLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2")
    public static let explicitLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2.1")
    public static let deflatedExplicitLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2.1.99")
    public static let explicitBigEndian = TransferSyntax(uid: "1.2.840.10008.1.2.2")
    public static let jpegBaseline = TransferSyntax(uid: "1.2.840.10008.1.2.4.50")
    public static let jpegExtended = TransferSyntax(uid: "1.2.840.10008.1.2.4.51")
    public static let jpegLossless = TransferSyntax(uid: "1.2.840.10008.1.2.4.57")
    public static let jpegLosslessSV1 = TransferSyntax(uid: "1.2.840.10008.1.2.4.70")
    public static let jpegLSLossless = TransferSyntax(uid: "1.2.840.10008.1.2.4.80")
    public static let jpegLSNearLossless = TransferSyntax(uid: "1.2.840.10008.1.2.4.81")
    public static let jpeg2000Lossless = TransferSyntax(uid: "1.2.840.10008.1.2.4.90")
    public static let jpeg2000 = TransferSyntax(uid: "1.2.840.10008.1.2.4.91")
    public static let rleLossless = TransferSyntax(uid: "1.2.840.10008.1.2.5")

    static let names: [String: String] = [
        implicitLittleEndian.uid: "Implicit VR Little Endian",
        explicitLittleEndian.uid: "Explicit VR Little Endian",
        deflatedExplicitLittleEndian.uid: "Deflated Explicit VR Little Endian",
        explicitBigEndian.uid: "Explicit VR Big Endian",
        jpegBaseline.uid: "JPEG Baseline",
        jpegExtended.uid: "JPEG Extended",
        jpegLossless.uid: "JPEG Lossless",
        jpegLosslessSV1.uid: "JPEG Lossless SV1",
        jpegLSLossless.uid: "JPEG-LS Lossless",
        jpegLSNearLossless.uid: "JPEG-LS Near-Lossless",
        jpeg2000Lossless.uid: "JPEG 2000 Lossless",
        jpeg2000.uid: "JPEG 2000",
        rleLossless.uid: "RLE Lossless",
    ]

    /// Pixel data held as compressed fragments.
    public var isEncapsulated: Bool {
        !([Self.implicitLittleEndian, .explicitLittleEndian, .deflatedExplicitLittleEndian, .explicitBigEndian]
            .contains(self))
    }

    /// Compression that may change pixel values.
    public var isLossy: Bool {
        [Self.jpegBaseline, .jpegExtended, .jpegLSNearLossless, .jpeg2000].contains(self)
    }

    public var name: String { Self.names[uid] ?? uid }
    public var description: String { name }
}
