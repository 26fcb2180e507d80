import ArgumentParser
import DicomCore
import DicomNetwork
import DicomToolSupport
import Foundation
import ToolSupport

@main
struct DcmSend: ParsableCommand {
    static func main() { mainFollowingConventions() }

    static let configuration = CommandConfiguration(
        commandName: "dcm-send",
        abstract: "Send DICOM studies to a peer (C-STORE) without losing any; check a peer with C-ECHO; or receive.",
        discussion: """
            Files are sent over several associations at once (balanced by bytes; with --files-from, each file \
            goes to the first free association as its line arrives, and associations stay open between files \
            until --idle-release), on sockets without Nagle's \
            delay. Each compressed syntax is proposed in its own presentation context with an uncompressed \
            fallback; an object the peer accepts only uncompressed is decompressed on the fly (the JSON event \
            names the syntax it travelled in). Network errors and transient refusals are retried with \
            exponential backoff; with --files-from, a peer that cannot be reached holds the queue (--hold) \
            rather than failing the files, and urgent objects (--urgent) go with C-STORE priority HIGH. With --journal, every instance the peer confirmed is recorded (fsync'd) with \
            the peer it went to: a rerun to the same peer sends only what was not confirmed. Warnings (0xBxxx) \
            are reported and count as stored.

            With --listen it is the receiving end: objects stream to disk as they arrive and are answered \
            Success only once file and folder are synced. The called AE title must be --aet; --allow limits \
            the calling peers (without it, any peer is accepted and the receiver says so); --bind chooses the \
            interface. Every refusal is one line on stderr.

            An option that does not apply to the chosen mode (send, --echo or --listen) is a usage error.

            \(ExitStatus.helpText) Exit 0 only when every input was confirmed stored (or already in the journal).
            """,
        version: ToolkitVersion.current)

    // Modes.
    @Option(help: ArgumentHelp("Send a C-ECHO to the peer and print the round trip.", valueName: "AET@HOST:PORT"))
    var echo: PeerAddress?

    @Option(help: ArgumentHelp("Be the receiving end instead: a storage SCP on this port, writing into -o (until Ctrl-C).", valueName: "port"))
    var listen: UInt16?

    @Argument(help: ArgumentHelp("The peer to send to.", valueName: "AET@HOST:PORT"))
    var destination: PeerAddress?

    // Sending.
    @Option(help: "Our AE title when sending or echoing (default TELERAD).")
    var callingAet: String?

    @Option(help: ArgumentHelp("Parallel associations, 1 to 64 (default 4), or auto: as many as keep the link busy, from the measured round trip, the rate of the fastest store and the objects' sizes (2 to 16).", valueName: "count|auto"))
    var associations: AssociationCount?

    @Option(help: ArgumentHelp("Record confirmed SOP Instance UIDs here, with the peer; a rerun to that peer skips them.", valueName: "file"),
            completion: .file())
    var journal: String?

    @Option(help: "Retries per file and per association set-up after network errors or transient refusals (default 3).")
    var retries: Int?

    @Option(help: ArgumentHelp("With --files-from: release an association idle this long; it opens again when files come (default 10).", valueName: "seconds"))
    var idleRelease: Double?

    @Option(help: ArgumentHelp("With --files-from: while the peer cannot be reached, hold the files this long before they fail (default: until it is back; one line says the queue is held, one that it goes on).", valueName: "seconds"))
    var hold: Double?

    @Option(help: ArgumentHelp("Send objects matching this first, ahead of everything queued and with priority HIGH: Keyword=value or Keyword~pattern, e.g. 'Modality=CT', 'StudyDescription~AVC|STROKE', or 'CallingAETitle=CT_URG' for what our receiver got from that AE (repeatable).", valueName: "rule"))
    var urgent: [UrgentRule] = []

    // Custody.
    @Flag(help: "After sending, ask the peer to take custody (Storage Commitment) of what it confirmed, and of what the journal still waits for; needs --journal. Exit 0 only when all is committed.")
    var commit = false

