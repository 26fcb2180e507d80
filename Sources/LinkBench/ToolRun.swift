import Foundation
import Locking
import ToolSupport

/// One of the toolkit's executables run to its end as a child process (so that its CPU time is its own),
/// speaking the declared event schema (`ToolEvent`): each line of its --json output is decoded as it comes,
/// so that events can be timestamped when they happen; standard error is kept for the report.
struct ToolRun {
    struct Result {
        let status: Int32
        let events: [ToolEvent]
        let errors: String

        /// The run's summary event (`"summary": true`).
        var summary: ToolEvent? { events.last { $0.summary == true } }
        /// The first line of standard error, for a one-line failure.
        var firstError: String { errors.split(separator: "\n").first.map(String.init) ?? "" }
    }

    /// Runs `executable` with `arguments` (which must include --json when events are wanted); stdout goes
    /// to `output` instead when given (a socket, a file), which is closed here once the child holds its own
    /// copy (the reader then sees the end when the child exits): there are no events then. Standard input is
    /// `input` (the previous stage of a pipe) or nothing.
    static func run(
        _ executable: URL, _ arguments: [String], input: Pipe? = nil, output: FileHandle? = nil,
        eachEvent: ((ToolEvent) -> Void)? = nil
    ) throws(LinkBenchError) -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe(), errors = Pipe()
        process.standardOutput = output ?? pipe
        process.standardError = errors
        process.standardInput = input ?? FileHandle.nullDevice
        do { try process.run() } catch { throw LinkBenchError("cannot run \(executable.path): \(error.localizedDescription)") }
        try? output?.close()
        // Standard error is drained on its own thread so that a chatty child never blocks on a full pipe.
        let errorText = Locked(Data())
        let drained = DispatchSemaphore(value: 0)
        Thread {
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            errorText.withLock { $0 = data }
            drained.signal()
        }.start()
        var events: [ToolEvent] = []
        var problem: String?
        if output == nil {
            var pending = Data()
            let handle = pipe.fileHandleForReading
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    do {
                        let event = try ToolEvent.decode(line)
                        eachEvent?(event)
                        events.append(event)
                    } catch { problem = problem ?? "\(executable.lastPathComponent): \(error)" }
                }
            }
        }
        process.waitUntilExit()
        drained.wait()
        if let problem { throw LinkBenchError(problem) }
        return Result(status: process.terminationStatus, events: events,
                      errors: String(decoding: errorText.withLock { $0 }, as: UTF8.self))
    }
}
