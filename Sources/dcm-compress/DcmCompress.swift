import ArgumentParser
import DicomCodecs
import DicomCore
import Foundation
import Quantities
import DicomToolSupport
import ToolSupport

@main
struct DcmCompress: ParsableCommand {
    static func main() { mainFollowingConventions() }

    static let configuration = CommandConfiguration(
        commandName: "dcm-compress",
        abstract: "Lossless compression of DICOM studies for slow links.",
        discussion: """
            Standard transcoding (the default subcommand) writes objects any PACS accepts: JPEG-LS, RLE, \
            JPEG lossless, deflate, or back to uncompressed. 'pack' and 'unpack' move a whole study as one \
            transport bundle between two sites that both run the toolkit.

            \(ExitStatus.helpText)
            """,
        version: ToolkitVersion.current,
        subcommands: [Transcode.self, Pack.self, Unpack.self],
        defaultSubcommand: Transcode.self)
}

struct Transcode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Transcode objects to a standard transfer syntax (the default).",
        discussion: """
            Every lossless output is decoded and compared bit-exact with the input pixels before it is written \
            (--no-verify skips this). Outputs keep the inputs' relative layout under the output folder; '-' \
            as the only input reads stdin and writes stdout. With --auto the codec is chosen for the link: the \
            one that minimises max(compress, transfer, decompress) time, from speeds measured on the first images.
            """)

    @Option(help: ArgumentHelp("Target encoding: \(StandardCodec.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "codec"))
    var codec: StandardCodec = .jpegLS

    @Flag(help: "Choose the codec for the link given by --link-rate.")
    var auto = false

    @Option(help: ArgumentHelp("Link rate for --auto, in bits: 10Mbit, 2.5Gbit, 500kbit, 100Mbps.", valueName: "rate"))
    var linkRate: BitRate?

    @Option(help: ArgumentHelp("Near-lossless JPEG-LS: pixels may change by at most n (NEAR=n, n from 1 to 255).", valueName: "NEAR=n"))
    var lossy: LossySetting?

    @Flag(help: "Skip the bit-exact check of lossless outputs.")
    var noVerify = false

    @OptionGroup var output: OutputFolderOptions

    @OptionGroup var parallel: FileJobsOptions

    @OptionGroup var inputs: InputOptions
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if auto {
            guard linkRate != nil else { throw ValidationError("--auto needs --link-rate, e.g. 10Mbit") }
            if lossy != nil { throw ValidationError("--auto chooses among lossless codecs; drop --lossy") }
        } else if linkRate != nil {
            throw ValidationError("--link-rate goes with --auto")
        }
    }

    func run() throws {
        DicomLoggingSetup.bootstrap(common)
        let console = Console(tool: "dcm-compress", options: common)
        var codec = self.codec
        if auto, let rate = linkRate {
            let sample = InputExpander.expand(inputs).files.prefix(CodecChooser.sampleSize).map(\.url)
            let choice = CodecChooser.choose(samples: Array(sample), linkBitsPerSecond: rate.bitsPerSecond, cores: parallel.jobs)
            console.info(choice.explanation)
            console.event(["choice": .string(choice.codec.rawValue), "explanation": .string(choice.explanation)])
            codec = choice.codec
        }
        let near = lossy?.near ?? 0
        let verify = !noVerify
        let chosen = codec
        throw FileBatch.run(inputs: inputs, output: output, console: console, jobs: parallel.jobs) { object, _ in
            let result = try Transcoder.transcode(object, to: chosen, nearLossless: near, verify: verify)
            return (result.object, [
                "codec": .string(near > 0 ? "jpeg-ls-near-\(near)" : chosen.rawValue),
                "pixel_ratio": .double(Double(result.pixelBytesBefore) / Double(max(1, result.pixelBytesAfter))),
            ])
        }
    }
}

struct Pack: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pack files into one transport bundle (.dcmz): headers together, pixels filtered, zstd.",
        discussion: """
            For links where both ends run the toolkit: 'unpack' restores every file byte for byte, checked \
            against its SHA-256. Works in pipes: dcm-compress pack -o - DIR | ssh island dcm-compress unpack -o DIR -
            """)

    @Option(name: .shortAndLong, help: ArgumentHelp("Bundle file, or '-' for stdout.", valueName: "file"), completion: .file())
    var output: String

    @Option(help: "zstd level for pixels (1-19): higher is a little smaller and much slower.")
    var level: Int32 = 1

    @Option(name: .short, help: ArgumentHelp("Files compressed in parallel (default: the number of cores).", valueName: "n"))
    var jobs: Int = System.coreCount

    @OptionGroup var inputs: InputOptions
    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard (1...19).contains(level) else { throw ValidationError("--level goes from 1 to 19") }
        guard jobs >= 1 else { throw ValidationError("-j needs at least 1") }
    }

    func run() throws {
        DicomLoggingSetup.bootstrap(common)
        throw BundleJobs.pack(inputs: inputs, output: output, jobs: jobs, level: level,
                              console: Console(tool: "dcm-compress", options: common))
    }
}

struct Unpack: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore the files of a transport bundle, byte for byte.",
        discussion: """
            A bundle from another site is untrusted: unpack refuses names that are absolute, climb with '..', \
            hold control characters or appear twice (one line each), never follows a link out of the output \
            folder, writes each file atomically, and stops a bundle that would restore more than \
            --max-output-size in all or --max-ratio times its own size.
            """)

    @Option(name: .shortAndLong, help: ArgumentHelp("Output folder.", valueName: "dir"), completion: .directory)
    var output: String

    @Option(name: .short, help: ArgumentHelp("Files decoded in parallel (default: the number of cores).", valueName: "n"))
    var jobs: Int = System.coreCount

    @Option(help: ArgumentHelp("Most bytes restored from one bundle, with K, M, G or T (default 64G).", valueName: "size"))
    var maxOutputSize: ByteCount?

    @Option(help: ArgumentHelp("Most bytes restored per byte of bundle read, past the first 64 MB (default 200).", valueName: "n"))
    var maxRatio: Int?

    @Argument(help: ArgumentHelp("The bundle, or '-' for stdin.", valueName: "bundle"), completion: .file())
    var bundle: String

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let maxRatio, maxRatio < 1 { throw ValidationError("--max-ratio must be 1 or more") }
    }

    func run() throws {
        DicomLoggingSetup.bootstrap(common)
        var limits = BundleUnpacker.Limits()
        if let maxOutputSize { limits.maximumOutputBytes = Int(clamping: maxOutputSize.bytes) }
        if let maxRatio { limits.maximumRatio = maxRatio }
        throw BundleJobs.unpack(input: bundle, outputFolder: output, jobs: max(1, jobs), limits: limits,
                                console: Console(tool: "dcm-compress", options: common))
    }
}

extension StandardCodec: ExpressibleByArgument {}
