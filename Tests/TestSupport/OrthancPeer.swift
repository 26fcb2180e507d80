import Foundation

/// A real Orthanc (Debian package) for interoperability tests. Orthanc 1.10 listens on every interface, so
/// it runs in a network namespace of its own that has nothing but loopback; commands that talk to it run
/// in that namespace too (`run`). Needs root, as CI has.
public final class OrthancPeer: Sendable {
    public let namespace: String
    public let dicomPort = 4242
    public let httpPort = 8042
    public let aeTitle = "ORTHANC"
    private let folder: URL
    private let process = Process()

    /// `modalities`: Orthanc's DicomModalities (name: [AET, host, port]), the peers it may open associations
    /// to (a storage commitment report goes to the AE title that asked, as declared there).
    public init(modalities: [String: [Any]] = [:]) throws {
        guard getuid() == 0 else { throw PeerError("Orthanc tests need root for a private network namespace") }
        let orthanc = try Self.require("Orthanc"), ip = try Self.require("ip")
        namespace = "telerad-orthanc-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        folder = try TestPaths.temporaryFolder("orthanc")
        try Self.check(try Processes.run(ip, ["netns", "add", namespace]))
        try Self.check(try Processes.run(ip, ["netns", "exec", namespace, "ip", "link", "set", "lo", "up"]))
        let config: [String: Any] = [
            "Name": "TELERAD-TEST", "StorageDirectory": folder.appendingPathComponent("db").path,
            "IndexDirectory": folder.appendingPathComponent("db").path, "DicomAet": aeTitle, "DicomPort": dicomPort,
            "HttpPort": httpPort, "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
            "DicomCheckCalledAet": false, "DicomAlwaysAllowStore": true, "StorageCompression": false, "Plugins": [String](),
            "DicomModalities": modalities,
        ]
        let configFile = folder.appendingPathComponent("orthanc.json")
        try JSONSerialization.data(withJSONObject: config).write(to: configFile)
        process.executableURL = ip
        process.arguments = ["netns", "exec", namespace, orthanc.path, configFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            if (try? rest("/system")) != nil { return }
            usleep(100_000)
        }
        stop()
        throw PeerError("Orthanc did not start")
    }

    /// Runs a command inside Orthanc's namespace (storescu, dcm-send...).
    public func run(_ executable: URL, _ arguments: [String]) throws -> Processes.Result {
        try Processes.run(try Self.require("ip"), ["netns", "exec", namespace, executable.path] + arguments)
    }

    /// GETs a REST resource and parses the JSON (or returns the text when it is not JSON).
    /// Starts `executable` inside the namespace in the background and, with a `port`, waits until it accepts
    /// connections there; the caller terminates it.
    public func start(_ executable: URL, _ arguments: [String], port: Int?) throws -> Process {
        let process = Process()
        process.executableURL = try Self.require("ip")
        process.arguments = ["netns", "exec", namespace, executable.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard let port else { return process }
        do { try waitForListener(port: port) } catch {
            process.terminate()
            throw error
        }
        return process
    }

    /// Waits (5 s at most) until something listens on `port` in the namespace.
    public func waitForListener(port: Int) throws {
        let python = try Self.require("python3")
        let probe = "import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=1)"
        for _ in 0..<50 {
            if try run(python, ["-c", probe, "\(port)"]).status == 0 { return }
            usleep(100_000)
        }
        throw PeerError("nothing listens on port \(port) in \(namespace)")
    }

    /// Writes the bytes of a REST resource (an instance's DICOM file) to `file`.
    public func download(_ path: String, to file: URL) throws {
        let python = try Self.require("python3")
        let script = "import sys, urllib.request; open(sys.argv[2], 'wb').write(urllib.request.urlopen(sys.argv[1], timeout=5).read())"
        let result = try run(python, ["-c", script, "http://127.0.0.1:\(httpPort)\(path)", file.path])
        guard result.status == 0 else { throw PeerError("GET \(path): \(result.stderr)") }
    }

    /// DELETEs a REST resource; true when Orthanc agreed.
    public func delete(_ path: String) throws -> Bool {
        let python = try Self.require("python3")
        let script = "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], method='DELETE'), timeout=5)"
        return try run(python, ["-c", script, "http://127.0.0.1:\(httpPort)\(path)"]).status == 0
    }

    public func rest(_ path: String) throws -> Any {
        let python = try Self.require("python3")
        let script = "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())"
        let result = try run(python, ["-c", script, "http://127.0.0.1:\(httpPort)\(path)"])
        guard result.status == 0 else { throw PeerError("GET \(path): \(result.stderr)") }
        return (try? JSONSerialization.jsonObject(with: result.stdout, options: [.fragmentsAllowed])) ?? result.stdoutText
    }

    public func stop() {
        if process.isRunning {
            // `ip netns exec` execs Orthanc: the process is Orthanc itself.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        if let ip = Processes.system("ip") { _ = try? Processes.run(ip, ["netns", "delete", namespace]) }
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { stop() }

    static func require(_ name: String) throws -> URL {
        guard let url = Processes.system(name) else {
            throw PeerError("\(name) is not installed (make test installs it)")
        }
        return url
    }

    static func check(_ result: Processes.Result) throws {
        guard result.status == 0 else { throw PeerError(result.stderr) }
    }
}
