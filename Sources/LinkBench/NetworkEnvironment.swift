import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What the measurements depend on besides the link: kernel, TCP settings, the senders' socket options.
public enum NetworkEnvironment {
    public static func describe(associations: Int) -> [String: String] {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        func proc(_ path: String) -> String {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "unknown").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return [
            "kernel": release,
            "congestion_control": proc("/proc/sys/net/ipv4/tcp_congestion_control"),
            "tcp_rmem": proc("/proc/sys/net/ipv4/tcp_rmem"),
            "tcp_wmem": proc("/proc/sys/net/ipv4/tcp_wmem"),
            "sender_socket_options": "TCP_NODELAY, TCP_QUICKACK re-armed after each read; kernel buffer autotuning",
            "shaper_socket_options": "TCP_NODELAY",
            "max_pdu": "131072",
            "associations": String(associations),
            "cores": String(ProcessInfo.processInfo.activeProcessorCount),
            "shaper": "in-process TCP relay on loopback: rate, delay, jitter, cuts; no packet loss",
        ]
    }
}
