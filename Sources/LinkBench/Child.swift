import Foundation

/// A child process run to its end, its standard output read line by line as it comes (so that events can be
/// timestamped when they happen), its standard error kept for the report.
enum Child {
    struct Result {
        let status: Int32
        let lines: [String]
        let errors: String
    }

    static func run(_ executable: URL, _ arguments: [String], eachLine: ((String) -> Void)?) throws(LinkBenchError) -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw LinkBenchError("cannot run \(executable.path): \(error.localizedDescription)") }
        let errorText = DataBox()
        let drain = Thread { errorText.data = errors.fileHandleForReading.readDataToEndOfFile() }
        drain.start()
        var lines: [String] = []
        var pending = Data()
        let handle = output.fileHandleForReading
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                eachLine?(line)
                lines.append(line)
            }
        }
        process.waitUntilExit()
        while !errorText.done { usleep(1000) }
        return Result(status: process.terminationStatus, lines: lines, errors: String(decoding: errorText.data, as: UTF8.self))
    }

    /// The toolkit's JSON summary line (`"summary": true`), as a dictionary.
    static func summary(_ lines: [String]) -> [String: Any] {
        for line in lines.reversed() where line.contains("\"summary\"") {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] { return object }
        }
        return [:]
    }
}

private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = Data()
    private var finished = false
    var data: Data {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue; finished = true } }
    }
    var done: Bool { lock.withLock { finished } }
}
