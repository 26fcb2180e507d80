import ArgumentParser
import DicomNetwork
import Foundation
import LinkBench
import LinkEmulation
import DicomToolSupport
import ToolSupport

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send a study through every strategy over a link and measure each.",
        discussion: """
            Strategies: raw files over 1 and N DICOM associations, JPEG-LS (compression time included) over 1 \
            and N, the transport bundle over one TCP stream (with the embedded receiver only), and two that \
            stream as the images come: `stream` (dcm-send --files-from -) and `pipeline`, the forwarding \
            node (dcm-anon | dcm-compress --codec jpeg-ls | dcm-send, each path passed on once its file is on \
            disk). These two time each image from leaving the scanner to arriving at the expert (median, p95, \
            max); --pace releases the images at a scanner's rate instead of all at once. Without --strategy, \
            raw, jpeg-ls and bundle run (stream and pipeline with --pace). By default \
            the study is a generated stroke protocol and the receiver is the embedded one on loopback, behind \
            the in-process link shaper (--link); with --peer the study goes to a real DICOM peer (through the \
            shaper too when --link is given). Each strategy is held against its floor: its bytes at the link's \
            rate plus the round trips a lockstep association waits for.

            Links: RATE/RTT[/jitter=D][/drop-after=SIZE][/drop=P%][/loss=P%], e.g. 10mbit/100ms, \
            20mbit/40ms/jitter=5ms; presets \(LinkProfile.presets.keys.sorted().joined(separator: ", ")) \
            (transfer-bench presets says what each stands for). RTT is the round trip (half each way). Rates \
            are in bits (10mbit, 100Mbps; 10MB is refused) and carry frames: a TCP segment's headers count. \
            Packet loss (loss=) is refused: the in-process shaper is a TCP relay and cannot lose packets.

            --scenario stroke is an acute stroke as it happens: the stroke protocol (non-contrast CT, CT \
            angiography, CT perfusion) released at the scanner's pace (--pace, default 10 images/s) through \
            the streaming strategies; the report says when each series was complete at the expert (the \
            non-contrast CT decides on thrombolysis, the angiography on thrombectomy).

            --reference kernel runs each DICOM strategy a second time over the kernel's own shaping (a \
            network namespace, a veth pair, tbf at the rate; netem for the delay where the kernel has it; \
            root needed) and reports both, each row saying which shaped it. --record keeps every run's \
            series (throughput per 100 ms, images arrived, per-image latency) and the metadata in one \
            gzipped JSON file, which transfer-bench plot draws.
            """)

    enum Scenario: String, ExpressibleByArgument, CaseIterable { case stroke }

    enum Reference: String, ExpressibleByArgument, CaseIterable { case kernel }

    @Option(help: ArgumentHelp("Study folder (default: a generated stroke study, see --scale).", valueName: "dir"),
            completion: .directory)
    var study: String?

    @Option(help: "Size of the generated stroke study (0.02 gives 1 + 8 + 20 images).")
    var scale = 0.02

    @Option(help: "Seed of the generated study and of the link's jitter and faults.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Link to emulate, RATE/RTT[/option...] or a preset, e.g. 10mbit/100ms or 4g (default: loopback as it is).", valueName: "link"))
    var link: LinkProfile?

    @Option(help: ArgumentHelp("A real DICOM peer instead of the embedded receiver.", valueName: "AET@host:port"))
    var peer: PeerAddress?

    @Option(help: ArgumentHelp("Associations of the parallel strategies, or auto (dcm-send --associations auto).", valueName: "count|auto"))
    var associations: AssociationCount = .fixed(4)

    @Option(help: ArgumentHelp("These strategies (repeatable): raw, jpeg-ls, bundle, stream, pipeline (default: raw, jpeg-ls and bundle; stream and pipeline with --pace).", valueName: "kind"))
    var strategy: [Strategy.Kind] = []

    @Option(help: ArgumentHelp("Release the images at this rate, in acquisition order (series, then image), as a scanner does (stream and pipeline only; default: all at once).", valueName: "images/s"))
    var pace: Double?

    @Option(help: ArgumentHelp("A clinical scenario: stroke (the stroke protocol at the scanner's pace, streamed; when each series is complete).", valueName: "name"))
    var scenario: Scenario?

    @Option(help: ArgumentHelp("Also run each DICOM strategy over the kernel's shaping (tbf on a veth pair between namespaces; root).", valueName: "kernel"))
    var reference: Reference?

    @Option(help: ArgumentHelp("Keep every run's series over time and the metadata in this gzipped JSON file (for transfer-bench plot).", valueName: "file.json.gz"),
            completion: .file())
    var record: String?

    @Option(help: ArgumentHelp("What the runs are called in the record and on plots (default: the link).", valueName: "text"))
    var label: String?

    @Option(help: "Runs of each strategy (median and spread are reported).")
    var runs = 1

    @Option(help: ArgumentHelp("Also write the per-strategy results as CSV.", valueName: "file"), completion: .file())
    var csv: String?

    @Option(help: ArgumentHelp("Also draw the results as SVG: total time per strategy and arrival curves.", valueName: "file"),
            completion: .file())
    var chart: String?

    @Option(help: "Our AE title towards a peer.")
    var callingAet = "BENCH"

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let link, link.lossFraction > 0 { throw ValidationError(LinkProfile.lossRefusal) }
        if pace != nil || scenario != nil {
            if let pace, !(pace > 0 && pace <= 10_000) { throw ValidationError("--pace is images per second, above 0 and at most 10000") }
            if let other = strategy.first(where: { $0 != .stream && $0 != .pipeline }) {
                throw ValidationError("--pace and --scenario apply to the stream and pipeline strategies, not to \(other.rawValue)")
            }
        }
        if scenario != nil, study != nil { throw ValidationError("--scenario stroke generates its study (see --scale): leave --study out") }
        if reference != nil {
            guard let link, link.rateBitsPerSecond != nil else { throw ValidationError("--reference kernel needs a --link with a rate") }
            guard peer == nil else { throw ValidationError("--reference kernel runs with the embedded receiver, not with --peer") }
        }
        guard runs >= 1 else { throw ValidationError("--runs needs at least 1") }
        guard scale > 0, scale <= 10 else { throw ValidationError("--scale must be above 0 and at most 10") }
    }

    func run() throws {
        DicomLoggingSetup.bootstrap(common)
        let console = Console(tool: "transfer-bench", options: common)
        throw RunJob(command: self, console: console).run()
    }
}
