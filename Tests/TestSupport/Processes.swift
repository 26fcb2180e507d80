import DicomNetwork
import Foundation
import Locking

/// Runs the built tools and the peers the tests need (DCMTK storescp...) as real processes.
public enum Processes {
    /// The folder with the built executables (next to the test bundle).
    public static let binFolder: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("dcm-compress").path) {
            url.deleteLastPathComponent()
        }
        if url.path == "/" { return TestPaths.repository.appendingPathComponent(".build/debug") }
        return url
    }()

    public struct Result: Sendable {
        public let status: Int32
        public let stdout: Data
        public let stderr: String
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        public var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// Runs one of the toolkit's executables to completion.
    public static func tool(_ name: String, _ arguments: [String], stdin: Data? = nil) throws -> Result {
        try run(binFolder.appendingPathComponent(name), arguments, stdin: stdin)
    }

    public static func run(_ executable: URL, _ arguments: [String], stdin: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        // Drain both pipes concurrently so a chatty process never blocks on a full pipe.
        let outData = DataBox(), errData = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outData.set(output.fileHandleForReading.readDataToEndOfFile()) }
        DispatchQueue.global().async(group: group) { errData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus, stdout: outData.value,
                      stderr: String(decoding: errData.value, as: UTF8.self))
    }

    /// A free TCP port on 127.0.0.1 (bound, read, released).
    public static func freePort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                _ = bind(fd, raw, length)
                _ = getsockname(fd, raw, &length)
            }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// A program of Debian's packages (DCMTK, dicom3tools, Orthanc, iproute2) by its installed path, not by
    /// PATH: pynetdicom installs Python scripts named storescp and storescu that would shadow DCMTK's.
    public static func system(_ name: String) -> URL? {
        for folder in ["/usr/bin", "/usr/sbin", "/bin", "/sbin"] {
            let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    /// Finds an executable on PATH (peers installed by `make test`'s dependency step).
    public static func which(_ name: String) -> URL? {
        if name.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: name) ? URL(fileURLWithPath: name) : nil }
        for folder in ((ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin") + ":/usr/sbin:/sbin").split(separator: ":") {
            let url = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }
}

/// A peer process on loopback, stopped when released.
public final class PeerProcess: Sendable {
    public let process = Process()
    public let port: UInt16

    /// Starts `executable` and waits until `port` accepts connections.
    public init(_ executable: URL, _ arguments: [String], port: UInt16) throws {
        self.port = port
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            if LoopbackProbe.accepts(port) { return }
            usleep(50_000)
        }
        stop()
        throw PeerError("peer \(executable.lastPathComponent) did not listen on port \(port)")
    }

    /// Stops the peer. SIGKILL: DCMTK's storescp ignores SIGTERM.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

public struct PeerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Bytes a reader thread hands over.
private final class DataBox: Sendable {
    private let data = Locked(Data())
    func set(_ value: Data) { data.withLock { $0 = value } }
    var value: Data { data.withLock { $0 } }
}
