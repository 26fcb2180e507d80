import Foundation
import Locking

#if canImport(Glibc)
    import Glibc
#endif

/// A value of a JSON event line.
public enum JSONValue: Encodable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral
{
    case string(String), int(Int), double(Double), bool(Bool), array([JSONValue]), object([String: JSONValue])
    case null

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value.isFinite ? value : 0)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}

/// The conventions of every tool's output: errors as `tool: path: what went wrong` on stderr, per-item
/// events and a summary as JSON lines on stdout with --json, a progress bar only on a terminal.
public final class Console: Sendable {
    public let tool: String
    public let json: Bool
    public let verbosity: Int  // -1 quiet, 0 normal, 1+ verbose
    private let stderrIsTerminal = isatty(STDERR_FILENO) == 1
    /// Every write to stdout or stderr happens under this lock, so lines from worker threads never interleave.
    private let state = Locked(State())

    private struct State {
        /// Whether a progress bar is on the terminal's last line.
        var showsProgress = false
        /// False once stdout carries data (an object written to "-"): then nothing else may go there.
        var stdoutIsFree = true
    }

    public init(tool: String, options: CommonOptions) {
        self.tool = tool
        json = options.json
        verbosity = options.quiet ? -1 : options.verbose
    }

    /// Reports a failed item: one line on stderr, and an event with --json (with `fields` added).
    public func failure(_ path: String, _ message: String, fields: [String: JSONValue] = [:]) {
        let line = message.split(whereSeparator: \.isNewline).joined(separator: "; ")
        writeStderr("\(tool): \(path): \(line)\n")
        event(fields.merging(["path": .string(path), "status": "failed", "error": .string(line)]) { $1 })
    }

    /// An error that is not about one item (usage, connection).
    public func error(_ message: String) { writeStderr("\(tool): \(message)\n") }

    /// A human message on stderr, unless --quiet.
    public func info(_ message: String) {
        guard verbosity >= 0 else { return }
        writeStderr(message + "\n")
    }

    /// From now on stdout carries data (an object or a bundle written to "-"): events and results stay off it.
    public func reserveStdoutForData() { state.withLock { $0.stdoutIsFree = false } }

    /// Whether events and human results may still go to stdout.
    public var stdoutIsFree: Bool { state.withLock { $0.stdoutIsFree } }

    /// A JSON event line on stdout with --json (schema: `ToolEvent`).
    public func event(_ fields: [String: JSONValue]) {
        guard json else { return }
        writeStdout(Console.encode(fields.merging(["schema": .int(ToolEvent.schemaVersion)]) { $1 }))
    }

    /// A feature module's own Encodable value as one JSON line on stdout with --json (keys in snake_case),
    /// under `key`, with "summary": true when it is the final object.
    public func event<T: Encodable>(_ key: String, encoding value: T, summary: Bool = false) {
        guard json else { return }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let body = try? encoder.encode(value) else { return }
        writeStdout("{\"\(key)\":" + String(decoding: body, as: UTF8.self) + ",\"schema\":\(ToolEvent.schemaVersion)"
            + (summary ? ",\"summary\":true}" : "}"))
    }

    /// Human result lines go to stdout unless --json or stdout carries data.
    public func result(_ text: String) {
        guard !json else { return }
        writeStdout(text)
    }

    /// The final summary: a JSON object with --json, otherwise one human line on stderr.
    public func summary(_ fields: [String: JSONValue], human: String) {
        if json && stdoutIsFree {
            var fields = fields
            fields["summary"] = true
            event(fields)
        } else {
            info(human)
        }
    }

    /// Updates the progress bar (stderr, terminal only, not with --quiet).
    public func progress(done: Int, total: Int) {
        guard stderrIsTerminal, verbosity >= 0, total > 0 else { return }
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        state.withLock { state in
            _ = Console.write("\r[\(bar)] \(done)/\(total)" + (done == total ? "\n" : ""), to: STDERR_FILENO)
            state.showsProgress = done < total
        }
    }

    public static func encode(_ fields: [String: JSONValue]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(fields) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// An output's path on stdout for the next tool of a pipe (--print-paths), flushed at once. False when
    /// stdout is closed: the next tool stopped.
    public func printPath(_ path: String) -> Bool {
        state.withLock { _ in Console.write(path + "\n", to: STDOUT_FILENO) }
    }

    /// A line on stderr, after clearing the progress bar if one is shown.
    private func writeStderr(_ text: String) {
        state.withLock { state in
            _ = Console.write((state.showsProgress ? "\r\u{1B}[K" : "") + text, to: STDERR_FILENO)
        }
    }

    /// A line on stdout unless it carries data.
    private func writeStdout(_ line: String) {
        state.withLock { state in
            guard state.stdoutIsFree else { return }
            _ = Console.write(line + "\n", to: STDOUT_FILENO)
        }
    }

    /// Writes all of `text`; false when the reader went away (EPIPE: the tools ignore SIGPIPE, see
    /// `mainFollowingConventions`) or another error stops it.
    static func write(_ text: String, to descriptor: Int32) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            bytes = bytes.dropFirst(written)
        }
        return true
    }
}
