import ArgumentParser
import DicomNetwork
import Foundation
import ToolSupport

/// `dcm-send --listen`: the embedded receiver until SIGINT or SIGTERM, then a summary.
enum ReceiveJob {
    static func run(port: UInt16, aeTitle: String, folder: URL, idleTimeoutSeconds: Int, console: Console) -> ExitCode {
        let receiver: StorageReceiver
        do {
            receiver = try StorageReceiver(aeTitle: aeTitle, port: port, outputFolder: folder, idleTimeoutSeconds: idleTimeoutSeconds)
        } catch {
            console.error("port \(port): \(error.message)")
            return ExitStatus.connection
        }
        console.info("\(aeTitle) listening on port \(port), writing into \(folder.path); Ctrl-C to stop")
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
