import DicomCore
import Foundation
import TestSupport
import Testing

/// `dcm-send --listen` as a process: its memory while large objects and a Deflated bomb arrive, its TLS
/// mode from the command line, and options outside their mode refused.
@Suite struct ReceiveCommandTests {
    /// Peak resident memory of a process, in bytes (VmHWM).
    static func peakMemory(_ pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        return (Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.map(String.init) ?? "") ?? 0) * 1024
    }

    @Test func memoryStaysFlatForALargeObjectAndADeflatedBomb() throws {
        let python = try #require(Processes.which("python3")), storescu = try #require(Processes.system("storescu"))
        let work = try TestPaths.temporaryFolder("receive-memory")
        defer { try? FileManager.default.removeItem(at: work) }
        let inbox = work.appendingPathComponent("inbox"), port = Processes.freePort()
        let receiver = try PeerProcess(Processes.binFolder.appendingPathComponent("dcm-send"),
                                       ["--listen", "\(port)", "-q", "-o", inbox.path], port: port)
        defer { receiver.stop() }
        let baseline = try Self.peakMemory(receiver.process.processIdentifier)
        for (name, size, deflate) in [("large", 300_000_000, false), ("bomb", 600_000_000, true)] {
            let file = work.appendingPathComponent("\(name).dcm")
            let generator = TestPaths.repository.appendingPathComponent("scripts/make-large-object.py").path
            let made = try Processes.run(python, [generator, file.path, "\(size)"] + (deflate ? ["deflate"] : []))
            try #require(made.status == 0, "\(made.stderr)")
            // storescu sends the file in its own transfer syntax (-xd proposes Deflated).
            let sent = try Processes.run(storescu, (deflate ? ["-xd"] : []) + ["-aec", "TELERAD", "127.0.0.1", "\(port)", file.path])
            #expect(sent.status == 0, "\(name): \(sent.stderr)")
            try FileManager.default.removeItem(at: file)
        }
        let peak = try Self.peakMemory(receiver.process.processIdentifier)
        #expect(peak < 100_000_000, "peak resident memory \(peak / 1_000_000) MB (started at \(baseline / 1_000_000) MB)")
        let stored = try FileManager.default.contentsOfDirectory(at: inbox, includingPropertiesForKeys: [.fileSizeKey])
            .filter { $0.lastPathComponent != ".digests" }
        let sizes = try stored.map { try #require(try $0.resourceValues(forKeys: [.fileSizeKey]).fileSize) }.sorted()
        #expect(sizes.count == 2 && sizes[0] < 5_000_000 && sizes[1] > 300_000_000, "the bomb stays deflated, the large object whole: \(sizes)")
    }

    @Test func aTLSReceiverFromTheCommandLineWithItsPDULimit() throws {
        let openssl = try #require(Processes.system("openssl"))
        let work = try TestPaths.temporaryFolder("receive-tls")
        defer { try? FileManager.default.removeItem(at: work) }
        let key = work.appendingPathComponent("server.key").path, certificate = work.appendingPathComponent("server.crt").path
        #expect(try Processes.run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                                            "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"]).status == 0)
        chmod(key, 0o644)
        let port = Processes.freePort()
        let listen = ["--listen", "\(port)", "-q", "-o", work.appendingPathComponent("in").path, "--tls", "--cert", certificate, "--key", key,
                      "--max-pdu", "4096"]
        let loose = try Processes.tool("dcm-send", listen)
        #expect(loose.status == 2 && loose.stderr.contains("can be read by others (mode 644)"), "\(loose.stderr)")
        chmod(key, 0o600)
        let receiver = try PeerProcess(Processes.binFolder.appendingPathComponent("dcm-send"), listen, port: port)
        defer { receiver.stop() }
        let overTLS = try Processes.tool("dcm-send", ["--echo", "TELERAD@127.0.0.1:\(port)", "--tls", "--ca-file", certificate])
        #expect(overTLS.status == 0, "\(overTLS.stderr)")
        let plain = try Processes.tool("dcm-send", ["--echo", "TELERAD@127.0.0.1:\(port)", "--timeout", "5"])
        #expect(plain.status == 3, "plaintext is refused: \(plain.stderr)")
        let sent = try Processes.tool("dcm-send", ["--tls", "--ca-file", certificate, "TELERAD@127.0.0.1:\(port)",
                                                   TestPaths.dicomSamples.appendingPathComponent("MR2_UNCR.dcm").path])
        #expect(sent.status == 0, "a 2 MB object in 4 KB PDUs: \(sent.stderr)")
    }

    @Test func optionsOutsideTheirModeAreUsageErrors() throws {
        for (arguments, named) in [
            (["--listen", "11999", "-o", "/tmp/x", "--associations", "2"], "--associations"),
            (["--listen", "11999", "-o", "/tmp/x", "--journal", "j"], "--journal"),
            (["--listen", "11999", "-o", "/tmp/x", "--peer-name", "pacs"], "--peer-name"),
            (["--echo", "P@h:1", "--bind", "127.0.0.1"], "--bind"),
            (["--echo", "P@h:1", "--max-object-size", "1G"], "--max-object-size"),
            (["--allow", "CHU", "P@h:1", "x.dcm"], "--allow"),
            (["--idle-timeout", "5", "P@h:1", "x.dcm"], "--idle-timeout"),
            (["--listen", "11999", "-o", "/tmp/x", "--tls"], "--cert"),
        ] {
            let result = try Processes.tool("dcm-send", arguments)
            #expect(result.status == 2 && result.stderr.contains(named), "\(arguments): \(result.stderr)")
        }
    }

    /// A second run on a journal in use says so and exits 2, sending nothing.
    @Test func aJournalInUseIsRefused() throws {
        let work = try TestPaths.temporaryFolder("journal-lock")
        defer { try? FileManager.default.removeItem(at: work) }
        let journal = work.appendingPathComponent("journal").path
        let held = open(journal, O_RDWR | O_CREAT, 0o600)
        defer { close(held) }
        #expect(flock(held, LOCK_EX) == 0)
        let result = try Processes.tool("dcm-send", ["--journal", journal, "P@127.0.0.1:\(Processes.freePort())",
                                                     TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm").path])
        #expect(result.status == 2 && result.stderr.contains("is in use by another run"), "\(result.stderr)")
    }
}
