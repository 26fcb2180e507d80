/// What shaped the link a figure was measured on.
public enum Shaping: String, Sendable, Codable {
    /// The in-process relay (`LinkShaper`): rate, delay, jitter and cuts, on loopback.
    case inProcess = "in-process shaper"
    /// The kernel's queueing disciplines on a veth pair between network namespaces (`KernelLink`): tbf for
    /// the rate, netem for the delay where the kernel has it.
    case kernel = "kernel tbf"
    /// No emulation: the real path to a peer as it is.
    case none = "real link"
}
