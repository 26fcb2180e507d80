/// One way of moving a study across the link, with the toolkit's own tools.
public struct Strategy: Sendable, Hashable {
    public enum Kind: String, Sendable {
        /// The files as they are, over DICOM (dcm-send).
        case raw
        /// Compressed to JPEG-LS first (dcm-compress), then over DICOM.
        case jpegLS = "jpeg-ls"
        /// The transport bundle over one TCP stream (dcm-compress pack | unpack): both ends run the toolkit.
        case bundle
    }

    public let kind: Kind
    /// DICOM associations in parallel (1 for the bundle's single stream).
    public let associations: Int

    public var name: String { kind == .bundle ? "bundle" : "\(kind.rawValue) x\(associations)" }
    public var usesDICOM: Bool { kind != .bundle }

    public init(kind: Kind, associations: Int) { (self.kind, self.associations) = (kind, associations) }

    /// Every strategy the tools offer: lockstep and parallel associations, raw and compressed, and the
    /// bundle when the other end is the toolkit's own receiver.
    public static func all(associations: Int, bundle: Bool) -> [Strategy] {
        var list = [Strategy(kind: .raw, associations: 1), Strategy(kind: .raw, associations: associations),
                    Strategy(kind: .jpegLS, associations: 1), Strategy(kind: .jpegLS, associations: associations)]
        if bundle { list.append(Strategy(kind: .bundle, associations: 1)) }
        return associations == 1 ? Array(Set(list)).sorted { $0.name < $1.name } : list
    }
}
