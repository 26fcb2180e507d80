import ArgumentParser
import DicomNetwork
import Foundation
import ToolSupport

@main
struct DcmSend: ParsableCommand {
    static func main() { mainFollowingConventions() }

    static let configuration = CommandConfiguration(
        commandName: "dcm-send",
        abstract: "Send DICOM studies to a peer (C-STORE) without losing any; check a peer with C-ECHO.",
        discussion: """
            Files are sent over several associations at once (balanced by bytes), on sockets without Nagle's \
            delay. Each compressed syntax is proposed in its own presentation context with an uncompressed \
            fallback; an object the peer accepts only uncompressed is decompressed on the fly (the JSON event \
            names the syntax it travelled in). Network errors and transient refusals are retried with \
            exponential backoff. With --journal, every instance the peer confirmed is recorded (fsync'd): a \
            rerun sends only what was not confirmed. Warnings (0xBxxx) are reported and count as stored.

            \(ExitStatus.helpText) Exit 0 only when every input was confirmed stored (or already in the journal).
            """,
        version: ToolkitVersion.current)

    @Option(help: ArgumentHelp("Send a C-ECHO to the peer and print the round trip.", valueName: "AET@HOST:PORT"))
    var echo: String?

    @Option(help: ArgumentHelp("Be the receiving end instead: a storage SCP on this port, writing into -o (until Ctrl-C).", valueName: "port"))
    var listen: UInt16?

    @Option(name: .shortAndLong, help: ArgumentHelp("With --listen: folder for received objects, named <SOP Instance UID>.dcm.", valueName: "dir"),
            completion: .directory)
    var output: String?

    @Option(help: "With --listen: our AE title.")
    var aet = "TELERAD"

    @Argument(help: ArgumentHelp("The peer to send to.", valueName: "AET@HOST:PORT"))
    var destination: String?

    @Option(help: "Our AE title.")
    var callingAet = "TELERAD"

    @Option(help: "Parallel associations.")
    var associations = 4

    @Option(help: ArgumentHelp("Record confirmed SOP Instance UIDs here; a rerun skips them.", valueName: "file"),
            completion: .file())
    var journal: String?

    @Option(help: "Retries per file and per association set-up after network errors or transient refusals.")
    var retries = 3

    @Option(help: "Seconds allowed for connecting, association and each response (each can be set below).")
    var timeout = 30

    @Option(help: ArgumentHelp("Seconds allowed for the TCP connection (default: --timeout).", valueName: "seconds"))
    var connectTimeout: Int?

    @Option(help: ArgumentHelp("Seconds allowed for the association's negotiation (default: --timeout).", valueName: "seconds"))
    var associationTimeout: Int?

    @Option(help: ArgumentHelp("Seconds allowed for each answer of the peer (default: --timeout).", valueName: "seconds"))
    var responseTimeout: Int?

    @Option(help: ArgumentHelp("With --listen: drop an association silent for this long.", valueName: "seconds"))
    var idleTimeout = 300

    @Option(help: "Largest PDU we accept, in bytes (DCMTK allows up to 131072).")
    var maxPdu: UInt32 = 131_072

    @Flag(help: "Use DICOM TLS (BCP 195 profile); the peer's certificate is verified against --ca-file.")
    var tls = false

    @Option(help: ArgumentHelp("With --tls: PEM certificate(s) of the authority that signed the peer's certificate.", valueName: "file"),
            completion: .file())
    var caFile: String?

    @Option(name: .customLong("cert"), help: ArgumentHelp("With --tls: our PEM certificate, for peers that require one.", valueName: "file"),
            completion: .file())
    var certificate: String?

    @Option(help: ArgumentHelp("With --tls: the PEM private key of --cert (unencrypted).", valueName: "file"), completion: .file())
    var key: String?

    @Flag(help: "With --tls: accept any peer certificate (lab peers only; never across a real network).")
    var noVerifyPeer = false