    @Option(help: ArgumentHelp("With --commit: how long to wait for the answers (default 60); the unanswered stay asked in the journal, and the next run asks again.", valueName: "seconds"))
    var commitTimeout: Int?

    @Option(help: ArgumentHelp("With --commit: also take the answers the archive sends on an association of its own, on this port (only the peer's AE title from its host; only reports).", valueName: "port"))
    var commitListen: UInt16?

    @Flag(help: "With --commit: delete each local file once the archive has committed it (never before, never on a failure).")
    var removeAfterCommit = false

    @Option(help: "Seconds allowed for connecting, association and each response (default 30; each can be set below).")
    var timeout: Int?

    @Option(help: ArgumentHelp("Seconds allowed for the TCP connection (default: --timeout).", valueName: "seconds"))
    var connectTimeout: Int?

    @Option(help: ArgumentHelp("Sending: seconds for the association's negotiation (default: --timeout). Receiving: seconds a new connection has to send its association request (default 10).", valueName: "seconds"))
    var associationTimeout: Int?

    @Option(help: ArgumentHelp("Seconds allowed for each answer of the peer (default: --timeout).", valueName: "seconds"))
    var responseTimeout: Int?

    @Option(help: "Largest PDU we accept, in bytes (4096 to 131072; default 131072).")
    var maxPdu: UInt32?

    // Receiving.
    @Option(name: .shortAndLong, help: ArgumentHelp("With --listen: folder for received objects, named <SOP Instance UID>.dcm.", valueName: "dir"),
            completion: .directory)
    var output: String?

    @Option(help: "With --listen: our AE title, which callers must call (default TELERAD).")
    var aet: String?

    @Option(help: ArgumentHelp("With --listen: the address to listen on (default: every IPv4 interface).", valueName: "address"))
    var bind: String?

    @Option(help: ArgumentHelp("With --listen: accept this calling AE title, from this host when given (repeatable).", valueName: "AET[@HOST]"))
    var allow: [AllowedPeer] = []

    @Option(help: ArgumentHelp("With --listen: more --allow entries, one per line (# comments).", valueName: "file"), completion: .file())
    var allowFile: String?

    @Option(help: ArgumentHelp("With --listen: senders whose Storage Commitment reports go on an association of our own, one AET@HOST:PORT per line (# comments); the others get theirs on the association that asked.", valueName: "file"),
            completion: .file())
    var commitPeers: String?

    @Option(help: "With --listen: connections at once (default 16).")
    var maxAssociations: Int?

    @Option(help: "With --listen: connections at once from one address (default 8).")
    var maxPerHost: Int?

    @Option(help: ArgumentHelp("With --listen: largest object accepted, in bytes or with K, M, G (default 4G).", valueName: "size"))
    var maxObjectSize: ByteCount?

    @Option(help: ArgumentHelp("With --listen: drop an association silent for this long (default 300).", valueName: "seconds"))
    var idleTimeout: Int?

    // TLS.
    @Flag(help: "With --listen: print each received object's path on stdout once it is on disk (for the next tool's --files-from -).")
    var printPaths = false

    @Option(help: ArgumentHelp("With --listen: also report each study no object of which arrived for this long (a '# stable study' line with --print-paths, an event with --json, a line on stderr otherwise).", valueName: "seconds"))
    var stableAfter: Double?

    @Flag(help: "Use DICOM TLS (BCP 195 profile). Sending: the peer's certificate is verified against --ca-file and its name. Receiving: needs --cert and --key.")
    var tls = false

    @Option(help: ArgumentHelp("With --tls: PEM certificate(s) of the authority that signs the peers' certificates (receiving: client certificates are then required).", valueName: "file"),
            completion: .file())
    var caFile: String?

    @Option(name: .customLong("cert"), help: ArgumentHelp("With --tls: our PEM certificate.", valueName: "file"), completion: .file())
    var certificate: String?

    @Option(help: ArgumentHelp("With --tls: the PEM private key of --cert (unencrypted, readable by its owner only).", valueName: "file"),
            completion: .file())
    var key: String?

