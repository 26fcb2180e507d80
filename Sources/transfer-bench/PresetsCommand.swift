import ArgumentParser
import LinkEmulation
import ToolSupport

/// transfer-bench presets: each named link, its figures and where they come from.
struct Presets: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the named links (--link PRESET) with their figures and sources.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        LoggingSetup.bootstrap(common)
        let console = Console(tool: "transfer-bench", options: common)
        for name in LinkProfile.presets.keys.sorted() {
            let link = LinkProfile.presets[name]!
            let source = LinkProfile.presetSources[name] ?? ""
            console.event([
                "preset": .string(name), "link": .string(link.description), "rate_bits_per_second": link.rateBitsPerSecond.map(JSONValue.double) ?? .null,
                "round_trip_seconds": .double(link.roundTripSeconds), "jitter_seconds": .double(link.jitterSeconds), "source": .string(source),
            ])
            console.result("\(name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(link.description.padding(toLength: 26, withPad: " ", startingAt: 0)) \(source)")
        }
    }
}