    @OptionGroup var inputs: InputOptions
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if listen != nil {
            guard echo == nil, destination == nil, inputs.paths.isEmpty, inputs.filesFrom == nil else {
                throw ValidationError("--listen takes no peer and no files")
            }
            guard output != nil else { throw ValidationError("--listen needs -o DIR for the received objects") }
            guard (1...16).contains(aet.count) else { throw ValidationError("--aet has 1 to 16 characters") }
            return
        }
        if output != nil { throw ValidationError("-o goes with --listen") }
        if let echo {
            guard PeerAddress(echo) != nil else { throw ValidationError("--echo takes AET@HOST:PORT, got '\(echo)'") }
            guard destination == nil, inputs.paths.isEmpty, inputs.filesFrom == nil else {
                throw ValidationError("--echo takes no files")
            }
        } else {
            guard let destination else { throw ValidationError("give the peer as AET@HOST:PORT, then the files") }
            guard PeerAddress(destination) != nil else { throw ValidationError("the peer is AET@HOST:PORT, got '\(destination)'") }
            guard !inputs.paths.isEmpty || inputs.filesFrom != nil else { throw ValidationError("give files or folders to send") }
        }
        guard (1...16).contains(callingAet.count) else { throw ValidationError("--calling-aet has 1 to 16 characters") }
        if !tls && (caFile != nil || certificate != nil || key != nil || noVerifyPeer) {
            throw ValidationError("--ca-file, --cert, --key and --no-verify-peer go with --tls")
        }
        if tls && caFile == nil && !noVerifyPeer { throw ValidationError("--tls verifies the peer: give --ca-file (or --no-verify-peer)") }
        if (certificate == nil) != (key == nil) { throw ValidationError("--cert and --key go together") }
        guard (1...64).contains(associations) else { throw ValidationError("--associations goes from 1 to 64") }
        guard (4096...131_072).contains(maxPdu) else { throw ValidationError("--max-pdu goes from 4096 to 131072") }
        guard retries >= 0 else { throw ValidationError("--retries must be 0 or more") }
        for (name, value) in [("--timeout", timeout), ("--connect-timeout", connectTimeout ?? 1),
                              ("--association-timeout", associationTimeout ?? 1), ("--response-timeout", responseTimeout ?? 1),
                              ("--idle-timeout", idleTimeout)] where value <= 0 {
            throw ValidationError("\(name) must be a positive number of seconds")
        }
    }

    func run() throws {
        LoggingSetup.bootstrap(common)
        let console = Console(tool: "dcm-send", options: common)
        if let listen, let output {
            throw ReceiveJob.run(
                port: listen, aeTitle: aet, folder: URL(fileURLWithPath: output), idleTimeoutSeconds: idleTimeout, console: console)
        }
        if let echo, let peer = PeerAddress(echo) {
            do {
                let milliseconds = try Verification.echo(peer, callingAETitle: callingAet, timeouts: timeouts)
                console.event(["peer": .string(peer.description), "status": "done", "milliseconds": .double(milliseconds)])
                console.result(String(format: "%@: C-ECHO ok, %.2f ms", peer.description, milliseconds))
                return
            } catch {
                console.error("\(peer): \(error)")
                throw ExitStatus.connection
            }
        }
        var options = StoreSender.Options(peer: PeerAddress(destination!)!)
        options.callingAETitle = callingAet
        options.associations = associations
        options.retries = retries
        options.timeouts = timeouts
        options.maxPDU = maxPdu
        options.journal = journal.map { URL(fileURLWithPath: $0) }
        if tls {
            options.tls = StoreSender.TLSSettings(caFile: caFile, certificateFile: certificate, privateKeyFile: key, verifyPeer: !noVerifyPeer)
        }
        throw SendJob.run(options: options, inputs: inputs, console: console)
    }

    var timeouts: NetworkTimeouts {
        NetworkTimeouts(connect: connectTimeout ?? timeout, association: associationTimeout ?? timeout, response: responseTimeout ?? timeout)
    }
}
