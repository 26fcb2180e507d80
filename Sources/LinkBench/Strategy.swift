/// One way of moving a study across the link, with the toolkit's own tools.
public struct Strategy: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The files as they are, over DICOM (dcm-send).
        case raw
        /// Compressed to JPEG-LS first (dcm-compress), then over DICOM.
        case jpegLS = "jpeg-ls"
        /// The transport bundle over one TCP stream (dcm-compress pack | unpack): both ends run the toolkit.
        case bundle
        /// The files fed to dcm-send --files-from - as the scanner releases them.
        case stream
        /// The forwarding node: dcm-anon | dcm-compress | dcm-send, each path passed on as its file is done.
        case pipeline
    }

    public let kind: Kind
    /// DICOM associations in parallel (1 for the bundle's single stream); 0: `--associations auto`.
    public let associations: Int
    /// The kernel reference runs the same strategy over the kernel's shaping (`KernelLink`).
    public var shaping = Shaping.inProcess

    public var name: String {
        (kind == .bundle ? "bundle" : "\(kind.rawValue) " + (associations == 0 ? "auto" : "x\(associations)"))
            + (shaping == .kernel ? " [kernel]" : "")
    }
    public var usesDICOM: Bool { kind != .bundle }
    /// Fed path by path from a scanner source (`ScannerSource`), each image timed from leaving it.
    public var isStreaming: Bool { kind == .stream || kind == .pipeline }
    /// dcm-send's --associations value.
    var associationsArgument: String { associations == 0 ? "auto" : String(associations) }

    public init(kind: Kind, associations: Int, shaping: Shaping = .inProcess) {
        (self.kind, self.associations, self.shaping) = (kind, associations, shaping)
    }

    /// The strategies of `kinds` (by default raw, jpeg-ls and bundle): lockstep and parallel associations
    /// (0: auto), the bundle when the other end is the toolkit's own receiver; stream and pipeline when asked.
    public static func all(associations: Int, bundle: Bool, kinds: [Kind] = [.raw, .jpegLS, .bundle]) -> [Strategy] {
        var list = [Strategy(kind: .raw, associations: 1), Strategy(kind: .raw, associations: associations),
                    Strategy(kind: .jpegLS, associations: 1), Strategy(kind: .jpegLS, associations: associations)]
        if bundle { list.append(Strategy(kind: .bundle, associations: 1)) }
        list += [Strategy(kind: .stream, associations: associations), Strategy(kind: .pipeline, associations: associations)]
        var seen = Set<Strategy>()
        return list.filter { kinds.contains($0.kind) && seen.insert($0).inserted }
    }
}
