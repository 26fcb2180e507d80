import DicomCodecs
import DicomCore
import Deidentification
import Foundation
import Rostering

/// One parser of untrusted input per target. A target must return normally for every input: errors are
/// the expected answer to hostile bytes; a trap, a sanitizer report, a leak or a hang is a finding.
enum FuzzTarget: String, CaseIterable {
    case dataset, pixels, deidentify, bundle, rotaYAML = "rota-yaml", curtois, anonYAML = "anon-yaml", wishesCSV = "wishes-csv"

    func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .dataset: Self.dataset(Array(bytes))
        case .pixels: Self.pixels(Array(bytes))
        case .deidentify: Self.deidentify(Array(bytes))
        case .bundle: _ = try? BundleUnpacker.unpack(bytes: Array(bytes), jobs: 1) { keep($0) }
        case .rotaYAML: Self.rotaYAML(String(decoding: bytes, as: UTF8.self))
        case .curtois: keep(try? CurtoisInstance(text: String(decoding: bytes, as: UTF8.self), file: "fuzz.txt"))
        case .anonYAML: Self.anonYAML(String(decoding: bytes, as: UTF8.self))
        case .wishesCSV: Self.wishesCSV(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// The core reader, every element's value, and a write and re-read of what was read.
    static func dataset(_ bytes: [UInt8]) {
        guard let object = try? DicomObject(bytes: bytes) else { return }
        for element in (try? object.elements()) ?? [] {
            keep(try? object.string(element.path))
            keep(try? object.bytes(element.path))
        }
        keep(try? object.imageGeometry())
        if let encoded = try? object.encoded() { keep(try? DicomObject(bytes: encoded)) }
    }

    /// Pixel data: encapsulated fragments and every decoder DCMTK has (JPEG-LS, JPEG, RLE, deflate).
    static func pixels(_ bytes: [UInt8]) {
        guard let object = try? DicomObject(bytes: bytes) else { return }
        keep(try? Transcoder.transcode(object, to: .none, verify: false))
    }

    /// The de-identification of a hostile object, its leak check and its encoding.
    static func deidentify(_ bytes: [UInt8]) {
        guard let object = try? DicomObject(bytes: bytes),
            let outcome = try? deidentifier.deidentify(object),
            let encoded = try? object.encoded()
        else { return }
        keep(outcome.scanner.leaks(in: encoded, pixelValueLength: outcome.pixelValueLength))
    }

    static let deidentifier: Deidentifier = {
        var settings = DeidentificationSettings()
        settings.burnedIn = .accept
        return Deidentifier(settings: settings, pseudonymizer: try! Pseudonymizer(key: Array("fuzzing-key-0123456789".utf8)))
    }()

    static func rotaYAML(_ text: String) {
        guard let input = try? RotaInput.load(yaml: text, file: "fuzz.yaml") else { return }
        keep(try? RotaModel(input, yaml: text, file: "fuzz.yaml"))
    }

    /// A wishes spreadsheet read against the territory example's model, and applied to it.
    static func wishesCSV(_ text: String) {
        var model = territory
        guard let wishes = try? WishesFile(text, file: "fuzz.csv", model: model) else { return }
        model.apply(wishes)
        keep(model.people.count)
    }

    /// The example the wishes are read against (a broken path stops the target at once, never silently).
    static let territory: RotaModel = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/territory.yaml")
        let text = try! String(contentsOf: url, encoding: .utf8)
        return try! RotaModel(try! RotaInput.load(yaml: text, file: "territory.yaml"), yaml: text, file: "territory.yaml")
    }()

    /// dcm-anon's two YAML inputs: the profile file and the pixel cleaning rules.
    static func anonYAML(_ text: String) {
        var settings = DeidentificationSettings()
        try? ProfileFile.apply(yaml: text, file: "fuzz.yaml", to: &settings)
        keep(settings)
        keep(try? PixelCleaningRules(yaml: text, file: "fuzz.yaml"))
    }
}

/// Stores a result where the optimizer must assume it is read: a discarded pure result could otherwise be
/// optimized away together with the parsing that produced it.
@inline(never) func keep<T>(_ value: T) { lastResult = value }
nonisolated(unsafe) var lastResult: Any?