    @Option(help: ArgumentHelp("With --tls, sending: the name or IP address the peer's certificate must carry (default: the host).", valueName: "name"))
    var peerName: String?

    @Flag(help: "With --tls, sending: accept any peer certificate (lab peers only; never across a real network).")
    var noVerifyPeer = false

    @OptionGroup var inputs: InputOptions
    @OptionGroup var common: CommonOptions

    func validate() throws {
        try DcmSendValidation(self).check()
    }

    func run() throws {
        DicomLoggingSetup.bootstrap(common)
        let console = Console(tool: "dcm-send", options: common)
        if let listen {
            throw ReceiveJob.run(options: try receiverOptions(port: listen), printPaths: printPaths, stableAfter: stableAfter,
                                 console: console)
        }
        let clientTLS = tls ? ClientTLS(caFile: caFile, certificateFile: certificate, privateKeyFile: key, verifyPeer: !noVerifyPeer, peerName: peerName) : nil
        if let echo {
            do {
                let milliseconds = try Verification.echo(echo, callingAETitle: callingAet ?? "TELERAD", timeouts: timeouts, tls: clientTLS)
                console.event(["peer": .string(echo.description), "status": "done", "milliseconds": .double(milliseconds)])
                console.result(String(format: "%@: C-ECHO ok, %.2f ms", echo.description, milliseconds))
                return
            } catch {
                console.error("\(echo): \(error)")
                throw ExitStatus.connection
            }
        }
        var options = StoreSender.Options(peer: destination!)
        options.callingAETitle = callingAet ?? options.callingAETitle
        associations?.apply(to: &options)
        options.retries = retries ?? options.retries
        options.timeouts = timeouts
        options.maxPDU = maxPdu ?? options.maxPDU
        options.journal = journal.map { URL(fileURLWithPath: $0) }
        options.tls = clientTLS
        options.urgent = urgent
        options.holdSeconds = hold ?? options.holdSeconds
        var commitment: StorageCommitment.Settings?
        if commit {
            var settings = StorageCommitment.Settings()
            settings.timeoutSeconds = commitTimeout ?? settings.timeoutSeconds
            settings.listenPort = commitListen
            settings.removeAfterCommit = removeAfterCommit
            commitment = settings
        }
        throw SendJob.run(options: options, inputs: inputs, idleReleaseSeconds: idleRelease ?? 10, commitment: commitment, console: console)
    }

    var timeouts: NetworkTimeouts {
        let all = timeout ?? 30
        return NetworkTimeouts(connect: connectTimeout ?? all, association: associationTimeout ?? all, response: responseTimeout ?? all)
    }

    func receiverOptions(port: UInt16) throws -> StorageReceiver.Options {
        var options = StorageReceiver.Options(port: port, outputFolder: URL(fileURLWithPath: output!))
        options.aeTitle = aet ?? options.aeTitle
        options.bindAddress = bind
        options.allow = allow
        if let allowFile {
            do { options.allow += try AllowedPeer.list(contentsOf: URL(fileURLWithPath: allowFile)) } catch {
                throw ValidationError(error.message)
            }
        }
        if let commitPeers {
            do { options.commitPeers = try PeerAddress.list(contentsOf: URL(fileURLWithPath: commitPeers)) } catch {
                throw ValidationError(error.message)
            }
        }
        options.maxAssociations = maxAssociations ?? options.maxAssociations
        options.maxPerHost = maxPerHost ?? options.maxPerHost
        options.maxObjectBytes = maxObjectSize?.bytes ?? options.maxObjectBytes
        options.associationTimeoutSeconds = associationTimeout ?? options.associationTimeoutSeconds
        options.idleTimeoutSeconds = idleTimeout ?? options.idleTimeoutSeconds
        options.maxPDU = maxPdu ?? options.maxPDU
        if tls, let certificate, let key {
            options.tls = StorageReceiver.ServerTLS(certificateFile: certificate, privateKeyFile: key, caFile: caFile)
        }
        return options
    }
}
