import ArgumentParser
import DicomCodecs
import DicomCore
import ToolSupport

@main
struct DcmCompress: ParsableCommand {
    static func main() { mainFollowingConventions() }

    static let configuration = CommandConfiguration(
        commandName: "dcm-compress",
        abstract: "Lossless compression of DICOM objects for slow links (JPEG-LS, RLE, JPEG lossless, deflate).",
        discussion: """
            Every lossless output is decoded and compared bit-exact with the input pixels before it is written \
            (--no-verify skips this). Outputs keep the inputs' relative layout under the output folder; '-' \
            as the only input reads stdin and writes stdout.

            \(ExitStatus.helpText)
            """,
        version: ToolkitVersion.current)

    @Option(help: ArgumentHelp("Target encoding: \(StandardCodec.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "codec"))
    var codec: StandardCodec = .jpegLS

    @Option(help: ArgumentHelp("Near-lossless JPEG-LS: pixels may change by at most n (NEAR=n).", valueName: "NEAR=n"))
    var lossy: String?

    @Flag(help: "Skip the bit-exact check of lossless outputs.")
    var noVerify = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Output folder ('-' for stdout with a '-' input).", valueName: "dir"),
            completion: .directory)
    var output: String?

    @Option(name: .short, help: ArgumentHelp("Files processed in parallel (default: the number of cores).", valueName: "n"))
    var jobs: Int = System.coreCount

    @OptionGroup var inputs: InputOptions
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let lossy, LossySetting(lossy) == nil { throw ValidationError("--lossy takes NEAR=n with n from 1 to 255") }
        if jobs < 1 { throw ValidationError("-j needs at least 1") }
    }

    func run() throws {
        LoggingSetup.bootstrap(common)
        let near = lossy.flatMap(LossySetting.init)?.near ?? 0
        let codec = self.codec, verify = !noVerify
        let console = Console(tool: "dcm-compress", options: common)
        throw FileBatch.run(inputs: inputs, outputFolder: output, console: console, jobs: jobs) { object, _ in
            let result = try Transcoder.transcode(object, to: codec, nearLossless: near, verify: verify)
            return (result.object, [
                "codec": .string(near > 0 ? "jpeg-ls-near-\(near)" : codec.rawValue),
                "pixel_ratio": .double(Double(result.pixelBytesBefore) / Double(max(1, result.pixelBytesAfter))),
            ])
        }
    }
}

extension StandardCodec: ExpressibleByArgument {}
