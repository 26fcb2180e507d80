import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The kernel's shaping as a reference beside the in-process shaper: a network namespace joined to this one
/// by a veth pair, a tbf queue at the link's rate on both ends, and netem for the delay where the kernel has
/// it. Senders run inside the namespace (`wrap`); a receiver here listening on every interface is reached at
/// `hostAddress`, so the sender's bytes cross the veth pair and its queues. Needs root (namespaces, tc).
public final class KernelLink: Sendable {
    public let link: LinkProfile
    /// This side's address on the pair, the one senders in the namespace call.
    public let hostAddress: String
    let namespace: String
    let hostInterface: String
    let ip: String, tc: String

    /// Sets the namespace, the pair and the queues up; throws with the step that failed (everything made
    /// so far removed).
    public init(link: LinkProfile) throws(LinkError) {
        guard let rate = link.rateBitsPerSecond else { throw LinkError("the kernel reference needs a link rate (tbf shapes rate)") }
        guard link.dropAfterBytes == nil, link.dropProbabilityPerMegabyte == 0 else {
            throw LinkError("the kernel reference shapes rate and delay, not cuts: leave drop= and drop-after= out of the link")
        }
        guard geteuid() == 0 else { throw LinkError("the kernel reference needs root: it makes a network namespace and queueing disciplines") }
        guard let ip = Self.system("ip"), let tc = Self.system("tc") else { throw LinkError("the kernel reference needs ip and tc (Debian's iproute2)") }
        let needsDelay = link.roundTripSeconds > 0.0005 || link.jitterSeconds > 0
        if needsDelay && !Self.hasNetem {
            throw LinkError("this kernel has no netem (sch_netem): the kernel reference shapes the rate only; give the link without delay (e.g. \(LinkProfile.formatRate(rate))/0ms)")
        }
        let id = Int(getpid())
        (self.link, self.ip, self.tc) = (link, ip, tc)
        (namespace, hostInterface) = ("tbench\(id)", "tbh\(id)")
        // A /30 of the link-local range, never routed, chosen by process so that parallel runs do not meet.
        let (third, fourth) = (id % 250 + 1, (id / 250) % 63 * 4)
        hostAddress = "169.254.\(third).\(fourth + 1)"
        let peerAddress = "169.254.\(third).\(fourth + 2)", peerInterface = "tbn\(id)"
        // tbf's bucket: a few milliseconds at the rate, never under two full frames; a queue deep enough that
        // TCP is held back by its own pacing, not by drops (the in-process relay never drops either).
        let burst = max(3_028, Int(rate / 8 * 0.004))
        let shaping = ["tbf", "rate", "\(Int(rate))bit", "burst", "\(burst)", "limit", "\(16 << 20)"]
        let delay = ["netem", "delay", "\(Int(link.oneWaySeconds * 1e6))us"] + (link.jitterSeconds > 0 ? ["\(Int(link.jitterSeconds * 1e6))us"] : [])
        func queues(_ device: String) -> [[String]] {
            needsDelay
                ? [["qdisc", "replace", "dev", device, "root", "handle", "1:"] + delay, ["qdisc", "add", "dev", device, "parent", "1:1", "handle", "10:"] + shaping]
                : [["qdisc", "replace", "dev", device, "root"] + shaping]
        }
        Self.removeLeftovers(ip: ip)
        let inside = [ip, "netns", "exec", namespace]
        let steps: [[String]] = [
            [ip, "netns", "add", namespace],
            [ip, "link", "add", hostInterface, "type", "veth", "peer", "name", peerInterface],
            [ip, "link", "set", peerInterface, "netns", namespace],
            [ip, "addr", "add", "\(hostAddress)/30", "dev", hostInterface],
            [ip, "link", "set", hostInterface, "up"],
            inside + [ip, "addr", "add", "\(peerAddress)/30", "dev", peerInterface],
            inside + [ip, "link", "set", peerInterface, "up"],
            inside + [ip, "link", "set", "lo", "up"],
        ] + queues(hostInterface).map { [tc] + $0 } + queues(peerInterface).map { inside + [tc] + $0 }
        for step in steps {
            if let failure = Self.run(step) {
                remove()
                throw LinkError("kernel reference: '\(step.joined(separator: " "))' failed: \(failure)")
            }
        }
    }

    /// The command that runs `executable` inside the namespace, behind the shaped pair.
    public func wrap(_ executable: URL, _ arguments: [String]) -> (URL, [String]) {
        (URL(fileURLWithPath: ip), ["netns", "exec", namespace, executable.path] + arguments)
    }

    /// Bytes this side received from the namespace so far, frames as the kernel counts them.
    public var bytesReceived: Int {
        let path = "/sys/class/net/\(hostInterface)/statistics/rx_bytes"
        return Int(((try? String(contentsOfFile: path, encoding: .utf8)) ?? "0").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// The queues as the kernel set them (tc qdisc show), for the report.
    public var queueDescription: String {
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: tc)
        process.arguments = ["qdisc", "show", "dev", hostInterface]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")
    }

    /// Removes the namespace (its end of the pair goes with it, and the pair with its end).
    public func remove() {
        _ = Self.run([ip, "netns", "delete", namespace])
        _ = Self.run([ip, "link", "delete", hostInterface])
    }

    /// Namespaces of runs that were killed before they could remove theirs (their process is gone).
    static func removeLeftovers(ip: String) {
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: ip)
        process.arguments = ["netns", "list"]
        (process.standardOutput, process.standardError) = (output, FileHandle.nullDevice)
        guard (try? process.run()) != nil else { return }
        let listing = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        for line in listing.split(separator: "\n") {
            let name = String(line.split(separator: " ").first ?? "")
            guard name.hasPrefix("tbench"), let id = Int32(name.dropFirst(6)), id != getpid(),
                kill(id, 0) != 0 && errno == ESRCH
            else { continue }
            _ = run([ip, "netns", "delete", name])
            _ = run([ip, "link", "delete", "tbh\(id)"])
        }
    }

    /// Whether this kernel has netem (some kernels are built without sch_netem).
    public static var hasNetem: Bool {
        guard let ip = system("ip"), let tc = system("tc") else { return false }
        let probe = "tbprobe\(getpid() % 100_000)"
        guard run([ip, "netns", "add", probe]) == nil else { return false }
        defer { _ = run([ip, "netns", "delete", probe]) }
        return run([ip, "netns", "exec", probe, tc, "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"]) == nil
    }

    static func system(_ name: String) -> String? {
        ["/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a command; nil when it succeeded, else its first line of error.
    static func run(_ command: [String]) -> String? {
        let process = Process(), errors = Pipe()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do { try process.run() } catch { return error.localizedDescription }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? nil : (text.split(separator: "\n").first.map(String.init) ?? "exit \(process.terminationStatus)")
    }
}
