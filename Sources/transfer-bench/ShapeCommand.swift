import ArgumentParser
import Foundation
import LinkEmulation
import ToolSupport

struct Shape: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put the emulated link in front of any TCP service, until Ctrl-C.",
        discussion: """
            Listens on 127.0.0.1 and relays every connection to HOST:PORT through the link, so that any \
            client (a PACS, storescu, ssh, the probe) can be tried over an island or satellite link. Prints \
            the port it listens on.
            """)

    @Option(help: ArgumentHelp("The link: RATE/RTT[/jitter=D][/drop-after=SIZE][/drop=P%], e.g. 10mbit/100ms, or a preset (\(LinkProfile.presets.keys.sorted().joined(separator: ", "))).", valueName: "link"))
    var link: LinkProfile

    @Option(help: ArgumentHelp("Where to relay to.", valueName: "host:port"))
    var to: HostAndPort

    @Option(help: "Port to listen on (0: any free port).")
    var listen: UInt16 = 0

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if link.lossFraction > 0 { throw ValidationError(LinkProfile.lossRefusal) }
    }

    func run() throws {
        LoggingSetup.bootstrap(common)
        let console = Console(tool: "transfer-bench", options: common)
        let shaper: LinkShaper
        do {
            shaper = try LinkShaper(link: link, upstreamHost: to.host, upstreamPort: to.port, listenPort: listen)
        } catch {
            console.error("\(error)")
            throw ExitStatus.usage
        }
        console.result("\(shaper.port)")
        console.event(["port": .int(Int(shaper.port)), "link": .string(shaper.link.description)])
        console.info("relaying 127.0.0.1:\(shaper.port) -> \(to) over \(shaper.link); Ctrl-C to stop")
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stop = DispatchSemaphore(value: 0)
        let sources = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
        for source in sources {
            source.setEventHandler { stop.signal() }
            source.resume()
        }
        withExtendedLifetime(sources) { stop.wait() }
        shaper.stop()
        let stats = shaper.statistics
        console.summary(
            ["connections": .int(stats.connections), "bytes_forward": .int(stats.bytesForward),
             "bytes_backward": .int(stats.bytesBackward), "drops": .int(stats.drops)],
            human: "\(stats.connections) connections, \(stats.bytesForward) bytes forward, \(stats.bytesBackward) back, \(stats.drops) cut")
    }
}
