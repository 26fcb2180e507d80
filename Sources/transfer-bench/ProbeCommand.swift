import ArgumentParser
import DicomNetwork
import Foundation
import LinkBench
import SyntheticStudy
import DicomToolSupport
import ToolSupport

struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a real DICOM peer and recommend settings for its link.",
        discussion: """
            C-ECHO round trips (min, median, p99), then a bulk C-STORE of generated CT images (invented \
            identities; --no-bulk to skip it) with one and with several associations, and a recommendation: \
            how many associations, which codec (from the codecs' measured speeds and the measured rate).
            """)

    @Argument(help: ArgumentHelp("The peer.", valueName: "AET@host:port"))
    var peer: PeerAddress

    @Option(help: "C-ECHO round trips to time.")
    var echoes = 20

    @Option(help: "Images of the bulk send (generated 512x512 CT, about 0.5 MB each).")
    var bulkImages = 20

    @Flag(help: "Only the round trips: store nothing on the peer.")
    var noBulk = false

    @Option(help: "Associations of the parallel bulk send.")
    var associations = 4

    @Option(help: "Our AE title.")
    var callingAet = "BENCH"

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard echoes >= 1, bulkImages >= 1, associations >= 1 else { throw ValidationError("counts start at 1") }
    }

    func run() throws {
        DicomLoggingSetup.bootstrap(common)
        let console = Console(tool: "transfer-bench", options: common)
        let address = peer
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("transfer-bench-probe-\(getpid())")
        defer { try? FileManager.default.removeItem(at: work) }
        var bulk: [URL]?
        if !noBulk {
            // The perfusion series: one image per slice position, typical CT.
            let study = StrokeStudy(scale: Double(bulkImages) / 1000, seed: 1)
            do { try study.write(to: work) } catch {
                console.error("cannot generate the bulk images: \(error)")
                throw ExitStatus.someFailed
            }
            bulk = (FileManager.default.enumerator(at: work, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
                .filter { $0.pathExtension == "dcm" }.sorted { $0.path < $1.path }
        }
        var probe = LinkProbe(peer: address, callingAETitle: callingAet)
        (probe.echoes, probe.associations) = (echoes, associations)
        do {
            let result = try probe.run(bulk: bulk) { console.info($0) }
            console.result(result.recommendation)
            console.event("probe", encoding: result, summary: true)
        } catch {
            console.failure(address.description, "\(error)")
            throw ExitStatus.connection
        }
    }
}
