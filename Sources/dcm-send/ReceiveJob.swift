import ArgumentParser
import DicomNetwork
import Foundation
import ToolSupport

/// `dcm-send --listen`: the embedded receiver until SIGINT or SIGTERM, then a summary. Each refusal and
/// error of the receiver is one line on stderr (and a JSON event with --json).
enum ReceiveJob {
    static func run(options: StorageReceiver.Options, console: Console) -> ExitCode {
        var options = options
        options.events = { event in
            switch event.kind {
            case .info: console.info(event.message)
            case .refusal, .error: console.error(event.message)
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
        let stop = DispatchSemaphore(value: 0)
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
        console.summary(["stored": .int(receiver.storedCount), "bytes": .int(receiver.storedBytes)],
                        human: "received \(receiver.storedCount) objects (\(String(format: "%.1f", Double(receiver.storedBytes) / 1e6)) MB)")
        _ = sources
        return ExitStatus.success
    }
}
