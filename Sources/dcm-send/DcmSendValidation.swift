import ArgumentParser
import DicomNetwork

/// dcm-send's command-line checks: each mode's required values, and every option given in a mode where it
/// does not apply named as a usage error rather than ignored.
struct DcmSendValidation {
    let command: DcmSend

    init(_ command: DcmSend) { self.command = command }

    func check() throws {
        let c = command
        let sendOnly: [(String, Bool)] = [
            ("--associations", c.associations != nil), ("--journal", c.journal != nil), ("--retries", c.retries != nil),
            ("--idle-release", c.idleRelease != nil), ("--hold", c.hold != nil), ("--urgent", !c.urgent.isEmpty),
            ("--commit", c.commit), ("--commit-timeout", c.commitTimeout != nil), ("--commit-listen", c.commitListen != nil),
            ("--remove-after-commit", c.removeAfterCommit),
        ]
        let clientOnly: [(String, Bool)] = [
            ("--calling-aet", c.callingAet != nil), ("--timeout", c.timeout != nil), ("--connect-timeout", c.connectTimeout != nil),
            ("--response-timeout", c.responseTimeout != nil), ("--peer-name", c.peerName != nil), ("--no-verify-peer", c.noVerifyPeer),
        ]
        let listenOnly: [(String, Bool)] = [
            ("-o", c.output != nil), ("--aet", c.aet != nil), ("--bind", c.bind != nil), ("--allow", !c.allow.isEmpty),
            ("--allow-file", c.allowFile != nil), ("--max-associations", c.maxAssociations != nil), ("--max-per-host", c.maxPerHost != nil),
            ("--max-object-size", c.maxObjectSize != nil), ("--idle-timeout", c.idleTimeout != nil),
            ("--print-paths", c.printPaths), ("--stable-after", c.stableAfter != nil), ("--commit-peers", c.commitPeers != nil),
        ]
        let hasFiles = !c.inputs.paths.isEmpty || c.inputs.filesFrom != nil
        if c.listen != nil {
            try refuse(sendOnly + clientOnly, mode: "--listen")
            guard c.echo == nil, c.destination == nil, !hasFiles else { throw ValidationError("--listen takes no peer and no files") }
            guard c.output != nil else { throw ValidationError("--listen needs -o DIR for the received objects") }
            if let aet = c.aet { try checkTitle(aet, option: "--aet") }
            if c.tls && (c.certificate == nil || c.key == nil) { throw ValidationError("--listen --tls needs --cert and --key") }
            if c.printPaths && c.common.json { throw ValidationError("--print-paths and --json both write stdout: choose one") }
            if let quiet = c.stableAfter, !(quiet > 0 && quiet <= 86_400) {
                throw ValidationError("--stable-after takes seconds, above 0 and at most 86400")
            }
        } else if c.echo != nil {
            try refuse(sendOnly + listenOnly, mode: "--echo")
            guard c.destination == nil, !hasFiles else { throw ValidationError("--echo takes no files") }
        } else {
            try refuse(listenOnly, mode: "sending")
            guard c.destination != nil else { throw ValidationError("give the peer as AET@HOST:PORT, then the files") }
            guard hasFiles else { throw ValidationError("give files or folders to send") }
        }
        if let calling = c.callingAet { try checkTitle(calling, option: "--calling-aet") }
        if !c.tls && (c.caFile != nil || c.certificate != nil || c.key != nil || c.noVerifyPeer || c.peerName != nil) {
            throw ValidationError("--ca-file, --cert, --key, --peer-name and --no-verify-peer go with --tls")
        }
        if c.tls && c.listen == nil && c.caFile == nil && !c.noVerifyPeer {
            throw ValidationError("--tls verifies the peer: give --ca-file (or --no-verify-peer)")
        }
        if (c.certificate == nil) != (c.key == nil) { throw ValidationError("--cert and --key go together") }
        if let key = c.key {
            do { try PrivateKeyFile.checkOwnerOnly(key) } catch { throw ValidationError(error.message) }
        }
        if let maxPdu = c.maxPdu, !(4096...131_072).contains(maxPdu) { throw ValidationError("--max-pdu goes from 4096 to 131072") }
        if let retries = c.retries, retries < 0 { throw ValidationError("--retries must be 0 or more") }
        if let idle = c.idleRelease, !(idle > 0) { throw ValidationError("--idle-release must be a positive number of seconds") }
        if c.idleRelease != nil && c.inputs.filesFrom == nil { throw ValidationError("--idle-release goes with --files-from (a list that may still be coming)") }
        if !c.commit, let name = [("--commit-timeout", c.commitTimeout != nil), ("--commit-listen", c.commitListen != nil),
                                  ("--remove-after-commit", c.removeAfterCommit)].first(where: \.1)?.0 {
            throw ValidationError("\(name) goes with --commit")
        }
        if c.commit && c.journal == nil { throw ValidationError("--commit needs --journal: custody is recorded there, instance by instance") }
        if let timeout = c.commitTimeout, timeout < 1 { throw ValidationError("--commit-timeout must be at least 1 second") }
        if let hold = c.hold, !(hold >= 0) { throw ValidationError("--hold must be a number of seconds, 0 or more") }
        if c.hold != nil && c.inputs.filesFrom == nil { throw ValidationError("--hold goes with --files-from (a list sent by hand fails after --retries)") }
        for (name, value) in [("--max-associations", c.maxAssociations), ("--max-per-host", c.maxPerHost)] {
            if let value, !(1...1024).contains(value) { throw ValidationError("\(name) goes from 1 to 1024") }
        }
        for (name, value) in [("--timeout", c.timeout), ("--connect-timeout", c.connectTimeout), ("--association-timeout", c.associationTimeout),
                              ("--response-timeout", c.responseTimeout), ("--idle-timeout", c.idleTimeout)] {
            if let value, value <= 0 { throw ValidationError("\(name) must be a positive number of seconds") }
        }
    }

    private func refuse(_ options: [(String, Bool)], mode: String) throws {
        let given = options.filter(\.1).map(\.0)
        if !given.isEmpty { throw ValidationError("\(given.joined(separator: ", ")) do\(given.count == 1 ? "es" : "") not apply with \(mode)") }
    }

    private func checkTitle(_ title: String, option: String) throws {
        guard (1...16).contains(title.count), title.allSatisfy({ $0.isASCII && !$0.isNewline && $0 != "\\" }) else {
            throw ValidationError("\(option) has 1 to 16 characters")
        }
    }
}
