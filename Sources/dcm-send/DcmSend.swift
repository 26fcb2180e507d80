import ArgumentParser
import DicomNetwork
import ToolSupport

@main
struct DcmSend: ParsableCommand {
    static func main() { mainFollowingConventions() }

    static let configuration = CommandConfiguration(
        commandName: "dcm-send",
        abstract: "Send DICOM studies to a peer (C-STORE); check a peer with C-ECHO.",
        discussion: """
            This version verifies peers (--echo): it prints the C-ECHO round trip in milliseconds. \
            Sending studies (C-STORE with parallel associations and a journal) is the next step of the tool.

            \(ExitStatus.helpText)
            """,
        version: ToolkitVersion.current)

    @Option(help: ArgumentHelp("Send a C-ECHO to the peer and print the round trip.", valueName: "AET@HOST:PORT"))
    var echo: String

    @Option(help: "Our AE title.")
    var callingAet = "TELERAD"

    @Option(help: "Seconds allowed for connecting, association and each response.")
    var timeout = 10

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard PeerAddress(echo) != nil else { throw ValidationError("--echo takes AET@HOST:PORT, got '\(echo)'") }
        guard (1...16).contains(callingAet.count) else { throw ValidationError("--calling-aet has 1 to 16 characters") }
    }

    func run() throws {
        LoggingSetup.bootstrap(common)
        let console = Console(tool: "dcm-send", options: common)
        let peer = PeerAddress(echo)!
        do {
            let milliseconds = try Verification.echo(peer, callingAETitle: callingAet, timeoutSeconds: timeout)
            console.event(["peer": .string(peer.description), "status": "done", "milliseconds": .double(milliseconds)])
            console.result(String(format: "%@: C-ECHO ok, %.2f ms", peer.description, milliseconds))
        } catch {
            console.error("\(peer): \(error)")
            throw ExitStatus.connection
        }
    }
}
