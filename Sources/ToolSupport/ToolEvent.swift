import Foundation

/// One JSON line of a tool's --json output, as other programs read it (transfer-bench reads dcm-send's and
/// dcm-compress's; a router can read dcm-send --listen's). Schema 1:
/// - every line is one JSON object with `"schema": 1`; keys are snake_case;
/// - an item's event has `path` and `status` (`done`, `checked`, `stored`, `skipped`, `failed`; with --commit `committed`, `commit_failed`, `commit_pending`), and `error`
///   when it failed; tools add their own keys (`bytes`, `sop_instance_uid`, `milliseconds`...);
/// - the last line has `"summary": true` and the run's counts (`files`, `done` or `stored`, `failed`,
///   `bytes`, `seconds`, and the tool's own);
/// - a feature's own object sits under one key (`"measurement": {...}`, `"report": {...}`).
/// Within a version keys may be added, none changes meaning; a reader refuses another version.
public struct ToolEvent: Codable, Sendable, Equatable {
    public static let schemaVersion = 1

    public enum Status: String, Codable, Sendable {
        case done, checked, stored, skipped, failed
        /// dcm-send --commit: the archive took custody, refused it, or did not answer in time.
        case committed
        case commitFailed = "commit_failed"
        case commitPending = "commit_pending"
    }

    public var schema: Int
    public var path: String?
    public var status: Status?
    public var error: String?
    public var summary: Bool?
    public var bytes: Int?
    public var files: Int?
    public var stored: Int?
    public var failed: Int?
    public var retries: Int?
    public var seconds: Double?
    /// dcm-send's stored and skipped events.
    public var sopInstanceUID: String?

    enum CodingKeys: String, CodingKey {
        case schema, path, status, error, summary, bytes, files, stored, failed, retries, seconds
        case sopInstanceUID = "sop_instance_uid"
    }

    public init(schema: Int = ToolEvent.schemaVersion) { self.schema = schema }

    /// The event of one line; throws when it is not JSON of this schema version.
    public static func decode(_ line: String) throws(ToolEventError) -> ToolEvent {
        let event: ToolEvent
        do { event = try JSONDecoder().decode(ToolEvent.self, from: Data(line.utf8)) } catch {
            throw ToolEventError("not an event line of schema \(schemaVersion): \(line.prefix(120))")
        }
        guard event.schema == schemaVersion else {
            throw ToolEventError("event schema \(event.schema), this reader knows \(schemaVersion)")
        }
        return event
    }
}

public struct ToolEventError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
