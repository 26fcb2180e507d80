import DicomNetwork
import Foundation
import TestSupport
import Testing
import ToolSupport

/// Every line the tools write with --json is an event of the declared schema (`ToolEvent`, version 1): what
/// transfer-bench and any router rely on instead of matching words.
struct EventSchemaTests {
    static func events(_ result: Processes.Result) throws -> [ToolEvent] {
        try result.stdoutText.split(separator: "\n").map { line in try ToolEvent.decode(String(line)) }
    }

    @Test func everyToolSpeaksSchemaOne() throws {
        let samples = ["CT_small.dcm", "MR_small.dcm"].map { TestPaths.dicomSamples.appendingPathComponent($0).path }
        let broken = TestPaths.brokenSamples.path + "/missing.dcm"
        let out = try TestPaths.temporaryFolder("events")
        defer { try? FileManager.default.removeItem(at: out) }

        let compress = try Processes.tool("dcm-compress", ["--json", "-o", out.appendingPathComponent("c").path] + samples + [broken])
        let compressed = try Self.events(compress)
        #expect(compressed.filter { $0.status == .done }.count == 2)
        #expect(compressed.contains { $0.status == .failed && $0.path == broken && $0.error != nil })
        #expect(compressed.last?.summary == true && compressed.last?.files != nil)

        let receiver = try StorageReceiver(port: Processes.freePort(), outputFolder: out.appendingPathComponent("r"))
        defer { receiver.stop() }
        let send = try Processes.tool("dcm-send", ["--json", "TELERAD@127.0.0.1:\(receiver.port)"] + samples)
        let sent = try Self.events(send)
        #expect(sent.filter { $0.status == .stored }.count == 2, "\(send.stdoutText)")
        #expect(sent.last?.summary == true && sent.last?.stored == 2 && (sent.last?.bytes ?? 0) > 0)

        let anon = try Processes.tool("dcm-anon", ["--json", "--random-key", "--dry-run"] + samples)
        #expect(try Self.events(anon).filter { $0.status == .checked }.count == 2, "\(anon.stdoutText) \(anon.stderr)")

        // Another version is refused by the reader, not half understood.
        #expect(throws: ToolEventError.self) { try ToolEvent.decode(#"{"schema":2,"status":"stored"}"#) }
        #expect(throws: ToolEventError.self) { try ToolEvent.decode("stored CT_small.dcm") }
    }
}
