import ArgumentParser
import DicomNetwork
import Foundation
import Locking
import ToolSupport

/// `dcm-send --listen`: the embedded receiver until SIGINT or SIGTERM, then a summary. Each refusal and
/// error of the receiver is one line on stderr (and a JSON event with --json); each stored object is an
/// event with --json, its path on stdout with --print-paths; with --stable-after, each study that went quiet.
enum ReceiveJob {
    static func run(options: StorageReceiver.Options, printPaths: Bool, stableAfter: Double?, console: Console) -> ExitCode {
        var options = options
        let stop = DispatchSemaphore(value: 0)
        // The next tool of the pipe is gone: stop receiving (what arrived stays in the folder for a restart).
        let closed = Locked(false)
        let pass: @Sendable (String) -> Void = { line in
            guard !console.printPath(line) else { return }
            let first = closed.withLock { closed in
                defer { closed = true }
                return !closed
            }
            if first { stop.signal() }
        }
        let watch = stableAfter.map { seconds in
            StableStudyWatch(quietSeconds: seconds) { study in
                let line = "# stable study \(study.studyInstanceUID): \(study.objects) objects, none for \(seconds) s"
                if printPaths { pass(line) } else if !console.json { console.info(line) }
                console.event(["event": "stable_study", "study_instance_uid": .string(study.studyInstanceUID),
                               "objects": .int(study.objects), "quiet_seconds": .double(seconds)])
            }
        }
        options.events = { event in
            switch event.kind {
            case .info, .commitment: console.info(event.message)  // reports reach a receiver only in --commit-listen
            case .refusal, .error: console.error(event.message)
            case .stored:
                guard let object = event.stored else { return }
                if let study = object.studyInstanceUID { watch?.arrived(study) }
                if printPaths { pass(object.path) }
                var fields: [String: JSONValue] = ["path": .string(object.path), "status": "stored", "peer": .string(object.peer)]
                if let study = object.studyInstanceUID { fields["study_instance_uid"] = .string(study) }
                console.event(fields)
                return
            }
            console.event(["event": .string(event.kind == .info ? "info" : event.kind == .refusal ? "refused" : "error"),
                           "message": .string(event.message)])
        }
        let receiver: StorageReceiver
        do { receiver = try StorageReceiver(options: options) } catch {
            console.error("port \(options.port): \(error.message)")
            return ExitStatus.connection
        }
        let address = options.bindAddress ?? "every IPv4 interface"
        console.info("\(options.aeTitle) listening on \(address), port \(options.port)\(options.tls == nil ? "" : " (TLS)"), writing into \(options.outputFolder?.path ?? "nowhere"); Ctrl-C to stop")
        if options.allow.isEmpty {
            console.error("warning: no --allow list: any calling AE title from any address is accepted")
        }
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber)
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        stop.wait()
        receiver.stop()
        watch?.stop()
        if closed.withLock({ $0 }) {
            console.error("stdout is closed (the next tool in the pipe stopped): receiver stopped; what it received stays in \(options.outputFolder?.path ?? "its folder")")
        }
        console.summary(["stored": .int(receiver.storedCount), "bytes": .int(receiver.storedBytes)],
                        human: "received \(receiver.storedCount) objects (\(String(format: "%.1f", Double(receiver.storedBytes) / 1e6)) MB)")
        _ = sources
        return closed.withLock { $0 } ? ExitStatus.someFailed : ExitStatus.success
    }
}
